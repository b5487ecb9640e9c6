"""The model in the loop learns, against the real Label Studio: tasks pushed without predictions, `annotate model
serve --retrain-every 2` connected, two users file annotations through the API → Label Studio's own webhook
reaches the backend → it retrains in the background → a new model_version serves, the unlabeled tasks get its
predictions, and version.json records the export it learned from. Killed mid-training, the restarted server
serves the last good version and still retrains."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import srsly

from annotate.labelstudio.server import free_port

from .conftest import ROOT, push_args, run_cli
from .lsdata import results

pytestmark = pytest.mark.labelstudio

GOLD = [g for g in srsly.read_jsonl(ROOT / "tests" / "fixtures" / "seeds_gold.jsonl")][:5]


class Backend:
    """`annotate model serve` as a subprocess, on a fixed port (Label Studio keeps the URL it was connected to)."""

    def __init__(self, folder: Path, port: int, env_file: Path):
        self.folder, self.port, self.env_file = folder, port, env_file
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.runs = 0

    def start(self, steps: int) -> dict:
        self.runs += 1
        log = self.folder / f"serve{self.runs}.log"
        args = ["model", "serve", "--port", str(self.port), "--retrain-every", "2", "--train-steps", str(steps)]
        args += ["--models-dir", str(self.folder / "loop"), "--env-file", str(self.env_file)]
        env = {k: v for k, v in os.environ.items() if k not in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "annotate", *args],
                cwd=self.folder,
                env={**env, "COLUMNS": "200"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 180  # loading spaCy on a busy machine
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"model serve exited with {self.process.returncode}:\n{log.read_text()}")
            try:
                answer = httpx.get(f"{self.url}/health", timeout=2)
                if answer.status_code == 200:
                    return answer.json()
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"model serve did not answer /health:\n{log.read_text()}")
            time.sleep(0.5)

    def health(self) -> dict:
        return httpx.get(f"{self.url}/health", timeout=10).json()

    def log(self) -> str:
        return (self.folder / f"serve{self.runs}.log").read_text()

    def wait_for(self, done, what: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            health = self.health()
            if done(health):
                return health
            if time.monotonic() > deadline:
                pytest.fail(f"{what} within {timeout} s; /health: {health}\n{self.log()}")
            time.sleep(0.5)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def loop(ls_server, client, title, tmp_path):
    """A project of five seed paragraphs pushed without predictions (ingested, not preannotated), two annotators, a backend to start."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "few.txt").write_text("\n\n".join(g["text"] for g in GOLD) + "\n", encoding="utf-8")
    ingested = run_cli("ingest", str(docs), "-o", str(tmp_path / "docs.jsonl"), cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    pushed = run_cli(*push_args(tmp_path / "docs.jsonl", title, ls_server["env_file"]), cwd=tmp_path)  # no predictions
    assert pushed.returncode == 0, pushed.stderr
    project = next(p for p in client.projects() if p["title"] == title)
    tasks = {t["data"]["text"]: t["id"] for t in client.iter_tasks(project["id"])}
    assert sorted(tasks) == sorted(g["text"] for g in GOLD), tasks
    suffix = uuid.uuid4().hex[:6]
    users = [
        client.request(
            "POST",
            "/api/users/",
            "creating a user",
            json={"email": f"{n}-{suffix}@example.com", "username": f"{n}{suffix}", "password": uuid.uuid4().hex},
        )["id"]
        for n in ("alice", "bob")
    ]
    backend = Backend(tmp_path, free_port(), ls_server["env_file"])
    try:
        yield {"project": project, "tasks": tasks, "users": users, "backend": backend, "title": title}
    finally:
        backend.stop(signal.SIGKILL)


def connect(ls_server, title: str, backend: Backend) -> None:
    connected = run_cli(
        "model", "connect", "--project", title, "--url", backend.url, "--env-file", str(ls_server["env_file"])
    )
    assert connected.returncode == 0, connected.stderr


def annotate_as_both(client, loop: dict, gold: dict) -> None:
    """Alice and Bob each submit the gold spans of one paragraph (two ANNOTATION_CREATED webhooks)."""
    for user in loop["users"]:
        body = {"result": results(gold["text"], gold["spans"]), "completed_by": user, "lead_time": 4.0}
        client.request("POST", f"/api/tasks/{loop['tasks'][gold['text']]}/annotations/", "annotating", json=body)


def stored_predictions(client, task_id: int, version: str) -> list[dict]:
    """The predictions of ``version`` Label Studio holds for a task."""
    found = client.request("GET", "/api/predictions/", "listing predictions", params={"task": task_id})
    return [p for p in found if p["model_version"] == version]


def finished(version: str):
    """/health once a training after ``version`` has ended (its predictions posted, or failed)."""
    return lambda h: (
        h["training"] is False
        and (h.get("last_training") or {}).get("status") in ("ok", "failed")
        and (h["model_version"] != version or h["last_training"]["status"] == "failed")
    )


def test_two_annotators_webhook_retrain_new_version_predicts_unlabeled_tasks(ls_server, client, loop):
    backend = loop["backend"]
    base = backend.start(steps=20)["model_version"]
    connect(ls_server, loop["title"], backend)
    started = time.monotonic()
    annotate_as_both(client, loop, GOLD[0])
    health = backend.wait_for(finished(base), "no retraining ended")
    elapsed = time.monotonic() - started
    assert health["last_training"]["status"] == "ok", health
    new = health["model_version"]
    assert new == f"{base}-loop1", health
    print(
        f"retrain (export + gold + 20 steps + load + predictions): {health['last_training']['seconds']} s "
        f"in the backend, {elapsed:.1f} s from the first annotation"
    )

    # what the backend posted (read without opening a task: opening one makes Label Studio ask /predict itself)
    posted = {t: stored_predictions(client, t, new) for t in loop["tasks"].values()}
    labeled = loop["tasks"][GOLD[0]["text"]]
    assert posted[labeled] == [], posted  # only tasks without annotations get fresh predictions
    assert all(len(p) == 1 for t, p in posted.items() if t != labeled), posted
    regions = [r for p in posted.values() for r in (p[0]["result"] if p else [])]
    assert regions and {(r["from_name"], r["to_name"]) for r in regions} == {("label", "text")}
    assert all(0 < r["score"] <= 1 for r in regions)
    project = client.project(loop["project"]["id"])
    assert project["model_version"] == new and project["sampling"] == "Uncertainty sampling"  # the queue follows it
    (tab,) = [v for v in client.views(project["id"]) if v["data"].get("title") == "Least certain first"]
    assert tab["data"]["ordering"] == ["tasks:predictions_score"]
    scores = {t: p[0]["score"] for t, p in posted.items() if p}  # the new version's task scores
    first = client.next_task(project["id"])  # the least certain task without annotations, by the new version
    assert first["id"] in scores and scores[first["id"]] == min(scores.values()), (first["id"], scores)
    task = client.task(loop["tasks"][GOLD[1]["text"]])  # opened: it has the new version's prediction, once
    assert len([p for p in task["predictions"] if p["model_version"] == new]) == 1, task["predictions"]

    folder = backend.folder / "loop" / new
    record = json.loads((folder / "version.json").read_text())
    raw = backend.folder / "loop" / "raw"
    (export,) = [p for p in raw.iterdir() if record["export_sha256"] in p.name]
    assert hashlib.sha256(export.read_bytes()).hexdigest() == record["export_sha256"]
    assert record["model_version"] == new and record["documents"] == 1 and record["steps"] == 20
    assert record["spans"] == len(GOLD[0]["spans"]) and record["project"]["id"] == loop["project"]["id"]
    assert json.loads((backend.folder / "loop" / "current.json").read_text())["model_version"] == new
    assert "[E" not in backend.log() and f"serving {new}" in backend.log()  # one line per retraining


def test_killed_mid_training_the_restarted_server_serves_the_last_good_version(ls_server, client, loop):
    backend = loop["backend"]
    base = backend.start(steps=20)["model_version"]
    connect(ls_server, loop["title"], backend)
    annotate_as_both(client, loop, GOLD[0])
    good = backend.wait_for(finished(base), "no first retraining ended")["model_version"]
    assert good == f"{base}-loop1"
    backend.stop()

    assert backend.start(steps=20000)["model_version"] == good  # restarted: the last good version, from disk
    annotate_as_both(client, loop, GOLD[1])
    backend.wait_for(lambda h: h["training"] is True, "no second training started", timeout=60)
    time.sleep(3)  # well into spaCy's training
    partial = backend.folder / "loop" / f"{base}-loop2.partial"
    assert partial.is_dir() and backend.health()["training"] is True
    backend.stop(signal.SIGKILL)

    health = backend.start(steps=20)
    assert health["model_version"] == good and health["training"] is False, health
    assert not partial.exists()  # the killed training's folder is cleaned, never pointed to
    assert json.loads((backend.folder / "loop" / "current.json").read_text())["model_version"] == good

    annotate_as_both(client, loop, GOLD[2])  # and it still learns
    health = backend.wait_for(finished(good), "no retraining after the restart ended")
    assert health["last_training"]["status"] == "ok", health
    assert health["model_version"] == f"{base}-loop3"  # loop2 was given to the killed training: never again
    assert stored_predictions(client, loop["tasks"][GOLD[3]["text"]], health["model_version"])
