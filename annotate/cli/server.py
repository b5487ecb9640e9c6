"""``annotate server start/stop/status``: run :mod:`annotate.workflows.server`, print where Label Studio is."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, DataDir, out
from annotate.io.settings import ENV_FILE
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.database import redact_url
from annotate.labelstudio.server import ServerInfo
from annotate.workflows.server import server_status, start_server, stop_server

server_app = typer.Typer(
    help="Run a local Label Studio (127.0.0.1, SQLite) for this project folder.", no_args_is_help=True
)


@server_app.command("start")
def server_start_cli(
    data_dir: Path = DataDir,
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port to listen on."),
    host: str = typer.Option(server_mod.DEFAULT_HOST, help="Address to bind (loopback unless --public)."),
    public: bool = typer.Option(False, "--public", help="Allow binding to a non-loopback address."),
    env_file: Path = typer.Option(Path(ENV_FILE), help="Where URL, API key and login are kept (mode 600)."),
    database: str | None = typer.Option(
        None,
        "--database",
        help="postgresql://USER:PASSWORD@HOST:PORT/DB: keep "
        "Label Studio's data in PostgreSQL (teams) instead of SQLite; remembered "
        "in the env file. Or set ANNOTATE_DATABASE_URL.",
    ),
) -> None:
    """Start Label Studio in the background and wait until it is healthy (URL and key go to .env)."""
    print_started(start_server(data_dir, port, host, public, env_file, database, feedback=FEEDBACK), env_file)


def print_started(info: ServerInfo, env_file: Path) -> None:
    """Where the server runs, and the login.

    info (ServerInfo): The server started or found running.
    env_file (Path): Where its settings are kept.
    """
    state = "already running" if info.already_running else "started"
    where = f"database {redact_url(info.database)}" if info.database else f"data in {info.data_dir}"
    out.print(f"Label Studio {state} at {info.url} (pid {info.pid}, {where})")
    print_login(info, env_file)


def print_login(info: ServerInfo, env_file: Path) -> None:
    """The admin login: the password on a first start (shown once, the API token never), else where it is kept.

    info (ServerInfo): The server.
    env_file (Path): Where the password is kept.
    """
    if info.first_start:
        out.print(f"Login: {info.username}  password: {info.password}  (kept in {env_file}, mode 600)")
    else:
        out.print(f"Login: {info.username}  password: LABEL_STUDIO_PASSWORD in {env_file}")


@server_app.command("stop")
def server_stop_cli(data_dir: Path = DataDir) -> None:
    """Stop the Label Studio started from this folder."""
    out.print("Label Studio stopped." if stop_server(data_dir) else "No Label Studio running from this folder.")


@server_app.command("status")
def server_status_cli(data_dir: Path = DataDir, env_file: Path = typer.Option(Path(ENV_FILE))) -> None:
    """Whether Label Studio runs and answers."""
    st = server_status(data_dir, env_file)
    state = "healthy" if st.healthy else "not answering"
    out.print(f"Label Studio at {st.url or '(no URL configured)'}: {state}; pid {st.pid or '-'}; data {st.data_dir}")
    if not st.healthy:
        raise typer.Exit(1)
