"""Three annotators, created through the API, annotate pushed seed tasks with deliberate
differences; pull then agree must give the figures worked out by hand below."""

import json
import uuid

import krippendorff
import numpy as np
import pytest
import srsly
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from annotate.labelstudio.push import push

from .conftest import run_cli

# D1 = seed paragraph 0, D2 = seed paragraph 1 (000_4e183b3610cb9fa8.txt)
D1 = (
    "Russia’s foreign minister holds talks with President Assad in Syria, during an extended attack on Homs "
    "that has so far killed hundreds of civilians."
)
D2 = "Thousands of pro-Assad supporters took to the streets of Damascus to greet Russian Foreign Minister, Sergei Lavrov."


def at(text, phrase, label):
    start = text.index(phrase)
    return (start, start + len(phrase), label)


ALICE_D1 = [
    at(D1, "Russia", "GPE"),
    at(D1, "Assad", "PERSON"),
    at(D1, "Syria", "GPE"),
    at(D1, "Homs", "GPE"),
    at(D1, "hundreds", "CARDINAL"),
]
BOB_D1 = [
    at(D1, "Russia", "GPE"),
    at(D1, "Assad", "PERSON"),
    at(D1, "Syria", "GPE"),
    at(D1, "Homs", "ORG"),
    at(D1, "hundreds", "CARDINAL"),
]  # Homs as ORG: exactly the model's prediction
CAROL_D1 = [
    at(D1, "Russia", "GPE"),
    at(D1, "President Assad", "PERSON"),
    at(D1, "Syria", "GPE"),
    at(D1, "Homs", "GPE"),
    at(D1, "hundreds", "CARDINAL"),
]  # a wider PERSON boundary
ALICE_D2 = BOB_D2 = [at(D2, "Damascus", "GPE"), at(D2, "Russian", "NORP"), at(D2, "Sergei Lavrov", "PERSON")]
# carol skips D2

# Token labels (spaCy English tokenizer) worked out by hand.
D1_TOKENS = [
    "Russia",
    "’s",
    "foreign",
    "minister",
    "holds",
    "talks",
    "with",
    "President",
    "Assad",
    "in",
    "Syria",
    ",",
    "during",
    "an",
    "extended",
    "attack",
    "on",
    "Homs",
    "that",
    "has",
    "so",
    "far",
    "killed",
    "hundreds",
    "of",
    "civilians",
    ".",
]
D2_TOKENS = [
    "Thousands",
    "of",
    "pro",
    "-",
    "Assad",
    "supporters",
    "took",
    "to",
    "the",
    "streets",
    "of",
    "Damascus",
    "to",
    "greet",
    "Russian",
    "Foreign",
    "Minister",
    ",",
    "Sergei",
    "Lavrov",
    ".",
]


def tags(tokens, marks):
    out = ["O"] * len(tokens)
    for index, label in marks.items():
        out[index] = label
    return out


ALICE_T1 = tags(D1_TOKENS, {0: "GPE", 8: "PERSON", 10: "GPE", 17: "GPE", 23: "CARDINAL"})
BOB_T1 = tags(D1_TOKENS, {0: "GPE", 8: "PERSON", 10: "GPE", 17: "ORG", 23: "CARDINAL"})
CAROL_T1 = tags(D1_TOKENS, {0: "GPE", 7: "PERSON", 8: "PERSON", 10: "GPE", 17: "GPE", 23: "CARDINAL"})
ALICE_T2 = BOB_T2 = tags(D2_TOKENS, {11: "GPE", 14: "NORP", 18: "PERSON", 19: "PERSON"})


def result(text, spans):
    return [
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
        }
        for s, e, label in spans
    ]


