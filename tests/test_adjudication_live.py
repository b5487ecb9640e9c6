"""The adjudication round trip against the real Label Studio: two API-created annotators disagree,
compile finds the conflicts, `adjudicate push` sends them to an adjudication project (one prediction per
annotator), an API-created adjudicator decides, `adjudicate pull` brings the decisions back and
`compile --strategy adjudicated` writes a version in which every former conflict is settled."""

import json
import uuid

import srsly

from annotate.labelstudio.push import push

from .conftest import ROOT, run_cli
from .lsdata import results

GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
MISALIGNED = ("Syria‘s", "Western-")  # two seed gold spans that do not fall on spaCy tokens


def make_user(client, name, suffix):
    email = f"{name}-{suffix}@example.com"
    user = client.request(
        "POST",
        "/api/users/",
        "creating a user",
        json={"email": email, "username": f"{name}{suffix}", "password": uuid.uuid4().hex},
    )
    return user["id"], email


def test_conflicts_adjudicated_in_label_studio_settle_the_next_version(
    ls_server, client, preannotated, schema, title, tmp_path
):
    gold = {g["id"]: g for g in srsly.read_jsonl(GOLD)}
    chosen = [d for d in preannotated if len(gold[d.id]["spans"]) >= 2 and not any(m in d.text for m in MISALIGNED)][:8]
    pushed = push(client, chosen, schema, title)
    tasks = {t["data"]["doc_id"]: t["id"] for t in client.iter_tasks(pushed.project_id)}
    suffix = uuid.uuid4().hex[:6]
    alice, alice_email = make_user(client, "alice", suffix)
    bob, bob_email = make_user(client, "bob", suffix)
    disputed = set()
    for i, doc in enumerate(chosen):
        spans = gold[doc.id]["spans"]
        theirs = spans
        if i % 2 == 0:  # bob misses the first entity: a tie of two annotators
            theirs = spans[1:]
            disputed.add(doc.id)
        for user, mine in ((alice, spans), (bob, theirs)):
            client.request(
                "POST",
                f"/api/tasks/{tasks[doc.id]}/annotations/",
                "annotating",
                json={"result": results(doc.text, mine), "completed_by": user, "lead_time": 3.0},
            )

    env = ("--env-file", str(ls_server["env_file"]))
    corpus = ("--root", str(tmp_path / "corpus"))
    assert (
        run_cli(
            "pull",
            "--project",
            title,
            "-o",
            str(tmp_path / "pull"),
            "--raw-dir",
            str(tmp_path / "raw"),
            *env,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    first = run_cli("compile", str(tmp_path / "pull"), "--name", "adj", *corpus)
    assert first.returncode == 0, first.stderr
    v1 = tmp_path / "corpus" / "adj" / "v1"
    conflicts_v1 = list(srsly.read_jsonl(v1 / "conflicts.jsonl"))
    assert {c["doc_id"] for c in conflicts_v1} == disputed and {c["reason"] for c in conflicts_v1} == {"tie"}
    conflicted = {r["id"]: r for r in srsly.read_jsonl(v1 / "conflicted_documents.jsonl")}
    assert set(conflicted) == disputed
    for record in conflicted.values():
        assert {a["annotator"] for a in record["annotations"]} == {alice_email, bob_email}

    adjudication_title = f"{title[:34]} – adjudication"
    pushed_twice = [
        run_cli("adjudicate", "push", "--corpus", "adj@v1", "--project", adjudication_title, *corpus, *env)
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in pushed_twice), pushed_twice[0].stderr + pushed_twice[1].stderr
    assert f"{len(disputed)} new" in pushed_twice[0].stdout and "0 new" in pushed_twice[1].stdout  # idempotent
    project = next(p for p in client.projects() if p["title"] == adjudication_title)
    adjudication_tasks = list(client.iter_tasks(project["id"]))
    assert sorted(t["data"]["doc_id"] for t in adjudication_tasks) == sorted(disputed)
    for task in adjudication_tasks:
        assert task["data"]["adjudicating"] == "adj@v1"
        predictions = client.request("GET", f"/api/predictions/?task={task['id']}", "listing predictions")
        versions = {
            p["model_version"]: {(r["value"]["start"], r["value"]["labels"][0]) for r in p["result"]}
            for p in predictions
        }
        assert set(versions) == {alice_email, bob_email}
        assert len(versions[alice_email]) == len(versions[bob_email]) + 1  # bob's version lacks one span

    judge, judge_email = make_user(client, "judge", suffix)
    for task in adjudication_tasks:  # the adjudicator takes alice's version
        doc_id = task["data"]["doc_id"]
        client.request(
            "POST",
            f"/api/tasks/{task['id']}/annotations/",
            "adjudicating",
            json={"result": results(task["data"]["text"], gold[doc_id]["spans"]), "completed_by": judge},
        )

    pulled = run_cli(
        "adjudicate",
        "pull",
        "--project",
        adjudication_title,
        "-o",
        str(tmp_path / "adjudication"),
        "--raw-dir",
        str(tmp_path / "raw"),
        *env,
        cwd=tmp_path,
    )
    assert pulled.returncode == 0, pulled.stderr
    second = run_cli(
        "compile",
        str(tmp_path / "pull"),
        "--name",
        "adj",
        "--strategy",
        "adjudicated",
        "--adjudication",
        str(tmp_path / "adjudication"),
        *corpus,
    )
    assert second.returncode == 0, second.stderr
    v2 = tmp_path / "corpus" / "adj" / "v2"
    assert list(srsly.read_jsonl(v2 / "conflicts.jsonl")) == []
    for record in srsly.read_jsonl(v2 / "gold.jsonl"):
        assert record["spans"] == sorted(gold[record["id"]]["spans"], key=lambda s: (s["start"], s["end"], s["label"]))
        expected = f"adjudicated:{judge_email}" if record["id"] in disputed else "majority"
        assert record["meta"]["decided_by"] == expected
    manifest = json.loads((v2 / "manifest.json").read_text())
    assert manifest["strategy"] == "adjudicated"
    adjudication = manifest["adjudication"]
    assert adjudication["adjudicated_versions"] == ["adj@v1"]
    assert adjudication["documents_decided"] == len(disputed) == adjudication["conflicts_settled"]
    assert adjudication["by"] == {judge_email: len(disputed)}
    changes = (v2 / "CHANGES.md").read_text()
    assert f"Adjudicated: {len(disputed)} documents decided by {judge_email}" in changes
    assert f"settling {len(disputed)} conflicts of adj@v1" in changes
    # Anchoring in the manifest: alice kept what she accepted; bob deleted one predicted or gold span per dispute.
    anchoring = manifest["anchoring"]["annotators"]
    assert set(anchoring) == {alice_email, bob_email}
    assert anchoring[alice_email]["precision_edited"] in (None, 1.0)
    assert run_cli("corpus", "verify", "adj@v2", *corpus).returncode == 0


def test_compile_adjudicated_without_decisions_says_what_to_run(tmp_path):
    export = [
        {
            "id": 1,
            "data": {"text": "Anna Berg met Acme."},
            "annotations": [
                {
                    "id": 1,
                    "completed_by": 1,
                    "result": results("Anna Berg met Acme.", [{"start": 0, "end": 9, "label": "PERSON"}]),
                }
            ],
        }
    ]
    (tmp_path / "export.json").write_text(json.dumps(export))
    assert (
        run_cli(
            "pull",
            "--from-file",
            str(tmp_path / "export.json"),
            "-o",
            str(tmp_path / "pull"),
            "--raw-dir",
            str(tmp_path / "raw"),
        ).returncode
        == 0
    )
    failed = run_cli(
        "compile",
        str(tmp_path / "pull"),
        "--name",
        "x",
        "--root",
        str(tmp_path / "corpus"),
        "--strategy",
        "adjudicated",
        "--adjudication",
        str(tmp_path / "nowhere"),
    )
    assert failed.returncode == 1
    assert "annotate adjudicate pull" in failed.stderr and "nowhere" in failed.stderr
    assert not (tmp_path / "corpus" / "x").exists() or not list((tmp_path / "corpus" / "x").iterdir())
