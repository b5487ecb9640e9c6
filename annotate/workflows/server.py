"""``annotate server start/stop/status``: a local Label Studio for this project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.errors import Warnings
from annotate.io.settings import ENV_FILE
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.server import DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, ServerInfo
from annotate.workflows.feedback import SILENT, Feedback


@dataclass(frozen=True)
class ServerStatus:
    """Whether the server runs and answers: its URL (None when none is configured), pid, data folder."""

    url: str | None
    healthy: bool
    pid: int | None
    data_dir: str


def start_server(
    data_dir: Path = Path(DEFAULT_DATA_DIR),
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    public: bool = False,
    env_file: Path = Path(ENV_FILE),
    database: str | None = None,
    feedback: Feedback = SILENT,
) -> ServerInfo:
    """Start Label Studio in the background (or find it running) and wait until it is healthy.

    data_dir (Path): Label Studio data folder.
    port (int): Port to listen on.
    host (str): Address to bind (loopback unless ``public``).
    public (bool): Allow binding to a non-loopback address (W004 says so, before the start).
    env_file (Path): Where URL, API key and login are kept (mode 600).
    database (str | None): A PostgreSQL URL to keep the data in instead of SQLite (remembered in ``env_file``).
    feedback (Feedback): Shows W004 and a spinner while the server starts.
    RETURNS (ServerInfo): URL, login, pid, data folder, and whether it was a first start or already running.
    """
    if public and host not in server_mod.LOOPBACK:
        feedback.warn(Warnings.W004.format(host=host))
    with feedback.status("Starting Label Studio (about 25 s on first start, longer on a new PostgreSQL database)…"):
        return server_mod.start(data_dir, host=host, port=port, env_file=env_file, public=public, database=database)


def stop_server(data_dir: Path = Path(DEFAULT_DATA_DIR)) -> bool:
    """Stop the Label Studio started from this folder.

    data_dir (Path): Its data folder.
    RETURNS (bool): True if one was running and is stopped.
    """
    return server_mod.stop(data_dir)


def server_status(data_dir: Path = Path(DEFAULT_DATA_DIR), env_file: Path = Path(ENV_FILE)) -> ServerStatus:
    """Whether the Label Studio of this folder runs and answers.

    data_dir (Path): Its data folder.
    env_file (Path): Where its URL is kept.
    RETURNS (ServerStatus): URL, health, pid and data folder.
    """
    st = server_mod.status(data_dir, env_file)
    return ServerStatus(st["url"], bool(st["healthy"]), st["pid"], st["data_dir"])
