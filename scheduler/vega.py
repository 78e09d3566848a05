"""Vega, Vega-Lite and Vega-Embed for the pages the tool writes (report.html, the
backtest chart): the libraries as one script from the vl-convert-python package
(BSD-3-Clause, as are the three libraries), made once per machine and version and kept
in the user's cache, and the small page script that draws specs with it. Nothing is
fetched from the network: the pages inline the script.

At the bottom of the package (beside errors and i18n): the report and the forecast use
it; it imports nothing of the package."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
"""Only a name (Vega-Lite reads it to pick the grammar's version); nothing is fetched."""


def bundle_cache_path() -> Path:
    """Where the bundle made by this version of vl-convert is kept between runs: the
    user's cache folder (XDG_CACHE_HOME, else ~/.cache), or SCHEDULER_CACHE_DIR."""
    import importlib.metadata as md

    try:
        version = md.version("vl-convert-python")
    except md.PackageNotFoundError:  # pragma: no cover - it is a dependency
        version = "unknown"
    root = os.environ.get("SCHEDULER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "cs-scheduler")
    return Path(root) / f"vega-bundle-{version}.js"


def bundle_is_ready() -> bool:
    """Whether javascript_bundle() answers at once (made in this process or cached)."""
    return bool(javascript_bundle.cache_info().currsize) or bundle_cache_path().is_file()


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one classic script (about 900 KB) that defines
    `vegaEmbed`, `vega` and `vegaLite` on window. Making it takes about 1.5 s, so it is
    made once per machine and version: kept in bundle_cache_path() (written atomically;
    a folder that cannot be written only costs the time again) and read from there."""
    path = bundle_cache_path()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    import vl_convert

    text = vl_convert.javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return text


def script_json(value) -> str:
    """JSON for a <script> element: never closes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def inline_bundle() -> str:
    """The bundle ready to sit inside a <script> element."""
    return javascript_bundle().replace("</script", "<\\/script")


EMBED_SCRIPT = r"""
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("chart-specs").textContent);
  var names = Object.keys(charts.specs);
  if (typeof vegaEmbed !== "function") {
    document.body.setAttribute("data-charts", "failed");
    return;
  }
  Promise.all(names.map(function (id) {
    return vegaEmbed("#" + id, charts.specs[id], charts.options || {});
  })).then(function () { document.body.setAttribute("data-charts", "ready"); },
           function (error) { document.body.setAttribute("data-charts", "failed");
                              console.error(String(error)); });
})();
"""
"""Draws every spec of the page's #chart-specs JSON ({"specs": {element id: spec},
"options": vegaEmbed options}) and sets body[data-charts] to ready or failed."""
