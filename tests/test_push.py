"""push against a real Label Studio (see conftest.ls_server)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from annotate.core.schema import config_difference, label_config
from annotate.core.spans import Span
from annotate.errors import AnnotateError
from annotate.io.documents import write_documents
from annotate.labelstudio.push import push
from annotate.labelstudio.tasks import result_to_span

from .conftest import SCHEMA, push_args, run_cli


def project_by_title(client, title):
    matches = [p for p in client.projects() if p["title"] == title]
    return matches[0] if matches else None


def doc_ids_of(client, project_id):
    return Counter(t["data"]["doc_id"] for t in client.iter_tasks(project_id))


def test_push_seeds_reads_back_and_is_idempotent(client, preannotated, schema, title):
    report = push(client, preannotated, schema, title, batch_size=25)
    assert report.created and report.new == len(preannotated) and report.present == 0
    project = client.project(report.project_id)
    assert project["task_number"] == len(preannotated)
    assert config_difference(label_config(schema), project["label_config"]) is None
    assert project["model_version"] == preannotated[0].model.tag

    tasks = list(client.iter_tasks(report.project_id, all_fields=True))
    assert Counter(t["data"]["doc_id"] for t in tasks) == Counter(d.id for d in preannotated)
    by_id = {d.id: d for d in preannotated}
    for task in tasks:
        doc = by_id[task["data"]["doc_id"]]
        assert task["data"]["text"] == doc.text
        assert (task["data"]["source"], task["data"]["offset"]) == (doc.source, doc.offset)
        (prediction,) = task["predictions"]
        assert prediction["model_version"] == doc.model.tag
        spans = tuple(sorted(result_to_span(r) for r in prediction["result"]))
        assert spans == doc.spans
        for r in prediction["result"]:
            assert r["value"]["text"] == doc.text[r["value"]["start"] : r["value"]["end"]]

    again = push(client, preannotated, schema, title)
    assert (again.created, again.new, again.present) == (False, 0, len(preannotated))
    assert client.project(report.project_id)["task_number"] == len(preannotated)


def test_payload_carries_the_scores_of_a_scored_document_only(preannotated):
    from annotate.labelstudio.tasks import document_to_task

    doc = next(d for d in preannotated if len(d.spans) >= 2)
    (plain,) = document_to_task(doc)["predictions"]
    assert "score" not in plain and not any("score" in r for r in plain["result"])
    scored = doc.with_spans(doc.spans, doc.model, scores=[0.123456 + i / 10 for i in range(len(doc.spans))], score=0.05)
    (prediction,) = document_to_task(scored)["predictions"]
    assert prediction["score"] == 0.05
    assert [r["score"] for r in prediction["result"]] == [round(0.123456 + i / 10, 4) for i in range(len(doc.spans))]
    assert [result_to_span(r) for r in prediction["result"]] == list(doc.spans)


def test_push_adds_only_new_documents(client, preannotated, schema, title):
    push(client, preannotated[:30], schema, title)
    report = push(client, preannotated, schema, title)
    assert (report.new, report.present) == (len(preannotated) - 30, 30)
    assert doc_ids_of(client, report.project_id) == Counter(d.id for d in preannotated)


def test_cli_push_second_run_reports_nothing_new(ls_server, preannotated, tmp_path, title):
    path = tmp_path / "pre.jsonl"
    write_documents(path, preannotated)
    args = ("push", str(path), "--project", title, "--schema", str(SCHEMA), "--env-file", str(ls_server["env_file"]))
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert f"{len(preannotated)} new, 0 already present" in first.stdout
    second = run_cli(*args)
    assert second.returncode == 0, second.stderr
    assert f"0 new, {len(preannotated)} already present" in second.stdout
    assert ls_server["api_key"] not in first.stdout + first.stderr + second.stdout + second.stderr


def test_push_killed_after_first_batch_then_rerun_leaves_one_task_per_document(
    ls_server, client, preannotated, tmp_path, title
):
    path = tmp_path / "pre.jsonl"
    write_documents(path, preannotated)
    env = dict(os.environ, COLUMNS="200")
    env.pop("LABEL_STUDIO_URL", None)
    env.pop("LABEL_STUDIO_API_KEY", None)
    cmd = [sys.executable, "-m", "annotate", *push_args(path, title, ls_server["env_file"], "--batch-size", "2")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed_at = None
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            project = project_by_title(client, title)
            if project and client.project(project["id"])["task_number"] > 0:
                os.kill(proc.pid, signal.SIGKILL)
                killed_at = project["id"]
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert killed_at is not None, "push finished before it could be killed; the test needs a smaller batch"
    partial = client.project(killed_at)["task_number"]
    assert 0 < partial < len(preannotated)

    rerun = run_cli(*push_args(path, title, ls_server["env_file"], "--batch-size", "5"))
    assert rerun.returncode == 0, rerun.stderr
    counts = doc_ids_of(client, killed_at)
    assert counts == Counter(d.id for d in preannotated)
    assert client.project(killed_at)["task_number"] == len(preannotated)


def test_duplicate_tasks_from_an_interrupted_push_are_repaired(client, preannotated, schema, title):
    from annotate.labelstudio.tasks import document_to_task

    report = push(client, preannotated[:10], schema, title)
    # what a batch committed by the server after its client died, and imported again, looks like
    client.import_tasks(report.project_id, [document_to_task(d) for d in preannotated[:3]])
    again = push(client, preannotated[:10], schema, title)
    assert again.duplicates_removed == 3 and again.new == 0
    assert doc_ids_of(client, report.project_id) == Counter(d.id for d in preannotated[:10])


def test_existing_project_with_another_config_is_refused(client, preannotated, schema, title):
    config = label_config(schema).replace('value="LOC"', 'value="PLACE"')
    project = client.create_project(title=title, label_config=config)
    with pytest.raises(AnnotateError, match="labels missing in the project: LOC; labels only in the project: PLACE"):
        push(client, preannotated, schema, title)
    assert client.project(project["id"])["task_number"] == 0


def test_labels_outside_the_schema_are_refused_before_any_write(client, preannotated, schema, title):
    doc = preannotated[0]
    bad = doc.with_spans([Span(0, 3, "EVENT")], model=doc.model)
    with pytest.raises(AnnotateError, match="predicted label 'EVENT' is not in schema news"):
        push(client, [bad, *preannotated[1:]], schema, title)
    assert project_by_title(client, title) is None


def test_unreachable_server_and_bad_token_give_one_line_errors(ls_server, preannotated, tmp_path, title):
    from annotate.labelstudio.server import free_port

    path = tmp_path / "pre.jsonl"
    write_documents(path, preannotated[:3])
    env_file = tmp_path / ".env"
    env_file.write_text(f"LABEL_STUDIO_URL=http://127.0.0.1:{free_port()}\nLABEL_STUDIO_API_KEY=abc123secret\n")
    result = run_cli("push", str(path), "--project", title, "--env-file", str(env_file))
    assert result.returncode == 1
    assert "Cannot reach Label Studio at http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr and "abc123secret" not in result.stderr

    env_file.write_text(f"LABEL_STUDIO_URL={ls_server['url']}\nLABEL_STUDIO_API_KEY=wrongtoken0123456789\n")
    result = run_cli("push", str(path), "--project", title, "--env-file", str(env_file))
    assert result.returncode == 1
    assert "refused the API key" in result.stderr and "wrongtoken" not in result.stderr

    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = run_cli("push", str(path), "--project", title, "--env-file", str(empty))
    assert result.returncode == 1 and "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY" in result.stderr
