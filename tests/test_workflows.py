"""The workflows behind the commands, called as functions: no CLI, no Label Studio (a small in-memory server
stands in for the accounts API)."""

import math
from pathlib import Path

import pytest

from annotate.core.documents import Document
from annotate.core.evaluation import evaluate_spans
from annotate.core.spans import Span
from annotate.errors import ConflictError, InvalidInputError
from annotate.workflows.evaluate import Scored, check_predictions, compare, save_payload, score
from annotate.workflows.feedback import SILENT
from annotate.workflows.ingest import count_sources
from annotate.workflows.pull import whitespace_warnings
from annotate.workflows.report import is_curve_record, read_curve, read_evaluation, source_kind
from annotate.workflows.users import add_account


def doc(doc_id, spans=(), source="a.txt", article=0, paragraph=0):
    return Document(doc_id, "Ada met Bob in Paris.", source, article, paragraph, 0, tuple(spans))


GOLD = [
    doc("d1", [Span(0, 3, "PERSON"), Span(8, 11, "PERSON")], paragraph=0),
    doc("d2", [Span(15, 20, "GPE")], paragraph=1),
]


def test_predictions_outside_the_gold_are_refused_with_their_line():
    predicted = [doc("d1"), doc("elsewhere"), doc("d2")]
    with pytest.raises(InvalidInputError, match=r"\[E086\] p.jsonl, line 2: predictions for document elsewhere"):
        check_predictions(predicted, {"d1", "d2"}, {"d1"}, Path("p.jsonl"), "gold (test)")


def test_predictions_of_other_splits_are_known_but_not_scored():
    predicted = [doc("d1", [Span(0, 3, "PERSON")]), doc("d2", [Span(15, 20, "GPE")])]
    assert check_predictions(predicted, {"d1", "d2"}, {"d1"}, Path("p.jsonl"), "gold") == {
        "d1": (Span(0, 3, "PERSON"),)
    }


def test_score_warns_about_gold_documents_without_predictions(schema):
    scored = score(GOLD, "gold", "p.jsonl", {"d1": GOLD[0].spans}, schema, bootstrap=0)
    assert scored.result["missing_predictions"] == 1 and scored.result["predictions"] == "p.jsonl"
    assert scored.warnings == ("[W003] 1 gold documents have no predictions (scored as predicting nothing).",)
    assert score(GOLD, "gold", "p", {d.id: d.spans for d in GOLD}, schema, bootstrap=0).warnings == ()


def test_comparison_gives_delta_f1_against_the_first(schema):
    perfect = score(GOLD, "gold", "perfect", {d.id: d.spans for d in GOLD}, schema, bootstrap=0)
    half = score(GOLD, "gold", "half", {"d1": GOLD[0].spans}, schema, bootstrap=0)
    rows = compare([perfect, half])
    assert [r.predictions for r in rows] == ["perfect", "half"]
    assert rows[0].delta_f1 == 0.0
    assert rows[1].delta_f1 == pytest.approx(half.report.strict["micro"]["f1"] - 1.0) and rows[1].delta_f1 < 0
    undefined = evaluate_spans({"d1": ()}, {"d1": ()}, ["PERSON"], n_bootstrap=0)
    if undefined.strict["micro"]["f1"] is None or math.isnan(undefined.strict["micro"]["f1"]):
        nothing = Scored({"predictions": "nothing"}, undefined)
        assert compare([perfect, nothing])[1].delta_f1 is None


def test_save_payload_holds_every_document_with_gold_and_predictions(schema):
    scored = score(GOLD, "gold", "p", {"d1": GOLD[0].spans}, schema, bootstrap=0)
    payload = save_payload(scored, GOLD, {"d1": GOLD[0].spans})
    assert payload["micro"] == scored.result["micro"]
    assert [d["id"] for d in payload["documents"]] == ["d1", "d2"]
    assert payload["documents"][1]["predicted"] == [] and payload["documents"][1]["gold"][0]["label"] == "GPE"


