"""Shared fixtures. Tests that need Label Studio get a real server: the one at
``LABEL_STUDIO_URL`` (with ``LABEL_STUDIO_API_KEY``) when set, else one started
here with ``annotate server start`` on a free port in a temp folder. When it
cannot be reached or started, those tests fail; they never skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from annotate.core.documents import Document
from annotate.core.schema import Schema
from annotate.io.schemas import load_schema
from annotate.io.settings import Settings, read_env_file
from annotate.io.sources import ingest
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.server import free_port, healthy
from annotate.model.preannotate import load_model, preannotate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SCHEMA = ROOT / "annotate" / "schemas" / "news.yml"  # the default schema, package data


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``python -m annotate ARGS`` as a user would; returns the finished process."""
    full_env = dict(os.environ)
    full_env.pop("LABEL_STUDIO_URL", None)
    full_env.pop("LABEL_STUDIO_API_KEY", None)
    full_env.update(env or {})
    full_env.setdefault("COLUMNS", "200")
    return subprocess.run(
        [sys.executable, "-m", "annotate", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def push_args(docs: Path, title: str, env_file: Path, *extra: str) -> list[str]:
    """The arguments of ``annotate push DOCS --project TITLE --schema SCHEMA EXTRA... --env-file ENV_FILE``."""
    return ["push", str(docs), "--project", title, "--schema", str(SCHEMA), *extra, "--env-file", str(env_file)]


def start_server(
    folder: Path, port: int | None = None, *extra: str, env_file: str = ".env", timeout: float = 600
) -> subprocess.CompletedProcess:
    """``annotate server start`` with its data in ``folder/data`` and its .env in ``folder/env_file``."""
    port = free_port() if port is None else port
    return run_cli(
        "server",
        "start",
        "--data-dir",
        str(folder / "data"),
        "--port",
        str(port),
        "--env-file",
        str(folder / env_file),
        *extra,
        cwd=folder,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema(SCHEMA)


@pytest.fixture(scope="session")
def seed_documents() -> list[Document]:
    return ingest(SEEDS)


@pytest.fixture(scope="session")
def nlp_and_info():
    return load_model(None)


@pytest.fixture(scope="session")
def preannotated(seed_documents, nlp_and_info, schema) -> list[Document]:
    nlp, info = nlp_and_info
    docs, _ = preannotate(seed_documents, nlp, info, schema)
    return docs


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory) -> dict:
    """A running Label Studio: {"url", "api_key", "env_file", "data_dir", "started"}."""
    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    if url and key:
        if not healthy(url.rstrip("/")):
            pytest.fail(f"LABEL_STUDIO_URL={url} is set but Label Studio does not answer /health there")
        folder = tmp_path_factory.mktemp("ls-external")
        env_file = folder / ".env"
        env_file.write_text(f"LABEL_STUDIO_URL={url}\nLABEL_STUDIO_API_KEY={key}\n")
        yield {"url": url.rstrip("/"), "api_key": key, "env_file": env_file, "folder": folder, "started": False}
        return
    folder = tmp_path_factory.mktemp("ls")
    result = start_server(folder)
    if result.returncode != 0:
        pytest.fail(f"could not start Label Studio for the tests:\n{result.stdout}\n{result.stderr}")
    env = read_env_file(folder / ".env")
    yield {
        "url": env["LABEL_STUDIO_URL"],
        "api_key": env["LABEL_STUDIO_API_KEY"],
        "env_file": folder / ".env",
        "folder": folder,
        "started": True,
        "data_dir": folder / "data",
        "start_output": result.stdout,
    }
    run_cli("server", "stop", "--data-dir", str(folder / "data"), cwd=folder)


@pytest.fixture
def client(ls_server):
    with LabelStudio(Settings(ls_server["url"], ls_server["api_key"])) as c:
        yield c


@pytest.fixture
def title(request) -> str:
    """A project title no other test uses."""
    return f"t {request.node.name[5:35]} {uuid.uuid4().hex[:8]}"


# --- PostgreSQL (team set-up) -------------------------------------------------


def _private_postgres(folder: Path) -> tuple[str, Callable[[], None]]:
    """A throwaway PostgreSQL cluster on loopback in ``folder`` (Debian's binaries); returns (url, stop)."""
    import glob
    import shutil

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed (Debian: apt-get install postgresql); the team tests need it")
    bin_dir = Path(found[-1]).parent
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = folder / "pgdata"
    folder.mkdir(parents=True, exist_ok=True)
    if as_postgres:
        shutil.chown(folder, "postgres")
    port = free_port()
    password = uuid.uuid4().hex
    (folder / "pw").write_text(password)
    if as_postgres:
        shutil.chown(folder / "pw", "postgres")
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "annotate",
            "--auth=scram-sha-256",
            f"--pwfile={folder / 'pw'}",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "pg.log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PGPASSWORD": password}
    subprocess.run(
        [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "annotate", "labelstudio"],
        check=True,
        capture_output=True,
        env=env,
    )

    def stop() -> None:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True
        )

    return f"postgresql://annotate:{password}@127.0.0.1:{port}/labelstudio", stop


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory) -> str:
    """A PostgreSQL database for Label Studio: ANNOTATE_TEST_DATABASE_URL (CI starts Debian's cluster and sets it),
    else a private cluster started here. The tests fail, never skip, without one."""
    url = os.environ.get("ANNOTATE_TEST_DATABASE_URL")
    if url:
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix="annotate-pg-"))
    try:
        url, stop = _private_postgres(folder)
    except subprocess.CalledProcessError as err:
        pytest.fail(f"could not start PostgreSQL for the tests: {err.stderr.decode(errors='replace')[-2000:]}")
    yield url
    stop()


@pytest.fixture(scope="session")
def ls_postgres(tmp_path_factory, pg_url) -> dict:
    """A second real Label Studio, on PostgreSQL: {"url", "api_key", "env_file", "folder"}."""
    folder = tmp_path_factory.mktemp("ls-pg")
    result = start_server(folder, None, "--database", pg_url, timeout=900)
    if result.returncode != 0:
        pytest.fail(f"could not start Label Studio on PostgreSQL:\n{result.stdout}\n{result.stderr}")
    env = read_env_file(folder / ".env")
    yield {
        "url": env["LABEL_STUDIO_URL"],
        "api_key": env["LABEL_STUDIO_API_KEY"],
        "env_file": folder / ".env",
        "folder": folder,
        "start_output": result.stdout,
    }
    run_cli("server", "stop", "--data-dir", str(folder / "data"), cwd=folder)
