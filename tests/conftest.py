"""Shared fixtures. Tests that need Label Studio get a real server: the one at
``LABEL_STUDIO_URL`` (with ``LABEL_STUDIO_API_KEY``) when set, else one started
here with ``annotate server start`` on a free port in a temp folder. When it
cannot be reached or started, those tests fail; they never skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from annotate.documents import Document
from annotate.ingest import ingest
from annotate.labelstudio import LabelStudio
from annotate.preannotate import load_model, preannotate
from annotate.schema import Schema, load_schema
from annotate.server import free_port, healthy
from annotate.settings import Settings, read_env_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SCHEMA = ROOT / "schemas" / "news.yml"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python -m annotate ARGS`` as a user would; returns the finished process."""
    full_env = dict(os.environ)
    full_env.pop("LABEL_STUDIO_URL", None)
    full_env.pop("LABEL_STUDIO_API_KEY", None)
    full_env.update(env or {})
    full_env.setdefault("COLUMNS", "200")
    return subprocess.run([sys.executable, "-m", "annotate", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


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
    port = free_port()
    result = run_cli("server", "start", "--data-dir", str(folder / "data"), "--port", str(port),
                     "--env-file", str(folder / ".env"), cwd=folder)
    if result.returncode != 0:
        pytest.fail(f"could not start Label Studio for the tests:\n{result.stdout}\n{result.stderr}")
    env = read_env_file(folder / ".env")
    yield {"url": env["LABEL_STUDIO_URL"], "api_key": env["LABEL_STUDIO_API_KEY"], "env_file": folder / ".env",
           "folder": folder, "started": True, "data_dir": folder / "data", "start_output": result.stdout}
    run_cli("server", "stop", "--data-dir", str(folder / "data"), cwd=folder)


@pytest.fixture
def client(ls_server):
    with LabelStudio(Settings(ls_server["url"], ls_server["api_key"])) as c:
        yield c


@pytest.fixture
def title(request) -> str:
    """A project title no other test uses."""
    return f"t {request.node.name[5:35]} {uuid.uuid4().hex[:8]}"