class Accounts:
    """Label Studio's user API, in memory."""

    url = "http://ls.example"

    def __init__(self, emails=()):
        self.people = [{"id": i, "email": e} for i, e in enumerate(emails, start=1)]

    def users(self):
        return list(self.people)

    def create_user(self, email, first_name="", last_name=""):
        self.people.append({"id": len(self.people) + 1, "email": email})
        return self.people[-1]

    def invite_url(self):
        return f"{self.url}/user/signup/?token=abc"


def test_on_the_server_this_folder_runs_the_account_gets_a_password():
    accounts, set_here = Accounts(["admin@annotate.local"]), []
    user = add_account(
        accounts,
        "ada@example.com",
        "Ada",
        "Lovelace",
        True,
        lambda email, password: set_here.append((email, password)),
        new_password=lambda: "s3cret",
    )
    assert (user.id, user.full_name, user.password, user.invite) == (2, "Ada Lovelace", "s3cret", None)
    assert set_here == [("ada@example.com", "s3cret")]


def test_on_another_server_the_account_gets_the_sign_up_link():
    accounts, set_here = Accounts(), []
    user = add_account(accounts, "bob@example.com", "", "", False, lambda *a: set_here.append(a))
    assert user.password is None and user.invite == "http://ls.example/user/signup/?token=abc"
    assert user.full_name == "" and set_here == []


def test_an_existing_or_malformed_email_creates_nobody():
    accounts = Accounts(["Ada@Example.com"])
    with pytest.raises(ConflictError, match=r"\[E056\] ada@example.com is already a user of http://ls.example"):
        add_account(accounts, "ada@example.com", "", "", True, lambda *a: None)
    with pytest.raises(InvalidInputError, match=r"\[E057\]"):
        add_account(accounts, "ada@", "", "", True, lambda *a: None)
    assert len(accounts.users()) == 1


def test_report_tells_its_sources_apart(tmp_path):
    (tmp_path / "pull").mkdir()
    (tmp_path / "pull" / "pull.json").write_text("{}")
    (tmp_path / "eval.json").write_text('{"micro": {}, "per_label": {}}')
    assert source_kind(str(tmp_path / "pull")) == "annotation"
    assert source_kind(str(tmp_path / "eval.json")) == "evaluation"
    assert source_kind("news@v1") == "corpus" and source_kind(str(tmp_path)) == "corpus"
    assert read_evaluation(tmp_path / "eval.json") == {"micro": {}, "per_label": {}}
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(InvalidInputError, match=r"\[E089\].*no 'micro' and 'per_label' in it"):
        read_evaluation(tmp_path / "bad.json")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "curve.json").write_text('{"kind": "learning-curve", "points": [{}]}')
    assert source_kind(str(tmp_path / "m")) == "curve" and is_curve_record(tmp_path / "m" / "curve.json")
    assert not is_curve_record(tmp_path / "eval.json") and not is_curve_record(tmp_path / "bad.json")
    with pytest.raises(InvalidInputError, match=r"\[E181\].*eval.json is not a learning-curve record"):
        read_curve(tmp_path / "eval.json")


def test_ingest_counts_articles_and_documents_per_source():
    docs = [doc("a1", source="b.txt"), doc("a2", source="a.txt"), doc("a3", source="a.txt", article=1)]
    assert [(c.source, c.articles, c.documents) for c in count_sources(docs)] == [("a.txt", 2, 2), ("b.txt", 1, 1)]


def test_whitespace_warning_says_whether_spans_were_trimmed():
    assert whitespace_warnings({"trim": True, "counts": {"whitespace": 2, "trimmed": 2}}) == (
        "[W002] 2 spans start or end with whitespace: trimmed (2).",
    )


def test_silent_feedback_shows_nothing_and_lets_the_work_run():
    with SILENT.status("working"), SILENT.progress("items", 3) as advance:
        advance(1, None)
        advance(2, 3)
    SILENT.warn("[W004] nothing to see")
