"""`annotate model serve` connected to a real Label Studio: a task pushed without predictions, opened through the
API, gets a prediction from our backend, with our model_version, in the project's own control names."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from annotate.labelstudio.server import free_port

from .conftest import run_cli

pytestmark = pytest.mark.labelstudio

CONFIG = (
    '<View><Text name="story" value="$clean_description"/>'
    '<Labels name="entities" toName="story"><Label value="PERSON"/><Label value="GPE"/></Labels></View>'
)
TEXT = "Ada Lovelace met Charles Babbage in London."


@pytest.fixture
def backend_url(tmp_path):
    """`annotate model serve` on a free loopback port, as a user starts it; stopped after the test."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "annotate", "model", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # loading spaCy on a busy machine
        while True:
            if process.poll() is not None:
                pytest.fail(f"model serve exited with {process.returncode}:\n{(tmp_path / 'serve.log').read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"model serve did not answer /health:\n{(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_label_studio_asks_our_backend_for_a_task_without_predictions(ls_server, client, title, backend_url):
    version = httpx.get(f"{backend_url}/health").json()["model_version"]
    project = client.create_project(title=title, label_config=CONFIG)
    client.import_tasks(project["id"], [{"data": {"clean_description": TEXT}}])
    (task,) = list(client.iter_tasks(project["id"], all_fields=True))
    assert not task.get("predictions")

    connect = ("model", "connect", "--project", title, "--url", backend_url, "--env-file", str(ls_server["env_file"]))
    connected = run_cli(*connect)
    assert connected.returncode == 0, connected.stderr
    assert f"ML backend {backend_url} connected to project" in connected.stdout
    assert f"model_version {version}" in connected.stdout  # Label Studio called /setup
    again = run_cli(*connect)  # once only: the backend at that URL is kept
    assert again.returncode == 0 and "already connected" in again.stdout, again.stderr
    assert [b["url"].rstrip("/") for b in client.ml_backends(project["id"])] == [backend_url]

    opened = client.task(task["id"])  # what the labeling page does when it opens the task
    ours = [p for p in opened["predictions"] if p["model_version"] == version]
    assert len(ours) == 1, opened["predictions"]
    prediction = ours[0]
    regions = prediction["result"]
    assert {(r["from_name"], r["to_name"]) for r in regions} == {("entities", "story")}
    found = {(TEXT[r["value"]["start"] : r["value"]["end"]], r["value"]["labels"][0]) for r in regions}
    assert {("Ada Lovelace", "PERSON"), ("London", "GPE")} <= found
    assert all(0 < r["score"] <= 1 for r in regions)
    assert 0 < prediction["score"] <= min(r["score"] for r in regions)  # the least span score, or a missed entity

    # opened again: the task has a prediction of the current model_version, so it is not predicted twice
    again = client.task(task["id"])
    assert len([p for p in again["predictions"] if p["model_version"] == version]) == 1