@pytest.fixture
def annotated_project(client, preannotated, schema, title):
    docs = preannotated[:6]
    assert docs[0].text == D1 and docs[1].text == D2
    report = push(client, docs, schema, title)
    tasks = {t["data"]["doc_id"]: t["id"] for t in client.iter_tasks(report.project_id)}
    suffix = uuid.uuid4().hex[:6]
    users = {}
    for name in ("alice", "bob", "carol"):
        email = f"{name}-{suffix}@example.com"
        user = client.request(
            "POST",
            "/api/users/",
            "creating a user",
            json={
                "email": email,
                "username": f"{name}{suffix}",
                "first_name": name.title(),
                "password": uuid.uuid4().hex,
            },
        )
        users[name] = (user["id"], email)

    def annotate(name, doc, spans, **extra):
        client.request(
            "POST",
            f"/api/tasks/{tasks[doc.id]}/annotations/",
            "annotating",
            json={"result": result(doc.text, spans), "completed_by": users[name][0], "lead_time": 7.5, **extra},
        )

    d1, d2 = docs[0], docs[1]
    annotate("alice", d1, ALICE_D1, ground_truth=True)
    annotate("bob", d1, BOB_D1)
    annotate("carol", d1, CAROL_D1)
    annotate("alice", d2, ALICE_D2)
    annotate("bob", d2, BOB_D2)
    annotate("carol", d2, [], was_cancelled=True)  # carol skips D2
    return title, {name: email for name, (_, email) in users.items()}, docs


