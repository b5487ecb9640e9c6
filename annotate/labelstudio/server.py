"""A local Label Studio for one project folder: start, stop, status.

Data (SQLite database, uploads, ``server.log``, ``server.pid``) live in
``.labelstudio/`` by default. For a team, ``database`` (a
``postgresql://USER:PASSWORD@HOST:PORT/NAME`` URL) puts Label Studio's database on
PostgreSQL instead, through Label Studio's own ``DJANGO_DB``/``POSTGRE_*``
settings; the URL is kept in ``.env`` (``ANNOTATE_DATABASE_URL``) for the next
start and reaches Label Studio through its environment only. On first start an admin user, a password and an
API token are generated and written to ``.env`` (mode 600, git-ignored);
they reach Label Studio through its environment, never its command line (which
other users of the machine can read with ``ps``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from annotate.errors import ConflictError, Errors, InvalidInputError, NotFoundError, ServerError
from annotate.io.files import pid_alive
from annotate.io.settings import ENV_FILE, KEY_VAR, URL_VAR, read_env_file, update_env_file
from annotate.labelstudio.database import database_environment

DEFAULT_DATA_DIR = ".labelstudio"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_USERNAME = "admin@annotate.local"
USER_VAR = "LABEL_STUDIO_USERNAME"
PASSWORD_VAR = "LABEL_STUDIO_PASSWORD"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
START_TIMEOUT = 240.0  # a first start on an empty PostgreSQL database runs every migration
DATABASE_VAR = "ANNOTATE_DATABASE_URL"


@dataclass(frozen=True)
class ServerInfo:
    """A running local server.

    url (str): Its URL.
    username (str): The admin's email.
    password (str): The admin's password (kept out of ``repr``).
    pid (int | None): The server's process id.
    data_dir (Path): Its data folder.
    first_start (bool): This start set it up (a new admin, password and token).
    already_running (bool): It was running before the call.
    database (str | None): The PostgreSQL URL, if not SQLite (kept out of ``repr``).
    """

    url: str
    username: str
    password: str = field(repr=False)
    pid: int | None
    data_dir: Path
    first_start: bool = False
    already_running: bool = False
    database: str | None = field(default=None, repr=False)


def label_studio_executable() -> str:
    """The ``label-studio`` executable: beside this Python, else on the PATH.

    RETURNS (str): Its path; NotFoundError (E060) when Label Studio is not installed.
    """
    beside = Path(sys.executable).parent / "label-studio"
    if beside.exists():
        return str(beside)
    found = shutil.which("label-studio")
    if not found:
        raise NotFoundError(Errors.E060)
    return found


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True if a Label Studio answers its health check at ``url``.

    url (str): The server's URL.
    timeout (float): Seconds to wait.
    RETURNS (bool): Whether ``/health`` says UP.
    """
    try:
        response = httpx.get(f"{url}/health", timeout=timeout)
        return response.status_code == 200 and response.json().get("status") == "UP"
    except (httpx.HTTPError, ValueError):
        return False


