"""A team on one server: Label Studio on PostgreSQL, annotator accounts made with `annotate users add`,
each task shown to two of three annotators (`push --overlap 2`), progress with `annotate status`, then
pull → compile; and three annotators submitting at the same time lose nothing."""

import json
import re
import threading
import time
import uuid

import httpx
import srsly

from annotate.io.documents import write_documents
from annotate.io.settings import Settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.push import push

from .conftest import ROOT, run_cli
from .lsdata import results

GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"


def can_log_in(url: str, email: str, password: str) -> bool:
    """Log in through Label Studio's own login form, as a person would."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as web:
        web.get("/user/login/")
        answer = web.post(
            "/user/login/",
            data={"email": email, "password": password, "csrfmiddlewaretoken": web.cookies.get("csrftoken")},
            headers={"Referer": f"{url}/user/login/"},
        )
        return answer.status_code == 302 and "/user/login" not in answer.headers.get("location", "")


def test_label_studio_runs_on_postgresql(ls_postgres, pg_url):
    from urllib.parse import urlsplit

    password = urlsplit(pg_url).password
    assert "database postgresql://" in ls_postgres["start_output"] and ":***@" in ls_postgres["start_output"]
    assert password not in ls_postgres["start_output"]
    env = (ls_postgres["folder"] / ".env").read_text()
    assert f"ANNOTATE_DATABASE_URL={pg_url}" in env  # remembered for the next start (the file is mode 600)
    assert (ls_postgres["folder"] / ".env").stat().st_mode & 0o777 == 0o600
    assert not (ls_postgres["folder"] / "data" / "label_studio.sqlite3").exists()
    assert password not in (ls_postgres["folder"] / "data" / "server.log").read_text(errors="replace")


def test_users_overlap_status_pull_compile_on_postgresql(ls_postgres, preannotated, schema, tmp_path):
    env = ("--env-file", str(ls_postgres["env_file"]))
    suffix = uuid.uuid4().hex[:6]
    emails = [f"{name}-{suffix}@example.com" for name in ("alice", "bob", "carol")]
    for email in emails:
        added = run_cli(
            "users",
            "add",
            email,
            "--first",
            email.split("-")[0].title(),
            "--data-dir",
            str(ls_postgres["folder"] / "data"),
            *env,
        )
        assert added.returncode == 0, added.stderr
        password = re.search(r"the password (\S+) ", added.stdout).group(1)
        assert f"{ls_postgres['url']}/user/login/" in added.stdout
        assert can_log_in(ls_postgres["url"], email, password)
        assert not can_log_in(ls_postgres["url"], email, password + "x")
    elsewhere = run_cli("users", "add", f"dan-{suffix}@example.com", *env, cwd=tmp_path)  # not this folder's server
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert re.search(r"sign up at http\S+token=\S+ with the email dan-", elsewhere.stdout)
    again = run_cli("users", "add", emails[0], *env)
    assert again.returncode == 1 and "already a user" in again.stderr
    listed = run_cli("users", "list", *env)
    assert all(email in listed.stdout for email in emails)

    gold = {g["id"]: g for g in srsly.read_jsonl(GOLD)}
    docs = preannotated[:12]
    title = f"team {suffix}"
    write_documents(tmp_path / "pre.jsonl", docs)
    pushed = run_cli("push", str(tmp_path / "pre.jsonl"), "--project", title, "--overlap", "2", *env)
    assert pushed.returncode == 0, pushed.stderr
    assert "12 new" in pushed.stdout and "each shown to 2 annotators" in pushed.stdout
    with LabelStudio(Settings(ls_postgres["url"], ls_postgres["api_key"])) as client:
        project = next(p for p in client.projects() if p["title"] == title)
        assert project["maximum_annotations"] == 2
        report = push(client, docs, schema, title)  # again, from Python: nothing new, the overlap kept
        assert report.new == 0 and report.overlap == 2
        users = {u["email"]: u["id"] for u in client.users()}
        tasks = {t["data"]["doc_id"]: t["id"] for t in client.iter_tasks(report.project_id)}
        for i, doc in enumerate(docs):
            pair = [emails[i % 3], emails[(i + 1) % 3]]
            for n, email in enumerate(pair):
                client.request(
                    "POST",
                    f"/api/tasks/{tasks[doc.id]}/annotations/",
                    "annotating",
                    json={"result": results(doc.text, gold[doc.id]["spans"]), "completed_by": users[email]},
                )
                labeled = client.request("GET", f"/api/tasks/{tasks[doc.id]}/", "reading the task")["is_labeled"]
                # Community honours the overlap: a task stays unlabeled until its second annotation
                assert labeled is (n == 1), (doc.id, n, labeled)
            if i == 0:  # a third annotator skips the first task
                client.request(
                    "POST",
                    f"/api/tasks/{tasks[doc.id]}/annotations/",
                    "skipping",
                    json={"result": [], "completed_by": users[emails[2]], "was_cancelled": True},
                )

    status = run_cli("status", "--project", title, "--json", *env)
    assert status.returncode == 0, status.stderr
    state = json.loads(status.stdout)
    assert state["overlap"] == 2 and state["tasks"] == 12 and state["complete"] == 12
    assert state["by_count"] == {"0": 0, "1": 0, "2": 12} and state["skipped"] == 1
    assert {e: c["submitted"] for e, c in state["per_annotator"].items()} == dict.fromkeys(emails, 8)  # 12 × 2 / 3
    assert state["per_annotator"][emails[2]]["skipped"] == 1
    table = run_cli("status", "--project", title, *env)
    assert table.returncode == 0 and "12 complete (100%)" in table.stdout

    pulled = run_cli(
        "pull", "--project", title, "-o", str(tmp_path / "pull"), "--raw-dir", str(tmp_path / "raw"), *env, cwd=tmp_path
    )
    assert pulled.returncode == 0, pulled.stderr
    compiled = run_cli(
        "compile", str(tmp_path / "pull"), "--name", "team", "--root", str(tmp_path / "corpus"), "--min-annotators", "2"
    )
    assert compiled.returncode == 0, compiled.stderr
    manifest = json.loads((tmp_path / "corpus" / "team" / "v1" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 12 and manifest["counts"]["left_out"] == 0
    assert sorted(manifest["agreement"]["annotators"]) == sorted(emails)
    with_entities = sum(1 for d in docs if gold[d.id]["spans"])  # empty submissions are not compared
    assert manifest["agreement"]["fleiss_n_documents"] == with_entities < 12


def test_three_annotators_submitting_at_once_lose_nothing(ls_postgres, preannotated, schema, tmp_path):
    gold = {g["id"]: g for g in srsly.read_jsonl(GOLD)}
    docs = preannotated[:20]
    suffix = uuid.uuid4().hex[:6]
    title = f"concurrent {suffix}"
    settings = Settings(ls_postgres["url"], ls_postgres["api_key"])
    with LabelStudio(settings) as client:
        report = push(client, docs, schema, title, overlap=3)
        ids = [client.create_user(f"{n}-{suffix}@example.com")["id"] for n in ("ann", "ben", "cat")]
        tasks = [(t["id"], t["data"]["doc_id"]) for t in client.iter_tasks(report.project_id)]
    created: dict[int, list[int]] = {user: [] for user in ids}
    failures: list[str] = []
    start = threading.Barrier(len(ids))

    def annotate_all(user: int) -> None:
        with LabelStudio(settings, timeout=30) as own:  # one connection per annotator, like browsers
            start.wait(timeout=60)
            for task_id, doc_id in tasks:
                try:
                    body = {
                        "result": results(gold[doc_id]["text"], gold[doc_id]["spans"]),
                        "completed_by": user,
                        "lead_time": 1.0,
                    }
                    created[user].append(
                        own.request("POST", f"/api/tasks/{task_id}/annotations/", "annotating", json=body)["id"]
                    )
                except Exception as err:  # noqa: BLE001  (reported below)
                    failures.append(f"{user} on {task_id}: {err}")

    threads = [threading.Thread(target=annotate_all, args=(user,)) for user in ids]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "annotators still submitting after 300 s"
    assert failures == []
    assert time.monotonic() - began < 300
    submitted = {a for user in ids for a in created[user]}
    assert len(submitted) == len(ids) * len(tasks)

    env = ("--env-file", str(ls_postgres["env_file"]))
    pulled = run_cli(
        "pull", "--project", title, "-o", str(tmp_path / "pull"), "--raw-dir", str(tmp_path / "raw"), *env, cwd=tmp_path
    )
    assert pulled.returncode == 0, pulled.stderr
    records = list(srsly.read_jsonl(tmp_path / "pull" / "annotations.jsonl"))
    aside = list(srsly.read_jsonl(tmp_path / "pull" / "set_aside.jsonl"))
    assert {r["annotation_id"] for r in records} | {a["annotation_id"] for a in aside} == submitted
    assert len(records) + len(aside) == len(submitted)
