"""`scheduler serve`: the planner's web page on a local address (scheduler/web)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from scheduler.errors import EXIT_INPUT


def serve(host: str, port: int, scenarios: Path, runs: Path, token: str | None,
          max_runs: int, max_upload_mb: float, cluster: str | None = None,
          echo=typer.echo) -> None:
    """Check the settings (no token beyond loopback: refuse), then serve until Ctrl-C."""
    import uvicorn

    from scheduler.web import Settings, create_app
    from scheduler.web.config import TOKEN_VARIABLE

    settings = Settings(scenarios_dir=scenarios, runs_dir=runs, host=host,
                        token=token or os.environ.get(TOKEN_VARIABLE) or None,
                        max_runs=max_runs, max_upload_bytes=int(max_upload_mb * 1_000_000),
                        cluster=cluster)
    problem = settings.problem()
    if problem is not None:
        echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        runs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        echo(f"error: cannot create the runs folder {runs}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_INPUT)
    shown = f"[{host}]" if ":" in host else host
    echo(f"scenarios from {scenarios}, runs in {runs}, {max_runs} at a time"
         + (f"; comparisons on the Dask scheduler {cluster}" if cluster else ""))
    echo(f"open http://{shown}:{port}/" + (" (with ?token=...)" if settings.token else ""))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=3)
