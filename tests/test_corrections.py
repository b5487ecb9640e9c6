"""Corrections from a model's spans to gold (annotate.core.corrections): what an annotator edits, counted once."""

from annotate.core.corrections import Corrections, count_corrections
from annotate.core.spans import Span

TEXT = "Activists said 50 people died in Homs, the Arab League said."
HOMS = (TEXT.index("Homs"), TEXT.index("Homs") + 4)
LEAGUE = (TEXT.index("the Arab League"), TEXT.index("the Arab League") + len("the Arab League"))


def test_homs_as_org_is_one_change_touching_org_and_gpe():
    gold = [Span(*HOMS, "GPE"), Span(LEAGUE[0] + 4, LEAGUE[1], "ORG")]
    model = [Span(*HOMS, "ORG"), Span(*LEAGUE, "ORG")]  # a wrong label, and wrong boundaries ("the")
    c = count_corrections(model, gold)
    assert (c.added, c.deleted, c.changed, c.total) == (0, 0, 2, 2)
    assert c.by_label == {"ORG": 2, "GPE": 1}


def test_exact_spans_need_nothing_and_duplicates_count_once():
    spans = [Span(*HOMS, "GPE"), Span(*HOMS, "GPE")]
    assert count_corrections(spans, spans[:1]) == Corrections()


def test_a_prediction_over_two_gold_spans_is_one_change_and_one_addition():
    c = count_corrections([Span(0, 24, "ORG")], [Span(0, 9, "NORP"), Span(15, 24, "CARDINAL")])
    assert (c.added, c.deleted, c.changed) == (1, 0, 1)


def test_no_overlap_is_a_deletion_and_an_addition():
    c = count_corrections([Span(0, 9, "ORG")], [Span(*HOMS, "GPE")])
    assert (c.added, c.deleted, c.changed) == (1, 1, 0)
    assert c.by_label == {"ORG": 1, "GPE": 1}


def test_paragraphs_add_up():
    a = count_corrections([Span(0, 9, "ORG")], [])
    b = count_corrections([], [Span(*HOMS, "GPE")])
    assert (a + b).total == 2 and (a + b).by_label == {"ORG": 1, "GPE": 1}