def _token_accepted(url: str, token: str) -> bool:
    try:
        response = httpx.get(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"}, timeout=10)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def _read_pid(data_dir: Path) -> int | None:
    try:
        pid = int((data_dir / "server.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def port_free(host: str, port: int) -> bool:
    """Whether a server could bind ``host:port`` now.

    host (str): The address.
    port (int): The port.
    RETURNS (bool): True when the port is free.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # as a server binds: connections of a stopped server lingering in TIME_WAIT do not count
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port free on ``host`` now.

    host (str): The address to bind.
    RETURNS (int): The port.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def start(
    data_dir: Path | str = DEFAULT_DATA_DIR,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    env_file: Path | str = ENV_FILE,
    public: bool = False,
    timeout: float = START_TIMEOUT,
    database: str | None = None,
) -> ServerInfo:
    """Start Label Studio in the background (or find it running) and wait until it is healthy.

    data_dir (Path | str): Its data folder.
    host (str): The address to bind (loopback unless ``public``).
    port (int): The port.
    env_file (Path | str): The ``.env`` holding (and given) the URL, admin, password and token.
    public (bool): Allow binding to an address other machines reach.
    timeout (float): Seconds to wait for it to become healthy.
    database (str | None): A PostgreSQL URL (default: the one in ``.env`` if any, else SQLite in ``data_dir``).
    RETURNS (ServerInfo): The running server; InvalidInputError, ConflictError or ServerError otherwise.
    """
    if host not in LOOPBACK and not public:
        raise InvalidInputError(Errors.E062.format(host=host))
    data_dir = Path(data_dir).resolve()
    env = read_env_file(env_file)
    database = database or os.environ.get(DATABASE_VAR) or env.get(DATABASE_VAR)
    db_env = database_environment(database) if database else {}
    url_host = "localhost" if host in LOOPBACK else host
    url = f"http://{url_host}:{port}"
    username = env.get(USER_VAR) or DEFAULT_USERNAME
    password = env.get(PASSWORD_VAR)
    token = env.get(KEY_VAR)
    first_start = not (password and token) or (not database and not (data_dir / "label_studio.sqlite3").exists())

    running = _read_pid(data_dir)
    if running and healthy(env.get(URL_VAR, url)):
        return ServerInfo(
            env.get(URL_VAR, url), username, password or "", running, data_dir, already_running=True, database=database
        )
    if not port_free(host, port):
        raise ConflictError(Errors.E063.format(port=port, host=host))

    # Only a first start lacks them (first_start is true when either is missing); it keeps any already set.
    password = password or secrets.token_urlsafe(12)
    token = token or secrets.token_hex(20)
    update_env_file(
        {
            URL_VAR: url,
            KEY_VAR: token,
            USER_VAR: username,
            PASSWORD_VAR: password,
            **({DATABASE_VAR: database} if database else {}),
        },
        env_file,
    )

    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    child_env = dict(os.environ)
    child_env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "LABEL_STUDIO_USERNAME": username,
            "LABEL_STUDIO_PASSWORD": password,
            "LABEL_STUDIO_USER_TOKEN": token,
            **db_env,
        }
    )
    if host in LOOPBACK:
        # A server on the loopback may call an ML backend on it (`annotate model serve`): its /predict and the
        # webhook Label Studio adds for it. Bound publicly, Label Studio keeps its SSRF guards.
        child_env.setdefault("ML_BLOCK_LOCAL_IP", "false")
        child_env.setdefault("SSRF_PROTECTION_ENABLED", "false")
    child_env.pop(KEY_VAR, None)
    child_env.pop(DATABASE_VAR, None)
    command = [
        label_studio_executable(),
        "start",
        "--no-browser",
        "--internal-host",
        host,
        "--port",
        str(port),
        "--enable-legacy-api-token",
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=data_dir,
        )
    (data_dir / "server.pid").write_text(str(process.pid))

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if healthy(url):
            if not _token_accepted(url, token):
                _terminate(process.pid)
                (data_dir / "server.pid").unlink(missing_ok=True)
                raise ServerError(Errors.E064.format(url=url, env_file=env_file, data_dir=data_dir))
            return ServerInfo(
                url, username, password, process.pid, data_dir, first_start=first_start, database=database
            )
        time.sleep(1.0)
    if process.poll() is None:
        _terminate(process.pid)
    raise ServerError(Errors.E061.format(url=url, timeout=timeout, log=log_path, tail=_log_tail(log_path)))


_SET_PASSWORD = """
import os, sys
import label_studio
sys.path.insert(0, os.path.dirname(label_studio.__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "label_studio.core.settings.label_studio")
import django
django.setup()
from users.models import User
user = User.objects.filter(email__iexact=sys.argv[1]).first()
if user is None:
    sys.exit(3)
user.set_password(os.environ["ANNOTATE_NEW_PASSWORD"])
user.save()
"""


def manages(data_dir: Path | str, env_file: Path | str = ENV_FILE) -> bool:
    """True if ``data_dir`` holds the data of the server ``env_file`` points at (started by annotate here).

    data_dir (Path | str): The data folder.
    env_file (Path | str): The ``.env`` file.
    RETURNS (bool): Whether annotate manages that server's database.
    """
    data_dir = Path(data_dir)
    env = read_env_file(env_file)
    return data_dir.is_dir() and (bool(env.get(DATABASE_VAR)) or (data_dir / "label_studio.sqlite3").exists())


def set_password(data_dir: Path | str, email: str, password: str, env_file: Path | str = ENV_FILE) -> None:
    """Set a user's login password in the database of the server this folder runs.

    Through Label Studio's own Django models, as its ``reset_password`` command does; the password travels
    in the environment, not argv.

    data_dir (Path | str): The server's data folder.
    email (str): The user.
    password (str): The new password.
    env_file (Path | str): The ``.env`` file (for a PostgreSQL database).
    RETURNS (None): ServerError (E066) when it could not be set.
    """
    data_dir = Path(data_dir).resolve()
    env = read_env_file(env_file)
    database = os.environ.get(DATABASE_VAR) or env.get(DATABASE_VAR)
    child_env = {k: v for k, v in os.environ.items() if k not in (KEY_VAR, DATABASE_VAR)}
    child_env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "ANNOTATE_NEW_PASSWORD": password,
            **(database_environment(database) if database else {}),
        }
    )
    python = Path(label_studio_executable()).parent / "python"
    done = subprocess.run(
        [str(python if python.exists() else sys.executable), "-c", _SET_PASSWORD, email],
        env=child_env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise ServerError(
            Errors.E066.format(
                email=email, data_dir=data_dir, detail=(done.stderr.strip().splitlines() or ["no output"])[-1]
            )
        )


def _terminate(pid: int, grace: float = 20.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:  # reap it if it is our child
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        if not pid_alive(pid, group=True):  # Label Studio and its workers
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop(data_dir: Path | str = DEFAULT_DATA_DIR) -> bool:
    """Stop the server started from ``data_dir``.

    data_dir (Path | str): Its data folder.
    RETURNS (bool): False when none was running.
    """
    data_dir = Path(data_dir).resolve()
    pid = _read_pid(data_dir)
    if pid is None:
        return False
    _terminate(pid)
    (data_dir / "server.pid").unlink(missing_ok=True)
    return True


def status(data_dir: Path | str = DEFAULT_DATA_DIR, env_file: Path | str = ENV_FILE) -> dict:
    """The local server's state.

    data_dir (Path | str): Its data folder.
    env_file (Path | str): The ``.env`` file.
    RETURNS (dict): ``pid`` (None when not running), ``url``, ``healthy``, ``data_dir``, ``username``.
    """
    data_dir = Path(data_dir).resolve()
    env = read_env_file(env_file)
    url = os.environ.get(URL_VAR) or env.get(URL_VAR)
    return {
        "pid": _read_pid(data_dir),
        "url": url,
        "healthy": healthy(url) if url else False,
        "data_dir": str(data_dir),
        "username": env.get(USER_VAR),
    }
