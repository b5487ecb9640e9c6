"""The ML backend speaks Label Studio's protocol (FastAPI's TestClient against the real app and the real model):
a project's own text field and control names, tasks in order, exact offsets, beam scores, clear 4xx errors."""

from __future__ import annotations

import socket
import sys
import time

import pytest
from fastapi.testclient import TestClient  # the `ml` extra: scripts/setup.sh installs it; missing, this fails

from annotate.core.scores import ScoredEntity, ScoredText
from annotate.errors import AnnotateError, InvalidInputError
from annotate.io.schemas import load_schema
from annotate.io.settings import Settings
from annotate.labelstudio.learning import Learner, Model, ProjectRef, Served
from annotate.labelstudio.ml_backend import ProjectSetup, create_app, predict_tasks
from annotate.model.versions import VersionStore
from annotate.workflows.learn import LearnOptions
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
        create_app(lambda texts: [ScoredText() for _ in texts], "m-1")


def test_serve_refuses_a_public_host_without_public_and_a_taken_port():
    refused = run_cli("model", "serve", "--host", "0.0.0.0")
    assert refused.returncode == 1 and "[E194]" in refused.stderr and "Traceback" not in refused.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = run_cli("model", "serve", "--port", str(taken.getsockname()[1]))
    assert busy.returncode == 1 and "[E063]" in busy.stderr


# --- learning: the webhook counts, a background retraining swaps the model, a failure keeps the old one ---------

LEARN_CONFIG = (
    '<View><Text name="text" value="$text"/><Labels name="label" toName="text"><Label value="GPE"/></Labels></View>'
)


def fixed(label_end: int, score: float):
    """A predictor marking the first ``label_end`` characters of every text as GPE."""
    return lambda texts: [ScoredText((ScoredEntity(0, label_end, "GPE", "GPE", score),)) for _ in texts]


def event(action="ANNOTATION_CREATED", project=7, cancelled=False):
    return {
        "action": action,
        "project": {"id": project, "title": f"p{project}"},
        "annotation": {"id": 1, "was_cancelled": cancelled, "result": []},
    }


def learning_app(retrain, every=2):
    learner = Learner(Model(Served(fixed(3, 0.5), "base-1")), retrain, every)
    return learner, TestClient(create_app(fixed(3, 0.5), "base-1", learner))


