"""Adjudication strategies on hand-built cases with known answers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.core.adjudication import adjudicate, parse_strategy
from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.core.splits import split_by_article
from annotate.corpus.compile import build_gold
from annotate.corpus.pull import Pull
from annotate.errors import AnnotateError

TEXT = "President Bashar Assad met Sergei Lavrov in Damascus on Tuesday."
ASSAD = Span(10, 22, "PERSON")  # Bashar Assad
WIDE_ASSAD = Span(0, 22, "PERSON")  # President Bashar Assad
LAVROV = Span(27, 40, "PERSON")
DAMASCUS = Span(44, 52, "GPE")
DAMASCUS_ORG = Span(44, 52, "ORG")
TUESDAY = Span(56, 63, "DATE")


def rec(annotator, *spans, ground_truth=False, doc_id="d", updated="2026-11-01"):
    return AnnotationRecord(
        doc_id, 1, hash(annotator) % 1000, annotator, tuple(sorted(spans)), 1.0, updated, updated, ground_truth, None
    )


def test_majority_needs_more_than_half():
    records = [rec("a", ASSAD, LAVROV, DAMASCUS), rec("b", ASSAD, LAVROV, DAMASCUS_ORG), rec("c", WIDE_ASSAD, DAMASCUS)]
    decision = adjudicate("d", records, parse_strategy("majority"))
    assert decision.spans == (ASSAD, LAVROV, DAMASCUS)  # 2 of 3 each; the minority's spans are settled out
    assert decision.conflicts == ()
    assert decision.annotators == ("a", "b", "c") and decision.decided_by == "majority"


def test_majority_tie_is_a_conflict_with_who_marked_what():
    decision = adjudicate("d", [rec("a", ASSAD, DAMASCUS), rec("b", ASSAD, DAMASCUS_ORG)], parse_strategy("majority"))
    assert decision.spans == (ASSAD,)
    (conflict,) = decision.conflicts
    assert conflict.reason == "tie"
    assert conflict.spans == ((DAMASCUS, ("a",)), (DAMASCUS_ORG, ("b",)))
    assert conflict.to_dict(TEXT)["spans"][0] == {
        "start": 44,
        "end": 52,
        "label": "GPE",
        "text": "Damascus",
        "annotators": ["a"],
    }


def test_ground_truth_wins_and_majority_elsewhere():
    records = [rec("a", ASSAD, DAMASCUS), rec("b", ASSAD, DAMASCUS), rec("c", WIDE_ASSAD, TUESDAY, ground_truth=True)]
    decision = adjudicate("d", records, parse_strategy("ground-truth"))
    assert decision.spans == (WIDE_ASSAD, TUESDAY) and decision.decided_by == "ground-truth:c"
    no_flag = adjudicate("d", records[:2], parse_strategy("ground-truth"))
    assert no_flag.spans == (ASSAD, DAMASCUS) and no_flag.decided_by == "majority"


def test_adjudicator_wins_where_present():
    records = [rec("a", ASSAD), rec("b", ASSAD), rec("lead@x.org", WIDE_ASSAD, LAVROV)]
    decision = adjudicate("d", records, parse_strategy("adjudicator:lead@x.org"))
    assert decision.spans == (WIDE_ASSAD, LAVROV) and decision.decided_by == "adjudicator:lead@x.org"
    elsewhere = adjudicate("d", records[:2], parse_strategy("adjudicator:lead@x.org"))
    assert elsewhere.spans == (ASSAD,) and elsewhere.decided_by == "majority"


def test_overlapping_gold_is_never_emitted():
    # every annotator marked both overlapping spans: both are majority spans, neither may be gold
    records = [rec("a", ASSAD, WIDE_ASSAD, LAVROV), rec("b", ASSAD, WIDE_ASSAD, LAVROV)]
    decision = adjudicate("d", records, parse_strategy("majority"))
    assert decision.spans == (LAVROV,)
    (conflict,) = decision.conflicts
    assert conflict.reason == "overlap" and {s for s, _ in conflict.spans} == {ASSAD, WIDE_ASSAD}
    # the same through the ground-truth strategy
    gt = adjudicate("d", [rec("a", ASSAD, WIDE_ASSAD, ground_truth=True)], parse_strategy("ground-truth"))
    assert gt.spans == () and gt.conflicts[0].reason == "overlap"


def test_unknown_strategy():
    with pytest.raises(AnnotateError, match="Unknown strategy 'vote'"):
        parse_strategy("vote")


THIN_DOCS = [
    Document("d", TEXT, "s.txt", 0, 0, 0),
    Document("e", "Homs burned.", "s.txt", 0, 1, 70),
    Document("f", "Nobody annotated this.", "s.txt", 0, 2, 90),
]


def test_build_gold_leaves_out_thin_documents_and_keeps_spans_inside_tokens():
    # issue 16: a span inside a spaCy token is kept (the gold Doc's tokens are split at its edges), not a conflict
    half_word = Span(10, 14, "PERSON")  # "Bash": not on token boundaries
    records = [rec("a", half_word, DAMASCUS), rec("b", half_word, DAMASCUS), rec("a", Span(0, 4, "GPE"), doc_id="e")]
    pull = Pull(None, {"labels": ["PERSON", "GPE"]}, THIN_DOCS, records)
    gold = build_gold(pull, parse_strategy("majority"), min_annotators=2, lang="en")
    assert [d.id for d in gold.documents] == ["d"]
    assert gold.documents[0].spans == (half_word, DAMASCUS)
    assert gold.conflicts == []
    assert gold.balanced and gold.accounting["in_gold"] == 4
    assert {x["doc_id"]: x["annotations"] for x in gold.left_out} == {"e": 1, "f": 0}


def test_build_gold_keep_whitespace_flags_edge_whitespace_spans_misaligned():
    # the old behaviour, on request: a span with a trailing space cannot stand on tokens, so it is a conflict
    with_space = Span(10, 17, "PERSON")  # "Bashar "
    records = [rec("a", with_space, DAMASCUS), rec("b", with_space, DAMASCUS), rec("a", Span(0, 4, "GPE"), doc_id="e")]
    pull = Pull(None, {"labels": ["PERSON", "GPE"]}, THIN_DOCS, records)
    gold = build_gold(pull, parse_strategy("majority"), min_annotators=2, lang="en", keep_whitespace=True)
    assert gold.documents[0].spans == (DAMASCUS,)
    assert [c["reason"] for c in gold.conflicts] == ["misaligned"]
    assert gold.conflicts[0]["spans"][0]["text"] == "Bashar " and gold.conflicts[0]["spans"][0]["annotators"] == [
        "a",
        "b",
    ]
    assert {x["doc_id"]: x["annotations"] for x in gold.left_out} == {"e": 1, "f": 0}
    trimmed = build_gold(pull, parse_strategy("majority"), min_annotators=2, lang="en")  # the default: trimmed
    assert trimmed.documents[0].spans == (Span(10, 16, "PERSON"), DAMASCUS) and trimmed.conflicts == []


def test_trimming_happens_before_the_vote_and_the_accounting_balances():
    # two of three annotators: one with a trailing space, one without; the third marks a duplicate once trimmed
    records = [
        rec("a", Span(10, 16, "PERSON")),
        rec("b", Span(10, 17, "PERSON")),
        rec("c", Span(9, 16, "PERSON"), Span(10, 16, "PERSON"), Span(16, 17, "PERSON")),
    ]
    pull = Pull(None, {"labels": ["PERSON", "GPE"]}, THIN_DOCS[:1], records)
    gold = build_gold(pull, parse_strategy("majority"), min_annotators=2, lang="en")
    assert gold.documents[0].spans == (Span(10, 16, "PERSON"),) and gold.conflicts == []
    # c's " Bashar" became "Bashar", a duplicate of its own "Bashar"; its " " is whitespace only: both dropped
    assert gold.accounting == {
        "kept_spans": 5,
        "in_gold": 3,
        "in_conflicts": 0,
        "outvoted": 0,
        "in_left_out": 0,
        "dropped_by_trim": 2,
    }
    assert gold.balanced
    kept = build_gold(pull, parse_strategy("majority"), min_annotators=2, lang="en", keep_whitespace=True)
    assert kept.balanced and kept.accounting["dropped_by_trim"] == 0 and kept.accounting["kept_spans"] == 5


articles = st.lists(
    st.tuples(st.sampled_from(["a.txt", "b.txt", "c.txt"]), st.integers(0, 5), st.integers(1, 6)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(
    articles,
    st.integers(0, 3),
    st.sampled_from([(0.8, 0.1, 0.1), (0.6, 0.2, 0.2), (1.0, 0.0, 0.0), (0.34, 0.33, 0.33)]),
)
def test_splits_never_cut_a_story_and_are_deterministic(groups, seed, ratios):
    docs = []
    for source, article, n in groups:
        docs += [(f"{source}-{article}-{i}-{len(docs)}", source, article) for i in range(n)]
    splits = split_by_article(docs, ratios, seed)
    assert splits == split_by_article(docs, ratios, seed)
    assigned = [i for ids in splits.values() for i in ids]
    assert sorted(assigned) == sorted(d[0] for d in docs)  # every document exactly once
    story = {d[0]: (d[1], d[2]) for d in docs}
    seen = {}
    for name, ids in splits.items():
        for doc_id in ids:
            assert seen.setdefault(story[doc_id], name) == name  # no story on two sides
    for name, ratio in zip(("train", "dev", "test"), ratios, strict=True):
        if ratio == 0:
            assert splits[name] == []
