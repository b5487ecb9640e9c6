"""Inter-annotator agreement: the report ``annotate agree`` prints, gathered one document at a time. Pure.

Per annotator pair: span F1 (strict and partial, :mod:`annotate.core.matching`) and Cohen's kappa over
tokens; over all annotators: Krippendorff's alpha and Fleiss' kappa over tokens
(:mod:`annotate.core.coefficients`); per label: strict span F1. Tokens are spaCy's
(:mod:`annotate.core.alignment`). The public API is :mod:`annotate.agreement`.

EXAMPLE:
    >>> report = agreement_report({"d1": {"ann": [Span(0, 3, "PER")], "bob": [Span(0, 3, "PER")]}},
    ...                           {"d1": {"ann": ["PER", "O"], "bob": ["PER", "O"]}}, ["PER"])
    >>> report.pairwise[0]["f1_strict"], report.per_label["PER"]["f1_strict"]
    (1.0, 1.0)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from annotate.core.coefficients import (
    alpha_from_coincidences,
    cohen_kappa_from_confusion,
    coincidences,
    fleiss_kappa_from_totals,
)
from annotate.core.matching import SpanScores, partial_count
from annotate.core.spans import Span

__all__ = ["AgreementReport", "AgreementTally", "agreement_report", "agreement_for"]

NAN = float("nan")


@dataclass
class AgreementReport:
    """Agreement over the documents several annotators annotated.

    n_documents (int): Documents seen.
    annotators (list[str]): Every annotator, sorted.
    pairwise (list[dict]): Per pair: ``annotator_a``, ``annotator_b``, ``n_documents``, ``f1_strict``,
        ``f1_partial``, ``cohen_kappa`` (over tokens).
    krippendorff_alpha (float): Over tokens, all annotators (nominal).
    fleiss_kappa (float): Over tokens, on the documents with the most common number of annotators.
    fleiss_n_documents (int): The documents Fleiss' kappa covers.
    fleiss_n_annotators (int): Their number of annotators.
    per_label (dict[str, dict]): Per label: strict ``f1_strict`` over every pair, and ``support``.
    notes (list[str]): What the figures do not cover.
    """

    n_documents: int
    annotators: list[str]
    pairwise: list[dict]
    krippendorff_alpha: float
    fleiss_kappa: float
    fleiss_n_documents: int
    fleiss_n_annotators: int
    per_label: dict[str, dict]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The report as JSON-ready values (NaN as None).

        RETURNS (dict): Every field.
        """

        def clean(value: Any) -> Any:
            if isinstance(value, float) and math.isnan(value):
                return None
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        return clean(
            {
                "n_documents": self.n_documents,
                "annotators": self.annotators,
                "pairwise": self.pairwise,
                "krippendorff_alpha": self.krippendorff_alpha,
                "fleiss_kappa": self.fleiss_kappa,
                "fleiss_n_documents": self.fleiss_n_documents,
                "fleiss_n_annotators": self.fleiss_n_annotators,
                "per_label": self.per_label,
                "notes": self.notes,
            }
        )


