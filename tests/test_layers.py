"""The house rules of the package layout (docs/development.md): the stages depend one way,
no module imports itself back through others, and modules stay a readable size."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scheduler"

# A module may import its own stage and the stages ranked below it.
RANK = {
    "errors": 0,
    "_version": 0,
    "i18n": 0,
    "vega": 0,
    "models": 1,
    "scenario": 2,
    "datasets": 2,
    "forecast": 2.5,
    "workload": 3,
    "engine": 4,
    "check": 5,
    "report": 5,
    "web": 5.5,
    "cli": 6,
    "__main__": 7,
}
MAX_LINES = 600
LARGER = {}  # module -> why it is larger (also said in docs/development.md)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `path` imports anywhere in its body (function-level
    imports too), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for n in ast.walk(node)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import mod` imports the module pkg.mod when there is one
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known
                     else node.module for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known}
    return out


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_stages_depend_one_way():
    found = modules()
    wrong = []
    for name, path in found.items():
        if stage(name) == "__init__":
            continue  # the package's front door: lazy re-exports only
        for target in imports(path, set(found)):
            if stage(target) == "__init__":
                wrong.append(f"{name} imports the package front door {target}")
            elif RANK[stage(target)] > RANK[stage(name)] or (
                    RANK[stage(target)] == RANK[stage(name)] and stage(target) != stage(name)):
                wrong.append(f"{name} ({stage(name)}) imports {target} ({stage(target)})")
    assert not wrong, "\n".join(wrong)


def test_no_import_circles():
    found = modules()
    graph = {name: imports(path, set(found)) - {name} for name, path in found.items()}
    # a package's __init__ re-exporting its own modules is not a circle back into it
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")


def test_modules_are_a_readable_size():
    too_long = {name: n for name, path in modules().items()
                if (n := len(path.read_text().splitlines())) > MAX_LINES and name not in LARGER}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_a_circle_and_a_wrong_way_import_are_caught(tmp_path):
    """The checks above see what they claim to: an engine module importing the CLI, and two
    modules importing each other."""
    pkg = tmp_path / "scheduler"
    (pkg / "engine").mkdir(parents=True)
    (pkg / "cli").mkdir()
    (pkg / "engine" / "a.py").write_text("from scheduler.cli import b\n")
    (pkg / "cli" / "b.py").write_text("def f():\n    import scheduler.engine.a\n")
    known = {"scheduler.engine.a", "scheduler.cli.b"}
    a = imports(pkg / "engine" / "a.py", known)
    b = imports(pkg / "cli" / "b.py", known)
    assert a == {"scheduler.cli.b"} and b == {"scheduler.engine.a"}
    assert RANK[stage("scheduler.cli.b")] > RANK[stage("scheduler.engine.a")]
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter({"scheduler.engine.a": a, "scheduler.cli.b": b}).static_order())
