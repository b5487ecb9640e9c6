"""Anchoring: each predicted span accepted, modified (boundary / label / both) or deleted; each new span an
edit or an addition; precision against gold of accepted versus edited spans."""

from annotate.core.anchoring import AnchoringTally, anchoring_for, classify
from annotate.core.documents import Document, ModelInfo
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span

P = [Span(0, 5, "ORG"), Span(10, 15, "GPE"), Span(20, 25, "PERSON"), Span(30, 35, "DATE"), Span(40, 45, "NORP")]


def test_every_predicted_span_gets_exactly_one_fate():
    annotated = [
        Span(0, 5, "ORG"),  # accepted
        Span(10, 15, "LOC"),  # same boundaries, other label
        Span(20, 27, "PERSON"),  # same label, other boundaries
        Span(29, 33, "CARDINAL"),  # both changed
        Span(50, 55, "PERSON"),
    ]  # added: the model missed it; NORP 40-45 deleted
    groups = classify(P, annotated)
    assert groups["accepted"] == [P[0]]
    assert groups["modified_label"] == [P[1]] and groups["modified_boundary"] == [P[2]]
    assert groups["modified_both"] == [P[3]] and groups["deleted"] == [P[4]]
    assert groups["edited"] == [Span(10, 15, "LOC"), Span(20, 27, "PERSON"), Span(29, 33, "CARDINAL")]
    assert groups["added"] == [Span(50, 55, "PERSON")]
    fates = sum(len(groups[k]) for k in ("accepted", "modified_label", "modified_boundary", "modified_both", "deleted"))
    assert fates == len(P)


def test_shares_and_precision_against_gold_per_annotator_and_label():
    tally = AnchoringTally()
    gold = [Span(0, 5, "ORG"), Span(10, 15, "LOC"), Span(50, 55, "PERSON")]
    tally.add("stamp@x.org", P, P, gold)  # rubber-stamps everything
    tally.add("care@x.org", P, [Span(0, 5, "ORG"), Span(10, 15, "LOC"), Span(50, 55, "PERSON")], gold)
    report = tally.report()["annotators"]
    stamp, care = report["stamp@x.org"], report["care@x.org"]
    assert stamp["accepted_share"] == 1.0 and stamp["added"] == 0 and stamp["deleted"] == 0
    assert stamp["precision_accepted"] == 1 / 5 and stamp["precision_edited"] is None
    assert care["accepted"] == 1 and care["modified_label"] == 1 and care["deleted"] == 3 and care["added"] == 1
    assert care["deleted_share"] == 3 / 5 and care["added_share"] == 1 / 3
    assert care["precision_accepted"] == 1.0 and care["precision_edited"] == 1.0
    assert care["per_label"]["GPE"]["modified_label"] == 1 and care["per_label"]["PERSON"]["added"] == 1


def test_anchoring_for_reads_only_pre_annotated_documents():
    model = ModelInfo("m", "1")
    docs = [
        Document("a", "x" * 60, "s", 0, 0, 0, spans=tuple(P), model=model),
        Document("b", "y" * 60, "s", 0, 1, 60),
    ]  # not pre-annotated: not counted
    records = [
        AnnotationRecord("a", 1, 1, "ann", tuple(P[:2]), None, None, None, False, None),
        AnnotationRecord("b", 2, 2, "ann", (Span(0, 3, "ORG"),), None, None, None, False, None),
    ]
    report = anchoring_for(docs, records)
    assert report["pre_annotated_documents"] == 1
    row = report["annotators"]["ann"]
    assert row["documents"] == 1 and row["predicted"] == 5 and row["accepted"] == 2 and row["deleted"] == 3