class AgreementTally:
    """The agreement report's statistics, gathered one document at a time.

    Memory stays bounded whatever the number of documents: per annotator pair
    the span counts and a token confusion table (Cohen), per annotator count
    the totals of a Fleiss table, and one Krippendorff coincidence matrix.
    Token count rows are buffered and folded into those totals in blocks.

    labels (Sequence[str]): The label set (for the per-label table).

    EXAMPLE:
        >>> tally = AgreementTally(["ORG"])
        >>> tally.add({"ann": [Span(0, 4, "ORG")], "bob": [Span(0, 4, "ORG")]},
        ...           {"ann": ["ORG", "O"], "bob": ["ORG", "O"]})
        >>> tally.report().pairwise[0]["f1_strict"]
        1.0
    """

    BLOCK = 50_000  # token rows buffered before they are folded into the totals

    def __init__(self, labels: Sequence[str]):
        self.labels = list(labels)
        self.n_documents = 0
        self.annotators: set[str] = set()
        self.pairs: dict[tuple[str, str], list] = {}  # (a, b) -> [docs, strict, partial, n_a, n_b]
        self.confusion: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (a, b) -> {(code a, code b): n}
        self.label_matches: Counter = Counter()
        self.label_totals: Counter = Counter()
        self.codes: dict[str, int] = {}
        self.coincidence = np.zeros((0, 0))
        self.fleiss: dict[int, list] = {}  # raters -> [documents, subjects, sum of squares, category totals]
        self.buffer: dict[tuple, list[np.ndarray]] = defaultdict(list)  # annotators -> their code rows, not yet folded
        self.buffered = 0

    def add(self, spans: Mapping[str, Iterable[Span]], token_labels: Mapping[str, Sequence[str]]) -> None:
        """Add one document.

        spans (Mapping[str, Iterable[Span]]): Each annotator's spans (a set: duplicates count once).
        token_labels (Mapping[str, Sequence[str]]): Each annotator's label per token ("O" outside).
        """
        self.n_documents += 1
        names = sorted(spans)
        self.annotators.update(names)
        if len(names) < 2:
            return
        coded: dict[int, list[int]] = {}  # one coding per distinct label list (annotators often agree)
        rows = np.array(
            [
                coded[id(token_labels[n])]
                if id(token_labels[n]) in coded
                else coded.setdefault(id(token_labels[n]), self._coded(token_labels[n]))
                for n in names
            ],
            dtype=np.int64,
        ).reshape(len(names), -1)
        marked = {n: frozenset(spans[n]) for n in names}
        totals = self.label_totals
        for n in names:  # each annotator's spans are compared in len(names) - 1 pairs
            for span in marked[n]:
                totals[span.label] += len(names) - 1
        for x, y in combinations(names, 2):
            sx, sy = marked[x], marked[y]
            common = sx & sy
            pair = self.pairs.setdefault((x, y), [0, 0, 0, 0, 0])
            pair[0] += 1
            pair[1] += len(common)
            pair[2] += len(sx) if sx == sy else partial_count(sx, sy)
            pair[3] += len(sx)
            pair[4] += len(sy)
            for span in common:
                self.label_matches[span.label] += 1
        self.fleiss.setdefault(len(names), [0, 0, 0.0, np.zeros(0)])[0] += 1
        self.buffer[tuple(names)].append(rows)  # raters x tokens
        self.buffered += rows.shape[1]
        if self.buffered >= self.BLOCK:
            self._fold()

    def _coded(self, labels: Sequence[str]) -> list[int]:
        """Token labels as integer codes (a code per label, given on first sight)."""
        codes = self.codes
        try:
            return list(map(codes.__getitem__, labels))
        except KeyError:
            for label in labels:
                codes.setdefault(label, len(codes))
            return list(map(codes.__getitem__, labels))

    def _fold(self) -> None:
        """Fold the buffered token rows into the pairs' confusion tables, the coincidence matrix and the Fleiss totals."""
        width = len(self.codes)
        by_raters: dict[int, list[np.ndarray]] = defaultdict(list)
        for names, chunks in self.buffer.items():
            stacked = np.hstack(chunks)  # raters x tokens
            by_raters[len(names)].append(stacked.T)
            for (i, x), (j, y) in combinations(enumerate(names), 2):  # Cohen: each pair's (code, code) counts
                cells, times = np.unique(stacked[i] * _PAIR + stacked[j], return_counts=True)
                table = self.confusion[(x, y)]
                for cell, n in zip(cells.tolist(), times.tolist(), strict=True):
                    table[divmod(cell, _PAIR)] += n
        for raters, blocks in by_raters.items():
            rows = np.vstack(blocks)
            n_tokens = rows.shape[0]
            cells = (np.arange(n_tokens)[:, None] * width + rows).ravel()
            counts = np.bincount(cells, minlength=n_tokens * width).reshape(n_tokens, width).astype(float)
            self.coincidence = _grown(self.coincidence, width, square=True) + coincidences(counts)
            block = self.fleiss[raters]
            block[1] += n_tokens
            block[2] += float((counts * counts).sum())
            block[3] = _grown(block[3], width) + counts.sum(axis=0)
        self.buffer.clear()
        self.buffered = 0

    def report(self) -> AgreementReport:
        """The report of everything added so far.

        RETURNS (AgreementReport): The report.
        """
        self._fold()
        annotators = sorted(self.annotators)
        pairwise = []
        for x, y in combinations(annotators, 2):
            docs, strict, partial, n_x, n_y = self.pairs.get((x, y), [0, 0, 0, 0, 0])
            pairwise.append(
                {
                    "annotator_a": x,
                    "annotator_b": y,
                    "n_documents": docs,
                    "f1_strict": SpanScores.from_counts(strict, n_x, n_y).f1,
                    "f1_partial": SpanScores.from_counts(partial, n_x, n_y).f1,
                    "cohen_kappa": cohen_kappa_from_confusion(self.confusion.get((x, y), {})),
                }
            )
        per_label = {
            label: {
                "f1_strict": (2 * self.label_matches[label] / self.label_totals[label])
                if self.label_totals[label]
                else NAN,
                "support": self.label_totals[label],
            }
            for label in self.labels
        }
        alpha = alpha_from_coincidences(self.coincidence) if self.coincidence.size else NAN
        notes = []
        fleiss, fleiss_docs, fleiss_n = NAN, 0, 0
        if self.fleiss:
            fleiss_n = max(self.fleiss, key=lambda k: (self.fleiss[k][0], k))
            fleiss_docs, subjects, squares, totals = self.fleiss[fleiss_n]
            fleiss = fleiss_kappa_from_totals(fleiss_n, subjects, squares, totals)
            if fleiss_docs < self.n_documents:
                notes.append(
                    f"Fleiss' kappa covers the {fleiss_docs} documents with {fleiss_n} annotators each "
                    f"(of {self.n_documents}); it needs the same number of annotators on every document."
                )
        else:
            notes.append("No document has two or more annotators: agreement is undefined.")
        return AgreementReport(
            n_documents=self.n_documents,
            annotators=annotators,
            pairwise=pairwise,
            krippendorff_alpha=alpha,
            fleiss_kappa=fleiss,
            fleiss_n_documents=fleiss_docs,
            fleiss_n_annotators=fleiss_n,
            per_label=per_label,
            notes=notes,
        )


