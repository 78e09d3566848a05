"""The planner's web page (`scheduler serve`): scenarios listed, opened, edited and
uploaded; solve, staffing and compare runs queued and run in child processes, followed
live and cancelled; finished runs shown with their report, KPIs, roster and files.

Pages are rendered on the server (Starlette and Jinja2); the script and style sheet are
served from the package. Every file read or written lies inside the scenarios or runs
folder (`paths.py`). The CLI starts it (`scheduler/cli/serve.py`); nothing here imports
the CLI: runs are `python -m scheduler ...` child processes."""

from scheduler.web.app import create_app
from scheduler.web.config import Settings

__all__ = ["Settings", "create_app"]
