"""`annotate push --order uncertain` against a real Label Studio: the labeling stream hands out the least certain
task first, the "Least certain first" tab lists tasks by ascending score, and pushing again adds no second tab."""

from __future__ import annotations

import pytest

from annotate.io.documents import write_documents
from annotate.labelstudio.queue import SEQUENTIAL_SAMPLING, UNCERTAINTY_SAMPLING, VIEW_TITLE
from annotate.model.preannotate import preannotate

from .conftest import push_args, run_cli

pytestmark = pytest.mark.labelstudio


@pytest.fixture(scope="module")
def scored(seed_documents, nlp_and_info, schema):
    """Seed paragraphs scored by the model, the first in reading order not the least certain."""
    nlp, info = nlp_and_info
    docs, _ = preannotate(seed_documents[:12], nlp, info, schema, scores=True)
    assert len({d.score for d in docs}) > 3, [d.score for d in docs]  # scores that differ
    assert docs[0].score > min(d.score for d in docs)
    return docs


def project_titled(client, title):
    (project,) = [p for p in client.projects() if p["title"] == title]
    return project


def our_views(client, project_id):
    return [v for v in client.views(project_id) if v["data"].get("title") == VIEW_TITLE]


def test_push_order_uncertain_hands_out_the_least_certain_task_first(ls_server, client, scored, tmp_path, title):
    path = tmp_path / "scored.jsonl"
    write_documents(path, scored)
    pushed = run_cli(*push_args(path, title, ls_server["env_file"], "--order", "uncertain"))
    assert pushed.returncode == 0, pushed.stderr
    assert "Queue: least certain first (Uncertainty sampling" in pushed.stdout and "created" in pushed.stdout

    project = client.project(project_titled(client, title)["id"])
    assert project["sampling"] == UNCERTAINTY_SAMPLING and project["model_version"] == scored[0].model.tag
    by_doc = {d.id: d for d in scored}
    tasks = list(client.iter_tasks(project["id"], all_fields=True))
    for task in tasks:  # the scores travelled: each region's and the prediction's
        doc = by_doc[task["data"]["doc_id"]]
        (prediction,) = task["predictions"]
        assert prediction["score"] == pytest.approx(doc.score, abs=1e-4)
        assert sorted(r["score"] for r in prediction["result"]) == pytest.approx(sorted(doc.scores), abs=1e-4)

    least = min(d.score for d in scored)
    nxt = client.next_task(project["id"])  # the labeling stream, as the admin
    assert by_doc[nxt["data"]["doc_id"]].score == pytest.approx(least)

    (view,) = our_views(client, project["id"])
    assert view["data"]["ordering"] == ["tasks:predictions_score"]
    listed = client.request(
        "GET", "/api/tasks/", "listing the tab", params={"project": project["id"], "view": view["id"], "fields": "all"}
    )["tasks"]
    scores = [by_doc[t["data"]["doc_id"]].score for t in listed]
    assert len(scores) == len(scored) and scores == sorted(scores), scores
    assert [t["predictions_score"] for t in listed] == pytest.approx(sorted(scores), abs=1e-4)

    again = run_cli(*push_args(path, title, ls_server["env_file"], "--order", "uncertain"))
    assert again.returncode == 0, again.stderr
    assert "0 new" in again.stdout and "kept" in again.stdout
    assert [v["id"] for v in our_views(client, project["id"])] == [view["id"]]


def test_the_tab_orders_the_stream_under_sequential_sampling(ls_server, client, scored, tmp_path, title):
    path = tmp_path / "scored.jsonl"
    write_documents(path, scored)
    assert run_cli(*push_args(path, title, ls_server["env_file"], "--order", "uncertain")).returncode == 0
    project_id = project_titled(client, title)["id"]
    client.update_project(project_id, sampling=SEQUENTIAL_SAMPLING)
    (view,) = our_views(client, project_id)
    by_doc = {d.id: d for d in scored}
    nxt = client.next_task(project_id, view=view["id"])  # the stream started from the tab
    assert by_doc[nxt["data"]["doc_id"]].score == pytest.approx(min(d.score for d in scored))


def test_order_uncertain_needs_predictions_and_a_known_order(ls_server, seed_documents, preannotated, tmp_path, title):
    path = tmp_path / "plain.jsonl"
    write_documents(path, seed_documents[:3])
    refused = run_cli(*push_args(path, title, ls_server["env_file"], "--order", "uncertain"))
    assert refused.returncode == 1 and "[E195]" in refused.stderr and "Traceback" not in refused.stderr
    unknown = run_cli(*push_args(path, title, ls_server["env_file"], "--order", "random"))
    assert unknown.returncode == 1 and "[E196]" in unknown.stderr
    unscored = tmp_path / "unscored.jsonl"  # preannotate --no-scores: pushed, and W061 says they sort as unscored
    write_documents(unscored, preannotated[:3])
    warned = run_cli(*push_args(unscored, title, ls_server["env_file"], "--order", "uncertain"))
    assert warned.returncode == 0 and "[W061]" in warned.stderr and "3 documents" in warned.stderr, warned.stderr