_PAIR = 1 << 20  # a pair of token label codes (x, y) is stored as one integer x * _PAIR + y


def _grown(array: np.ndarray, width: int, square: bool = False) -> np.ndarray:
    """``array`` padded with zeros to ``width`` columns (and rows, if ``square``)."""
    if array.shape[-1] == width:
        return array
    out = np.zeros((width, width) if square else width)
    out[tuple(slice(0, n) for n in array.shape)] = array
    return out


def agreement_report(
    spans: Mapping[str, Mapping[str, Sequence[Span]]],
    token_labels: Mapping[str, Mapping[str, Sequence[str]]],
    labels: Sequence[str],
) -> AgreementReport:
    """Agreement over documents annotated by several annotators.

    spans (Mapping[str, Mapping[str, Sequence[Span]]]): ``doc_id -> annotator -> spans`` (only the kept
        annotations).
    token_labels (Mapping[str, Mapping[str, Sequence[str]]]): ``doc_id -> annotator -> label per token``
        ("O" outside entities), the same documents and annotators as ``spans``.
    labels (Sequence[str]): The label set (for the per-label table).
    RETURNS (AgreementReport): The report.
    """
    tally = AgreementTally(labels)
    for doc_id, per_doc in spans.items():
        tally.add(per_doc, token_labels[doc_id])
    return tally.report()


def agreement_for(
    documents: Sequence[Any], records: Sequence[Any], labels: Sequence[str], lang: str = "en"
) -> AgreementReport:
    """The agreement report of normalised annotation records over their documents.

    Tokens come from spaCy's tokenizer for ``lang``; a token's label is the
    label of the entity covering it, or "O".

    documents (Sequence[Any]): The documents (``id`` and ``text``).
    records (Sequence[Any]): The annotators' records (``doc_id``, ``annotator``, ``spans``).
    labels (Sequence[str]): The label set.
    lang (str): The spaCy language code of the texts.
    RETURNS (AgreementReport): The report.
    """
    from annotate.core.alignment import blank_pipeline, token_labels_by_annotator

    texts = {d.id: d.text for d in documents}
    spans: dict[str, dict[str, Sequence[Span]]] = defaultdict(dict)
    for record in records:
        spans[record.doc_id][record.annotator] = record.spans
    nlp = blank_pipeline(lang)
    tally = AgreementTally(labels)
    for doc_id, per_annotator in spans.items():  # one annotator: a document counted, no tokens to compare
        tally.add(
            per_annotator,
            token_labels_by_annotator(nlp.make_doc(texts[doc_id]), per_annotator) if len(per_annotator) >= 2 else {},
        )
    return tally.report()
