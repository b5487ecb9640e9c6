"""The ML backend speaks Label Studio's protocol (FastAPI's TestClient against the real app and the real model):
a project's own text field and control names, tasks in order, exact offsets, beam scores, clear 4xx errors."""

from __future__ import annotations

import socket
import sys

import pytest
from fastapi.testclient import TestClient  # the `ml` extra: scripts/setup.sh installs it; missing, this fails

from annotate.core.scores import ScoredEntity, ScoredText
from annotate.labelstudio.ml_backend import ProjectSetup, create_app, predict_tasks
from annotate.workflows.model import backend

from .conftest import run_cli

CONFIG = (
    '<View><Header value="$title"/><Text name="story" value="$clean_description"/>'
    '<Labels name="entities" toName="story"><Label value="PERSON"/><Label value="GPE"/><Label value="ORG"/></Labels>'
    '<Choices name="topic" toName="story"><Choice value="war"/></Choices></View>'
)
TEXTS = [
    "Ada Lovelace met Charles Babbage in London.",
    "Nothing to see here.",
    "Activists said at least 50 people died in Homs, the Arab League said on Monday.",
]


@pytest.fixture(scope="module")
def served():
    ready = backend()
    return ready, TestClient(ready.app)


def test_health_and_setup_answer_the_model_version(served):
    ready, http = served
    health = http.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "UP"
    assert health.json()["model_version"] == ready.model_version
    assert ready.model_version.startswith("en_core_web_sm") and ready.model_version.count("-") == 1  # name-version
    setup = http.post(
        "/setup", json={"project": "7.1700000000", "schema": CONFIG, "hostname": "http://x", "access_token": "t"}
    )
    assert setup.status_code == 200 and setup.json() == {"model_version": ready.model_version}


def test_predict_three_tasks_in_order_in_the_projects_names_with_scores(served):
    ready, http = served
    http.post("/setup", json={"project": "7.1700000000", "schema": CONFIG})
    tasks = [{"id": 10 + i, "data": {"clean_description": text, "title": "t"}} for i, text in enumerate(TEXTS)]
    answer = http.post("/predict", json={"tasks": tasks, "project": "7.1700000000", "label_config": CONFIG})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert len(results) == 3
    found = []
    for text, prediction in zip(TEXTS, results, strict=True):
        assert prediction["model_version"] == ready.model_version
        scores = []
        for region in prediction["result"]:
            assert (region["from_name"], region["to_name"], region["type"]) == ("entities", "story", "labels")
            value = region["value"]
            assert text[value["start"] : value["end"]] == value["text"]
            assert value["labels"][0] in {"PERSON", "GPE", "ORG"}
            assert 0 < region["score"] <= 1
            scores.append(region["score"])
            found.append((value["text"], value["labels"][0]))
        assert 0 < prediction["score"] <= min(scores, default=1.0)  # the least span score, or less (a missed entity)
    # the order of the tasks: the first task's people, the third's city (a DATE is not a label of this project)
    assert ("Ada Lovelace", "PERSON") in found and ("Homs", "GPE") in found
    assert not results[1]["result"] and 0.9 < results[1]["score"] <= 1.0  # nothing found, and the beam agrees
    assert not any(label == "DATE" for _, label in found)


def test_predict_without_label_config_uses_the_setup_of_the_project(served):
    _, http = served
    http.post("/setup", json={"project": "8", "schema": CONFIG})
    answer = http.post("/predict", json={"tasks": [{"id": 1, "data": {"clean_description": TEXTS[0]}}], "project": "8"})
    assert answer.status_code == 200
    assert answer.json()["results"][0]["result"][0]["from_name"] == "entities"


@pytest.mark.parametrize(
    "body, status, code",
    [
        (b"{not json", 400, "E193"),
        (b"[1, 2]", 400, "E193"),
        (b'{"tasks": "x", "label_config": "<View/>"}', 400, "E193"),
        (b'{"tasks": [{"id": 1, "data": {"text": "Ada"}}], "project": "99"}', 422, "E191"),
        (
            b'{"tasks": [{"id": 5, "data": {"text": "Ada"}}], "label_config": "'
            + CONFIG.replace('"', '\\"').encode()
            + b'"}',
            422,
            "E192",
        ),
    ],
)
def test_bad_bodies_get_a_4xx_with_one_coded_line(served, body, status, code):
    _, http = served
    answer = http.post("/predict", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert detail.startswith(f"[{code}]") and "\n" not in detail and "Traceback" not in detail


def test_webhook_counts_events(served):
    ready, http = served
    before = ready.app.state.backend.events["ANNOTATION_CREATED"]
    answer = http.post("/webhook", json={"action": "ANNOTATION_CREATED", "annotation": {"id": 1}})
    assert answer.status_code == 200
    assert ready.app.state.backend.events["ANNOTATION_CREATED"] == before + 1


def test_project_labels_pick_the_schema_label_else_the_models():
    config = CONFIG.replace('<Label value="PERSON"/>', '<Label value="PER"/>')
    setup = ProjectSetup.from_config(config)

    def predictor(texts):
        entities = (ScoredEntity(0, 3, "PERSON", "PERSON", 0.5), ScoredEntity(8, 12, "GPE", "GPE", 0.25))
        return [ScoredText(entities) for _ in texts]

    (prediction,) = predict_tasks([{"data": {"clean_description": "Ada met Homs"}}], setup, predictor, "m-1")
    assert [(r["value"]["text"], r["value"]["labels"]) for r in prediction["result"]] == [("Homs", ["GPE"])]
    assert prediction["score"] == 0.25
    assert create_app(predictor, "m-1").state.backend.model_version == "m-1"


def test_task_score_counts_the_likeliest_entity_the_beam_holds_but_the_model_did_not_predict():
    setup = ProjectSetup.from_config(CONFIG)
    homs = ScoredEntity(4, 8, "ORG", "ORG", 0.3)  # the beam considered "Homs" as ORG with p=0.3
    date = ScoredEntity(0, 3, "DATE", "DATE", 0.6)  # not a label of this project: not counted

    def predictor(texts):
        return [ScoredText((), (homs, date)), ScoredText((ScoredEntity(0, 3, "PERSON", "PERSON", 0.9),), (homs,))]

    empty, found = predict_tasks([{"data": {"clean_description": "Sad Homs"}}] * 2, setup, predictor, "m-1")
    assert (empty["result"], empty["score"]) == ([], pytest.approx(0.7))
    assert found["score"] == pytest.approx(0.7) and found["result"][0]["score"] == 0.9
    (nothing,) = predict_tasks([{"data": {"clean_description": "x"}}], setup, lambda t: [ScoredText()], "m-1")
    assert nothing["score"] == 1.0  # no span and no doubt: certain, never null


def test_without_the_ml_extra_a_coded_error_names_it(monkeypatch):
    from annotate.errors import NotFoundError

    monkeypatch.setitem(sys.modules, "fastapi", None)  # `import fastapi` raises ImportError
    with pytest.raises(NotFoundError, match=r"\[E190\].*annotate\[ml\]"):
        create_app(lambda texts: [[] for _ in texts], "m-1")


def test_serve_refuses_a_public_host_without_public_and_a_taken_port():
    refused = run_cli("model", "serve", "--host", "0.0.0.0")
    assert refused.returncode == 1 and "[E194]" in refused.stderr and "Traceback" not in refused.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = run_cli("model", "serve", "--port", str(taken.getsockname()[1]))
    assert busy.returncode == 1 and "[E063]" in busy.stderr