def test_pull_then_agree_gives_the_hand_computed_figures(ls_server, annotated_project, tmp_path):
    title, emails, docs = annotated_project
    out = tmp_path / "pull"
    pulled = run_cli(
        "pull",
        "--project",
        title,
        "-o",
        str(out),
        "--raw-dir",
        str(tmp_path / "raw"),
        "--env-file",
        str(ls_server["env_file"]),
        cwd=tmp_path,
    )
    assert pulled.returncode == 0, pulled.stderr
    summary = json.loads((out / "pull.json").read_text())
    assert summary["counts"]["tasks"] == 6 and summary["counts"]["records"] == 5
    assert summary["counts"]["set_aside"] == {"cancelled": 1}
    assert summary["counts"]["spans_in"] == summary["counts"]["spans_kept"] == 5 * 3 + 2 * 3
    assert summary["schema"]["name"] == "news"
    assert ls_server["api_key"] not in (out / "pull.json").read_text() + pulled.stdout + pulled.stderr

    records = {(r["doc_id"], r["annotator"]): r for r in srsly.read_jsonl(out / "annotations.jsonl")}
    alice, bob, carol = emails["alice"], emails["bob"], emails["carol"]
    d1, d2 = docs[0], docs[1]
    assert set(records) == {(d1.id, alice), (d1.id, bob), (d1.id, carol), (d2.id, alice), (d2.id, bob)}
    assert [tuple(s.values()) for s in records[(d1.id, carol)]["spans"]] == sorted(CAROL_D1)
    assert records[(d1.id, alice)]["ground_truth"] is True and records[(d1.id, bob)]["ground_truth"] is False
    assert records[(d1.id, bob)]["accepted_prediction"] is True  # bob left the model's spans as they were
    assert records[(d1.id, alice)]["accepted_prediction"] is False
    d2_predicted = sorted((s.start, s.end, s.label) for s in d2.spans)
    assert records[(d2.id, alice)]["accepted_prediction"] is (d2_predicted == sorted(ALICE_D2))
    assert records[(d1.id, alice)]["lead_time"] == 7.5

    agreed = run_cli("agree", str(out), "--json")
    assert agreed.returncode == 0, agreed.stderr
    report = json.loads(agreed.stdout)
    assert report["n_documents"] == 2
    assert report["annotators"] == sorted([alice, bob, carol])
    pairs = {frozenset((p["annotator_a"], p["annotator_b"])): p for p in report["pairwise"]}

    # Strict: alice-bob match 4 of 5 on D1 (Homs differs) and 3 of 3 on D2: 2*7/(10+6)
    ab = pairs[frozenset((alice, bob))]
    assert (
        ab["n_documents"] == 2
        and ab["f1_strict"] == pytest.approx(14 / 16)
        and ab["f1_partial"] == pytest.approx(14 / 16)
    )
    # alice-carol share D1 only: 4 of 5 strict (Assad vs President Assad), all 5 partial
    ac = pairs[frozenset((alice, carol))]
    assert (
        ac["n_documents"] == 1 and ac["f1_strict"] == pytest.approx(8 / 10) and ac["f1_partial"] == pytest.approx(1.0)
    )
    # bob-carol: Russia, Syria, hundreds strict; plus Assad partially
    bc = pairs[frozenset((bob, carol))]
    assert bc["f1_strict"] == pytest.approx(6 / 10) and bc["f1_partial"] == pytest.approx(8 / 10)

    # Token-level Cohen's kappa on the documents both annotated, from the hand-made token labels
    tokens = {alice: (ALICE_T1, ALICE_T2), bob: (BOB_T1, BOB_T2), carol: (CAROL_T1, None)}
    for (x, y), pair in [((alice, bob), ab), ((alice, carol), ac), ((bob, carol), bc)]:
        both_d2 = tokens[x][1] is not None and tokens[y][1] is not None
        seq_x = tokens[x][0] + (tokens[x][1] if both_d2 else [])
        seq_y = tokens[y][0] + (tokens[y][1] if both_d2 else [])
        assert pair["cohen_kappa"] == pytest.approx(cohen_kappa_score(seq_x, seq_y), abs=1e-9)

    # Krippendorff's alpha over all tokens of both documents, carol missing on D2
    names = sorted({t for seq in (ALICE_T1, BOB_T1, CAROL_T1, ALICE_T2) for t in seq})
    code = {n: i for i, n in enumerate(names)}
    rows = [
        [code[t] for t in ALICE_T1 + ALICE_T2],
        [code[t] for t in BOB_T1 + BOB_T2],
        [code[t] for t in CAROL_T1] + [np.nan] * len(D2_TOKENS),
    ]
    expected_alpha = krippendorff.alpha(reliability_data=np.array(rows, dtype=float), level_of_measurement="nominal")
    assert report["krippendorff_alpha"] == pytest.approx(expected_alpha, abs=1e-9)

    # Fleiss' kappa: the documents with the usual number of annotators (3): D1 only
    assert report["fleiss_n_documents"] == 1 and report["fleiss_n_annotators"] == 3
    table = [[[a, b, c].count(label) for label in names] for a, b, c in zip(ALICE_T1, BOB_T1, CAROL_T1, strict=True)]
    assert report["fleiss_kappa"] == pytest.approx(sm_fleiss(np.array(table)), abs=1e-9)

    # Per label, strict F1 across all pairs, 2*matches/spans compared:
    # GPE 16/18, PERSON 4/8, ORG 0/2, CARDINAL 6/6, NORP 2/2; LOC and DATE never used
    per_label = report["per_label"]
    assert per_label["GPE"]["f1_strict"] == pytest.approx(16 / 18)
    assert per_label["PERSON"]["f1_strict"] == pytest.approx(0.5)
    assert per_label["ORG"]["f1_strict"] == 0.0
    assert per_label["CARDINAL"]["f1_strict"] == pytest.approx(1.0)
    assert per_label["NORP"]["f1_strict"] == pytest.approx(1.0)
    assert per_label["LOC"]["f1_strict"] is None and per_label["DATE"]["f1_strict"] is None

    table_output = run_cli("agree", str(out))
    assert table_output.returncode == 0 and "Krippendorff" in table_output.stdout and "0.875" in table_output.stdout


def test_pull_of_a_missing_project_names_the_existing_ones(ls_server, tmp_path):
    result = run_cli(
        "pull",
        "--project",
        "no such project zz",
        "-o",
        str(tmp_path / "p"),
        "--env-file",
        str(ls_server["env_file"]),
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "No project titled 'no such project zz'" in result.stderr
    assert not (tmp_path / "p").exists()
