"""Server faults, kills and interrupts: nothing lost, nothing duplicated, nothing half-written.

Faults a real server cannot produce on cue (dropped connections, delays past the timeout,
500/502/429) come from tests/faultproxy.py, a proxy in front of the real Label Studio.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from annotate.io.documents import write_documents
from annotate.labelstudio.push import push

from .conftest import SCHEMA, push_args, run_cli, start_server
from .faultproxy import FaultProxy

FAST = {"ANNOTATE_HTTP_TIMEOUT": "2", "ANNOTATE_HTTP_ATTEMPTS": "5"}


def env_file_for(tmp_path, url, key):
    path = tmp_path / f"proxy-{abs(hash(url)) % 10**6}.env"
    path.write_text(f"LABEL_STUDIO_URL={url}\nLABEL_STUDIO_API_KEY={key}\n")
    return path


def doc_counts(client, title):
    project = next(p for p in client.projects() if p["title"] == title)
    return Counter(t["data"]["doc_id"] for t in client.iter_tasks(project["id"])), project["id"]


def is_import(method, path):
    return method == "POST" and "/import" in path


def test_push_survives_dropped_connections_timeouts_and_5xx_on_import(ls_server, client, preannotated, tmp_path, title):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated)
    faults = {1: "drop-after", 2: "500", 4: "delay-after:4", 6: "502", 7: "429", 9: "drop"}
    with FaultProxy(ls_server["url"], faults, match=is_import) as proxy:
        env_file = env_file_for(tmp_path, proxy.url, ls_server["api_key"])
        result = run_cli(*push_args(docs, title, env_file, "--batch-size", "10"), env=FAST)
    assert result.returncode == 0, result.stderr
    counts, _ = doc_counts(client, title)
    assert counts == Counter(d.id for d in preannotated)  # the batches the server did twice were repaired
    assert "duplicate tasks" in result.stdout  # the first batch was imported, the answer lost, then imported again
    assert [f for _, _, f in proxy.seen if f != "ok"] == list(faults.values())
    assert f"{len(preannotated)} documents = {len(preannotated)} tasks" in result.stdout


def test_push_and_pull_retry_faults_on_reads(ls_server, client, preannotated, tmp_path, title):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated[:20])
    reads = lambda method, path: method == "GET"  # noqa: E731
    with FaultProxy(
        ls_server["url"], {1: "502", 2: "drop", 3: "500", 5: "delay-after:4", 8: "429"}, match=reads
    ) as proxy:
        env_file = env_file_for(tmp_path, proxy.url, ls_server["api_key"])
        result = run_cli(
            "push", str(docs), "--project", title, "--schema", str(SCHEMA), "--env-file", str(env_file), env=FAST
        )
    assert result.returncode == 0, result.stderr
    counts, project_id = doc_counts(client, title)
    assert counts == Counter(d.id for d in preannotated[:20])

    clean = run_cli(
        "pull",
        "--project",
        title,
        "-o",
        str(tmp_path / "clean"),
        "--raw-dir",
        str(tmp_path / "raw"),
        "--env-file",
        str(ls_server["env_file"]),
        cwd=tmp_path,
    )
    assert clean.returncode == 0, clean.stderr
    is_export = lambda method, path: "/export" in path  # noqa: E731
    with FaultProxy(ls_server["url"], {1: "502", 2: "drop", 3: "delay-after:4", 4: "429"}, match=is_export) as proxy:
        env_file = env_file_for(tmp_path, proxy.url, ls_server["api_key"])
        faulty = run_cli(
            "pull",
            "--project",
            title,
            "-o",
            str(tmp_path / "faulty"),
            "--raw-dir",
            str(tmp_path / "raw"),
            "--env-file",
            str(env_file),
            cwd=tmp_path,
            env=FAST,
        )
    assert faulty.returncode == 0, faulty.stderr
    for name in ("annotations.jsonl", "documents.jsonl", "set_aside.jsonl", "rejected.jsonl"):
        assert (tmp_path / "faulty" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
    clean_sha = json.loads((tmp_path / "clean" / "pull.json").read_text())["raw_export"]["sha256"]
    assert json.loads((tmp_path / "faulty" / "pull.json").read_text())["raw_export"]["sha256"] == clean_sha
    assert [p.name for p in (tmp_path / "raw").iterdir()] == [f"export-{clean_sha}.json"]  # no stray partial download


def test_persistent_failure_is_one_clear_line_then_a_rerun_resumes(ls_server, client, preannotated, tmp_path, title):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated[:15])
    every = {i: "500" for i in range(1, 200)}
    with FaultProxy(ls_server["url"], every, match=is_import) as proxy:
        env_file = env_file_for(tmp_path, proxy.url, ls_server["api_key"])
        failed = run_cli(
            *push_args(docs, title, env_file, "--batch-size", "5"),
            env={**FAST, "ANNOTATE_HTTP_ATTEMPTS": "3"},
        )
    assert failed.returncode == 1
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, failed.stderr
    assert proxy.url in lines[0] and "importing tasks" in lines[0] and "after 3 attempts" in lines[0]
    assert "Traceback" not in failed.stderr
    assert sum(1 for _, path, _ in proxy.seen if "/import" in path) == 3  # bounded
    rerun = run_cli(*push_args(docs, title, ls_server["env_file"], "--batch-size", "5"))
    assert rerun.returncode == 0, rerun.stderr
    assert doc_counts(client, title)[0] == Counter(d.id for d in preannotated[:15])


def test_client_errors_are_not_retried(ls_server, preannotated, tmp_path, title):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated[:3])
    with FaultProxy(ls_server["url"], {}) as proxy:
        env_file = env_file_for(tmp_path, proxy.url, "not-the-token-0123456789")
        result = run_cli("push", str(docs), "--project", title, "--env-file", str(env_file), env=FAST)
    assert result.returncode == 1 and "refused the API key" in result.stderr
    assert len(proxy.seen) == 1


def test_label_studio_stopped_half_way_through_a_push_then_restarted(preannotated, tmp_path, title):
    from annotate.io.settings import load_settings
    from annotate.labelstudio.client import LabelStudio
    from annotate.labelstudio.server import free_port

    folder = tmp_path / "own-ls"
    folder.mkdir()
    port = free_port()
    started = start_server(folder, port)
    assert started.returncode == 0, started.stderr
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated)
    env = dict(os.environ, ANNOTATE_HTTP_ATTEMPTS="2", ANNOTATE_HTTP_TIMEOUT="5")
    env.pop("LABEL_STUDIO_URL", None)
    env.pop("LABEL_STUDIO_API_KEY", None)
    cmd = [sys.executable, "-m", "annotate", *push_args(docs, title, folder / ".env", "--batch-size", "2")]
    settings = load_settings(folder / ".env")
    try:
        with LabelStudio(settings) as client:
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 120
            stopped = False
            while time.monotonic() < deadline and proc.poll() is None:
                projects = [p for p in client.projects() if p["title"] == title]
                if projects and client.project(projects[0]["id"])["task_number"] >= 6:
                    run_cli("server", "stop", "--data-dir", str(folder / "data"), cwd=folder)
                    stopped = True
                    break
                time.sleep(0.05)
            out, err = proc.communicate(timeout=120)
        assert stopped, "the push ended before the server could be stopped"
        assert proc.returncode == 1
        assert f"localhost:{port}" in err and "Cannot reach Label Studio" in err and "Traceback" not in err
        assert start_server(folder, port).returncode == 0
        rerun = run_cli(
            "push", str(docs), "--project", title, "--schema", str(SCHEMA), "--env-file", str(folder / ".env")
        )
        assert rerun.returncode == 0, rerun.stderr
        with LabelStudio(settings) as client:
            counts, _ = doc_counts(client, title)
        assert counts == Counter(d.id for d in preannotated)
    finally:
        run_cli("server", "stop", "--data-dir", str(folder / "data"), cwd=folder)


def killed(cmd, after: float, env=None, cwd=None) -> int:
    """Run cmd, SIGKILL it after ``after`` seconds (if still running); return its exit code."""
    full = dict(os.environ)
    full.pop("LABEL_STUDIO_URL", None)
    full.pop("LABEL_STUDIO_API_KEY", None)
    full.update(env or {})
    proc = subprocess.Popen(cmd, env=full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return proc.returncode


@pytest.mark.parametrize("after", [0.6, 1.2, 1.8, 2.6])
def test_push_killed_anywhere_then_rerun(ls_server, client, preannotated, tmp_path, title, after):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated)
    cmd = [sys.executable, "-m", "annotate", *push_args(docs, title, ls_server["env_file"], "--batch-size", "3")]
    killed(cmd, after)
    rerun = run_cli(*cmd[3:])
    assert rerun.returncode == 0, rerun.stderr
    assert doc_counts(client, title)[0] == Counter(d.id for d in preannotated)


def tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def raw_intact(raw: Path) -> None:
    for p in raw.iterdir():
        assert not p.name.startswith(".") or ".tmp-" in p.name, p
        if p.name.startswith("export-"):
            assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name[len("export-") : -len(".json")]


def test_pull_and_compile_killed_anywhere_then_rerun(ls_server, client, preannotated, schema, tmp_path, title):
    from annotate.corpus.store import verify

    push(client, preannotated[:30], schema, title)
    project = next(p for p in client.projects() if p["title"] == title)
    tasks = list(client.iter_tasks(project["id"]))
    for task in tasks[:20]:
        doc = next(d for d in preannotated if d.id == task["data"]["doc_id"])
        result = [
            {
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s.start, "end": s.end, "text": doc.text[s.start : s.end], "labels": [s.label]},
            }
            for s in doc.spans
        ]
        client.request("POST", f"/api/tasks/{task['id']}/annotations/", "annotating", json={"result": result})
    pull_args = ["pull", "--project", title, "-o", "pull", "--raw-dir", "raw", "--env-file", str(ls_server["env_file"])]
    reference = tmp_path / "reference"
    reference.mkdir()
    assert run_cli(*pull_args, cwd=reference).returncode == 0
    compile_args = ["compile", "pull", "--name", "c", "--root", "corpus"]
    assert run_cli(*compile_args, cwd=reference).returncode == 0
    expected_pull = {k: v for k, v in tree(reference / "pull").items() if k != "pull.json"}
    expected_content = json.loads((reference / "corpus" / "c" / "v1" / "manifest.json").read_text())["content_sha256"]

    for i, after in enumerate([0.4, 0.9, 1.4, 2.0, 3.0]):
        work = tmp_path / f"run{i}"
        work.mkdir()
        killed([sys.executable, "-m", "annotate", *pull_args], after, cwd=work)
        if (work / "pull").exists():  # either absent or whole
            assert (work / "pull" / "pull.json").is_file()
        if (work / "raw").exists():
            raw_intact(work / "raw")
        assert run_cli(*pull_args, cwd=work).returncode == 0
        raw_intact(work / "raw")
        assert {k: v for k, v in tree(work / "pull").items() if k != "pull.json"} == expected_pull
        assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []

        killed([sys.executable, "-m", "annotate", *compile_args], after, cwd=work)
        corpus_dir = work / "corpus" / "c"
        if corpus_dir.exists():
            for version in corpus_dir.iterdir():
                if not version.name.startswith("."):
                    verify(version)  # a version that exists is whole
        assert run_cli(*compile_args, cwd=work).returncode == 0
        assert [p.name for p in corpus_dir.iterdir() if not p.name.startswith(".")] == ["v1"]
        assert [p.name for p in corpus_dir.iterdir() if p.name.startswith(".")] == []  # stale temps cleaned
        manifest = verify(corpus_dir / "v1")
        assert manifest["content_sha256"] == expected_content


def test_ctrl_c_stops_cleanly_with_a_message(ls_server, client, preannotated, tmp_path, title):
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated)
    env = dict(os.environ)
    env.pop("LABEL_STUDIO_URL", None)
    env.pop("LABEL_STUDIO_API_KEY", None)
    cmd = [sys.executable, "-m", "annotate", *push_args(docs, title, ls_server["env_file"], "--batch-size", "2")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        projects = [p for p in client.projects() if p["title"] == title]
        if projects and client.project(projects[0]["id"])["task_number"] > 0:
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.05)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "Interrupted" in err and "Traceback" not in err
    assert run_cli(*cmd[3:]).returncode == 0
    assert doc_counts(client, title)[0] == Counter(d.id for d in preannotated)
