"""The report of a pull (normalised annotations): agreement, disagreements, annotators, anchoring.

:func:`pull_figures` computes what the report shows into a :class:`PullFigures` with the functions
``annotate agree`` and ``annotate evaluate`` use (the agreement tally over spaCy tokens, the anchoring
tally, :func:`annotate.core.evaluation.evaluate_spans`), tokenising each document once;
:func:`render_pull` turns that into the HTML page; :func:`pull_report` does both.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from annotate.core.agreement import AgreementReport, agreement_report
from annotate.core.alignment import OUTSIDE, blank_pipeline, token_labels_by_annotator
from annotate.core.anchoring import anchoring_for
from annotate.core.documents import Document
from annotate.core.evaluation import evaluate_spans
from annotate.core.matching import span_f1
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.report.figures import AgreementFigures, SpanCard, mean_defined, readings
from annotate.report.render import colours_for, render

if TYPE_CHECKING:
    from annotate.corpus.pull import Pull


@dataclass(frozen=True)
class PairCell:
    """One cell of the annotator × annotator matrix.

    f1 (float | None): Strict span F1 of the pair on the documents both annotated.
    n_documents (int): How many documents both annotated.
    """

    f1: float | None
    n_documents: int


@dataclass(frozen=True)
class Confusion:
    """Token labels one annotator gave against another's, both orders, "O"–"O" left out.

    labels (list[str]): Row and column labels, "O" last.
    counts (dict[tuple[str, str], int]): (one annotator's label, another's) to tokens.
    peak_same (int): The largest count on the diagonal (1 when there is none).
    peak_diff (int): The largest count off the diagonal (1 when there is none).
    """

    labels: list[str]
    counts: dict[tuple[str, str], int]
    peak_same: int
    peak_diff: int


@dataclass(frozen=True)
class Disagreement:
    """A document whose annotators disagree.

    card (SpanCard): The document with each annotator's spans.
    mean_f1 (float): Mean strict span F1 over its annotator pairs (0 where undefined).
    """

    card: SpanCard
    mean_f1: float


@dataclass(frozen=True)
class AnnotatorRow:
    """One annotator's work.

    name (str): The annotator.
    documents (int): Documents annotated.
    spans (int): Spans marked.
    median_lead_time (float | None): Median seconds per document (None: no lead time recorded).
    per_hour (float | None): Documents per hour at the mean lead time.
    accepted_share (float | None): Share of judged pre-annotations accepted unchanged.
    gold (dict | None): Strict micro precision, recall and F1 against gold (None: no gold given).
    """

    name: str
    documents: int
    spans: int
    median_lead_time: float | None
    per_hour: float | None
    accepted_share: float | None
    gold: dict | None


@dataclass(frozen=True)
class PullFigures:
    """Everything the pull report shows.

    source (str): The Label Studio project or export file the pull came from.
    labels (list[str]): The pull's labels.
    agreement (AgreementReport): The report ``annotate agree`` prints.
    headline (AgreementFigures): α, κ and the mean pairwise F1.
    matrix (dict[str, dict[str, PairCell]]): Annotator to annotator to their cell (no diagonal).
    disputed (dict[str, int]): Label to tokens in dispute (given it by one annotator and not by another).
    confusion (Confusion): The token label confusion between annotators.
    disagreements (list[Disagreement]): Documents whose annotators disagree, worst first.
    annotators (list[AnnotatorRow]): One row per annotator, by name.
    scored (bool): Whether the annotators were scored against gold.
    anchoring (dict): The anchoring report (:func:`annotate.core.anchoring.anchoring_for`).
    """

    source: str
    labels: list[str]
    agreement: AgreementReport
    headline: AgreementFigures
    matrix: dict[str, dict[str, PairCell]]
    disputed: dict[str, int]
    confusion: Confusion
    disagreements: list[Disagreement]
    annotators: list[AnnotatorRow]
    scored: bool
    anchoring: dict


def token_disagreements(tokens: Mapping[str, Mapping[str, Sequence[str]]]) -> tuple[Counter, Counter]:
    """The token label confusion between annotators, and the tokens in dispute per label.

    tokens (Mapping[str, Mapping[str, Sequence[str]]]): Document id to annotator to label per token ("O" outside).
    RETURNS (tuple[Counter, Counter]): (label of one annotator, label of another) to tokens, both orders,
        "O"–"O" left out; and label to tokens one annotator gave it and another did not.

    EXAMPLE:
        >>> confusion, disputed = token_disagreements({"d": {"a": ["PER", "O"], "b": ["ORG", "O"]}})
        >>> confusion[("PER", "ORG")], disputed["PER"]
        (1, 1)
    """
    confusion: Counter = Counter()
    disputed: Counter = Counter()
    for per_annotator in tokens.values():
        for a, b in combinations(sorted(per_annotator), 2):
            for x, y in zip(per_annotator[a], per_annotator[b], strict=True):  # one Doc's tokens
                if x == OUTSIDE and y == OUTSIDE:
                    continue
                confusion[(x, y)] += 1
                confusion[(y, x)] += 1
                if x != y:
                    disputed.update({x, y} - {OUTSIDE})
    return confusion, disputed


def label_confusion(tokens: Mapping[str, Mapping[str, Sequence[str]]]) -> Counter:
    """(label of one annotator, label of another) over tokens, both orders, "O"–"O" left out.

    tokens (Mapping[str, Mapping[str, Sequence[str]]]): Document id to annotator to label per token.
    RETURNS (Counter): (label, label) to tokens.

    EXAMPLE:
        >>> label_confusion({"d": {"a": ["PER"], "b": ["PER"]}})[("PER", "PER")]
        2
    """
    return token_disagreements(tokens)[0]


def task_link(summary: Mapping[str, Any], task_id: Any) -> str | None:
    """The address of a task in Label Studio, when the pull came from a server.

    summary (Mapping[str, Any]): The pull's summary (``pull.json``); its ``origin`` has the url and project id.
    task_id (Any): The task's id.
    RETURNS (str | None): The address, or None (a pull from a file, or no task id).

    EXAMPLE:
        >>> task_link({"origin": {"url": "http://ls", "project_id": 3}}, 7)
        'http://ls/projects/3/data?task=7'
    """
    origin = summary.get("origin") or {}
    if origin.get("url") and origin.get("project_id") is not None and task_id is not None:
        return f"{origin['url']}/projects/{origin['project_id']}/data?task={task_id}"
    return None


def _matrix(report: AgreementReport) -> dict[str, dict[str, PairCell]]:
    cells: dict[str, dict[str, PairCell]] = {a: {} for a in report.annotators}
    for p in report.pairwise:
        cell = PairCell(p["f1_strict"], p["n_documents"])
        cells[p["annotator_a"]][p["annotator_b"]] = cells[p["annotator_b"]][p["annotator_a"]] = cell
    return cells


def _disagreements(
    documents: Sequence[Document], by_doc: Mapping[str, list[AnnotationRecord]], summary: Mapping[str, Any]
) -> list[Disagreement]:
    texts = {d.id: d for d in documents}
    found = []
    for doc_id, recs in by_doc.items():
        if len(recs) < 2 or len({frozenset(r.spans) for r in recs}) == 1:
            continue
        mean = mean_defined(span_f1([a.spans], [b.spans]).f1 for a, b in combinations(recs, 2))
        ordered = sorted(recs, key=lambda r: r.annotator)
        card = SpanCard(
            texts[doc_id], readings([(r.annotator, r.spans) for r in ordered]), task_link(summary, ordered[0].task_id)
        )
        found.append(Disagreement(card, 0.0 if mean is None else mean))
    found.sort(key=lambda d: (d.mean_f1, d.card.document.id))
    return found


def _annotators(
    records: Sequence[AnnotationRecord], gold: Mapping[str, Sequence[Span]] | None, labels: Sequence[str]
) -> list[AnnotatorRow]:
    by_annotator: dict[str, list[AnnotationRecord]] = defaultdict(list)
    for r in records:
        by_annotator[r.annotator].append(r)
    rows = []
    for name, recs in sorted(by_annotator.items()):
        times = [r.lead_time for r in recs if r.lead_time is not None]
        judged = [r.accepted_prediction for r in recs if r.accepted_prediction is not None]
        mean_time = statistics.fmean(times) if times else None
        scores = None
        if gold is not None:
            mine = {r.doc_id: r.spans for r in recs if r.doc_id in gold}
            scores = evaluate_spans({d: gold[d] for d in mine}, mine, labels, n_bootstrap=0).strict["micro"]
        rows.append(
            AnnotatorRow(
                name=name,
                documents=len(recs),
                spans=sum(len(r.spans) for r in recs),
                median_lead_time=statistics.median(times) if times else None,
                per_hour=3600 / mean_time if mean_time else None,
                accepted_share=sum(judged) / len(judged) if judged else None,
                gold=scores,
            )
        )
    return rows


def pull_figures(pull: Pull, gold: Sequence[Document] | None = None, lang: str = "en") -> PullFigures:
    """The figures of a pull's report, each document tokenised once (spaCy's tokenizer for ``lang``).

    pull (Pull): The pull (its documents, records, labels and summary); a streamed pull is read whole.
    gold (Sequence[Document] | None): Gold documents to score each annotator against.
    lang (str): The schema's language, for the tokenizer.
    RETURNS (PullFigures): What the report shows.
    """
    labels = list(pull.labels)
    documents = list(pull.documents if pull.documents is not None else pull.iter_documents())
    records = list(pull.records if pull.records is not None else pull.iter_records())
    texts = {d.id: d.text for d in documents}
    by_doc: dict[str, list[AnnotationRecord]] = defaultdict(list)
    spans: dict[str, dict[str, Sequence[Span]]] = defaultdict(dict)
    for r in records:
        by_doc[r.doc_id].append(r)
        spans[r.doc_id][r.annotator] = r.spans
    nlp = blank_pipeline(lang)
    tokens = {
        doc_id: token_labels_by_annotator(nlp.make_doc(texts[doc_id]), per) if len(per) >= 2 else {}
        for doc_id, per in spans.items()
    }  # as agreement_for: one annotator, no tokens to compare
    report = agreement_report(spans, tokens, labels)
    confusion, disputed = token_disagreements(tokens)
    gold_map = {d.id: d.spans for d in gold} if gold is not None else None
    origin = pull.summary.get("origin") or {}
    return PullFigures(
        source=origin.get("project") or origin.get("file") or "pull",
        labels=labels,
        agreement=report,
        headline=AgreementFigures(
            report.krippendorff_alpha, report.fleiss_kappa, mean_defined(p["f1_strict"] for p in report.pairwise)
        ),
        matrix=_matrix(report),
        disputed=dict(disputed),
        confusion=Confusion(
            labels + [OUTSIDE],
            dict(confusion),
            max((n for (x, y), n in confusion.items() if x == y), default=1),
            max((n for (x, y), n in confusion.items() if x != y), default=1),
        ),
        disagreements=_disagreements(documents, by_doc, pull.summary),
        annotators=_annotators(records, gold_map, labels),
        scored=gold_map is not None,
        anchoring=anchoring_for(documents, pull.submitted(), gold_map),
    )


def render_pull(figures: PullFigures, schema_colours: dict[str, str] | None = None) -> str:
    """The pull report as one self-contained HTML page (pure: no computing but layout).

    figures (PullFigures): What the report shows (:func:`pull_figures`).
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (str): The HTML page.
    """
    return render("pull.html.j2", f=figures, outside=OUTSIDE, colours=colours_for(figures.labels, schema_colours))


def pull_report(
    pull: Pull, schema_colours: dict[str, str] | None = None, gold: list[Document] | None = None, lang: str = "en"
) -> str:
    """The report of a pull (normalised annotations): agreement, disagreements, annotators.

    pull (Pull): The pull.
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    gold (list[Document] | None): Gold documents to score each annotator against.
    lang (str): The schema's language, for the tokenizer.
    RETURNS (str): The HTML page.
    """
    return render_pull(pull_figures(pull, gold, lang), schema_colours)
