"""What the server is told at start: folders, listening address, token, limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD_BYTES = 10_000_000
TOKEN_VARIABLE = "SCHEDULER_TOKEN"


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    scenarios_dir: Path
    runs_dir: Path
    host: str = "127.0.0.1"
    token: str | None = None
    """Required on every request when set (header, query or cookie)."""
    max_runs: int = 1
    """Runs executed at once; the others wait in the queue."""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    """Largest request body accepted (an upload of a scenario and its files)."""
    python: str | None = None
    """Interpreter of the run processes [default: this one]."""
    cluster: str | None = None
    """Address of a running Dask scheduler (tcp://HOST:PORT) over whose workers a
    comparison run spreads its variants; None: a comparison solves them one after the
    other in its own process."""

    def problem(self) -> str | None:
        """Why the server must not start with these settings, or None."""
        if not is_loopback(self.host) and not self.token:
            return (f"listening on {self.host} needs a token: give --token or set "
                    f"{TOKEN_VARIABLE}")
        if self.max_runs < 1:
            return "--max-runs must be at least 1"
        if self.cluster is not None and not self.cluster.startswith(("tcp://", "tls://")):
            return f"--cluster {self.cluster!r}: give a Dask scheduler's address, tcp://HOST:PORT"
        if not self.scenarios_dir.is_dir():
            return f"{self.scenarios_dir}: the scenarios folder does not exist"
        return None