def predict_one(http):
    answer = http.post(
        "/predict", json={"tasks": [{"id": 1, "data": {"text": "Homs fell"}}], "label_config": LEARN_CONFIG}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


def test_submitted_annotations_count_per_project_and_the_nth_retrains_and_swaps():
    calls = []

    def retrain(project):
        calls.append(project)
        return Served(fixed(4, 0.9), f"base-1-loop{len(calls)}")

    learner, http = learning_app(retrain, every=2)
    for body in (event(cancelled=True), event("PROJECT_UPDATED"), event(project=8), event()):
        assert http.post("/webhook", json=body).status_code == 200
    assert calls == [] and learner.counts == {7: 1, 8: 1}  # cancelled and other actions do not count
    assert http.post("/webhook", json=event("ANNOTATION_UPDATED")).json()["counted"] is True
    learner.wait(10)
    assert [p.id for p in calls] == [7] and learner.counts[7] == 0
    health = http.get("/health").json()
    assert health["model_version"] == "base-1-loop1" and health["training"] is False
    assert health["last_training"]["status"] == "ok" and health["last_training"]["model_version"] == "base-1-loop1"
    prediction = predict_one(http)
    assert prediction["model_version"] == "base-1-loop1" and prediction["result"][0]["value"]["text"] == "Homs"


def test_predict_serves_the_old_model_during_a_training_and_events_then_count_toward_the_next():
    import threading

    release, started, calls = threading.Event(), threading.Event(), []

    def retrain(project):
        calls.append(project.id)
        started.set()
        assert release.wait(20)
        return Served(fixed(4, 0.9), f"base-1-loop{len(calls)}")

    learner, http = learning_app(retrain, every=2)
    http.post("/webhook", json=event())
    http.post("/webhook", json=event())
    assert started.wait(10)
    assert http.get("/health").json()["training"] is True
    assert predict_one(http)["model_version"] == "base-1"  # never blocked by the training
    http.post("/webhook", json=event())
    http.post("/webhook", json=event())  # during the training: counts toward the next one
    assert calls == [7]  # at most one training at a time
    release.set()
    deadline = time.monotonic() + 20
    while (len(calls) < 2 or learner.training) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calls == [7, 7] and http.get("/health").json()["model_version"] == "base-1-loop2"


def test_a_failed_training_logs_one_line_and_keeps_the_old_model(caplog):
    def retrain(project):
        raise InvalidInputError("[E095] spaCy's training failed:\nsomething\nbroke")

    learner, http = learning_app(retrain, every=1)
    with caplog.at_level("WARNING", logger="annotate.labelstudio.learning"):
        http.post("/webhook", json=event())
        learner.wait(10)
    health = http.get("/health").json()
    assert health["model_version"] == "base-1" and health["training"] is False
    assert health["last_training"]["status"] == "failed" and "E095" in health["last_training"]["error"]
    (record,) = [r for r in caplog.records if "failed" in r.getMessage()]
    assert "\n" not in record.getMessage() and "old model keeps serving" in record.getMessage()
    assert predict_one(http)["model_version"] == "base-1"


def write_version(store: VersionStore, nlp, version: str) -> None:
    """A complete version on disk, as a retraining leaves it (the model: the base pipeline itself)."""
    folder = store.partial(version)
    nlp.to_disk(folder / "model-last")
    store.point(store.complete(version, {"base_model": "x", "export_sha256": "ab" * 32, "documents": 1}))


def test_restart_serves_the_version_current_json_points_to_and_cleans_a_killed_training(tmp_path, nlp_and_info):
    nlp, info = nlp_and_info
    store = VersionStore(tmp_path / "loop")
    write_version(store, nlp, f"{info.tag}-loop1")
    killed = tmp_path / "loop" / f"{info.tag}-loop2.partial"
    (killed / "model-last").mkdir(parents=True)  # a training SIGKILLed before it ended
    settings = Settings("http://127.0.0.1:9", "not-used")
    learn = LearnOptions(every=2, models_dir=tmp_path / "loop", steps=5, env_file=tmp_path / "none.env")
    ready = backend(learn=learn, settings=settings, order=lambda *a: None)
    assert ready.model_version == f"{info.tag}-loop1" and ready.base_version == info.tag
    assert not killed.exists()
    http = TestClient(ready.app)
    assert http.get("/health").json()["model_version"] == f"{info.tag}-loop1"
    assert predict_one(http)["model_version"] == f"{info.tag}-loop1"
    assert store.next_version(info.tag) == f"{info.tag}-loop2"  # (the killed loop2 was never issued here)

    # a pointer to an incomplete folder is never served: the base model is
    (tmp_path / "loop" / f"{info.tag}-loop1" / "version.json").unlink()
    assert backend(learn=learn, settings=settings).model_version == info.tag


def test_a_retraining_that_fails_removes_its_folder_and_keeps_the_pointer(tmp_path, nlp_and_info, monkeypatch):
    from annotate.workflows.learn import Loop

    monkeypatch.setenv("ANNOTATE_HTTP_ATTEMPTS", "1")
    nlp, info = nlp_and_info
    store = VersionStore(tmp_path / "loop")
    write_version(store, nlp, f"{info.tag}-loop1")
    env = tmp_path / ".env"
    env.write_text("LABEL_STUDIO_URL=http://127.0.0.1:9\nLABEL_STUDIO_API_KEY=k\n")  # nothing listens there
    loop = Loop(
        LearnOptions(2, tmp_path / "loop", 5, env),
        Settings("http://127.0.0.1:9", "k"),
        None,
        info.tag,
        load_schema(None),
    )
    with pytest.raises(AnnotateError):
        loop.retrain(ProjectRef(7, "news"))
    assert sorted(p.name for p in (tmp_path / "loop").iterdir()) == ["current.json", f"{info.tag}-loop1", "issued.json"]
    assert store.current().model_version == f"{info.tag}-loop1"
    assert store.next_version(info.tag) == f"{info.tag}-loop3"  # the failed loop2 is not given again
