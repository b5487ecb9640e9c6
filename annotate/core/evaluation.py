"""Scoring predicted spans against gold: strict and partial, micro and per label, with
bootstrap confidence intervals and false positives/negatives by type. Pure.

* strict: same start, end and label (equals seqeval on IOB2 and nervaluate's strict scheme);
* partial: overlapping, same label, each span matched at most once (maximum matching).

Confidence intervals: documents are resampled with replacement (seeded), the
2.5th and 97.5th percentiles of each figure over the resamples.

EXAMPLE:
    >>> gold = {"d1": [Span(0, 3, "PER"), Span(8, 12, "ORG")]}
    >>> pred = {"d1": [Span(0, 3, "PER"), Span(8, 11, "ORG")]}
    >>> result = evaluate_spans(gold, pred, ["PER", "ORG"], n_bootstrap=0)
    >>> result.strict["micro"]["f1"], result.partial["micro"]["f1"], result.errors["total"]["wrong_boundary"]
    (0.5, 1.0, 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from annotate.core.matching import match_count
from annotate.core.spans import Span

ERROR_TYPES = ("wrong_label", "wrong_boundary", "wrong_label_and_boundary", "spurious", "missed")


def _prf(tp: np.ndarray, n_pred: np.ndarray, n_gold: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_pred > 0, tp / np.maximum(n_pred, 1), np.nan)
        recall = np.where(n_gold > 0, tp / np.maximum(n_gold, 1), np.nan)
        total = n_pred + n_gold
        f1 = np.where(total > 0, 2 * tp / np.maximum(total, 1), np.nan)
    return precision, recall, f1


def _nan_to_none(x: float) -> float | None:
    return None if x is None or x != x else float(x)


def classify_errors(gold: Sequence[Span], pred: Sequence[Span]) -> dict[str, int]:
    """False positives and negatives of one document by type (strict matching).

    gold (Sequence[Span]): The document's gold spans.
    pred (Sequence[Span]): The predicted spans.
    RETURNS (dict[str, int]): A count per ERROR_TYPES: each false positive is a wrong label (same
        boundaries), a wrong boundary (overlapping, same label), both, or spurious; a gold span nothing
        overlaps is missed.

    EXAMPLE:
        >>> classify_errors([Span(0, 3, "PER")], [Span(0, 3, "ORG"), Span(5, 9, "PER")])["wrong_label"]
        1
    """
    gold_set, pred_set = set(gold), set(pred)
    counts = dict.fromkeys(ERROR_TYPES, 0)

    for p in pred_set - gold_set:
        same_bounds = any(g.start == p.start and g.end == p.end for g in gold_set)
        same_label = any(g.overlaps(p) and g.label == p.label for g in gold_set)
        other = any(g.overlaps(p) for g in gold_set)
        key = (
            "wrong_label"
            if same_bounds
            else "wrong_boundary"
            if same_label
            else "wrong_label_and_boundary"
            if other
            else "spurious"
        )
        counts[key] += 1
    for g in gold_set - pred_set:
        if not any(g.overlaps(p) for p in pred_set):
            counts["missed"] += 1
    return counts


@dataclass
class Evaluation:
    """Scores of predictions against gold.

    labels (list[str]): The labels scored.
    n_documents (int): Gold documents scored.
    strict (dict): ``{"micro": scores, "per_label": {label: scores}}``, exact matching; scores hold precision,
        recall, f1, tp, fp, fn, support and ``ci95`` (each figure's interval, None without bootstrap).
    partial (dict): The same with partial matching.
    errors (dict): ``{"total": counts, "per_label": {label: counts}}`` by error type.
    """

    labels: list[str]
    n_documents: int
    strict: dict
    partial: dict
    errors: dict

    def to_dict(self) -> dict:
        """The evaluation as JSON-ready values (what ``annotate evaluate --json`` prints).

        RETURNS (dict): ``n_documents``, ``labels``, strict ``micro`` and ``per_label``, ``partial``, ``errors``.
        """
        return {
            "n_documents": self.n_documents,
            "labels": self.labels,
            "micro": self.strict["micro"],
            "per_label": self.strict["per_label"],
            "partial": self.partial,
            "errors": self.errors,
        }


def evaluate_spans(
    gold: Mapping[str, Sequence[Span]],
    pred: Mapping[str, Sequence[Span]],
    labels: Sequence[str],
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> Evaluation:
    """Score predicted spans against gold over the gold documents.

    A gold document without predictions counts as predicting nothing.

    gold (Mapping[str, Sequence[Span]]): Doc id to gold spans.
    pred (Mapping[str, Sequence[Span]]): Doc id to predicted spans.
    labels (Sequence[str]): The labels to score.
    n_bootstrap (int): Resamples for the confidence intervals (0: none).
    seed (int): Seeds the resampling.
    RETURNS (Evaluation): Strict and partial scores, micro and per label, and the errors by type.
    """
    labels = list(labels)
    doc_ids = list(gold)
    n_docs, n_labels = len(doc_ids), len(labels)
    # counts[mode][doc, label, (matches, n_pred, n_gold)]
    counts = {mode: np.zeros((n_docs, n_labels, 3), dtype=np.int64) for mode in ("strict", "partial")}
    errors = dict.fromkeys(ERROR_TYPES, 0)
    errors_per_label = {label: dict.fromkeys(ERROR_TYPES, 0) for label in labels}
    index = {label: i for i, label in enumerate(labels)}
    for d, doc_id in enumerate(doc_ids):
        g, p = list(gold[doc_id]), list(pred.get(doc_id, ()))
        for label, li in index.items():
            gl = [s for s in g if s.label == label]
            pl = [s for s in p if s.label == label]
            for mode in ("strict", "partial"):
                counts[mode][d, li] = (match_count(gl, pl, mode), len(pl), len(gl))
        for key, n in classify_errors(g, p).items():
            errors[key] += n
        for label in labels:
            # per label: the false positives predicted with that label, the gold spans of that label missed
            fps = classify_errors(g, [s for s in p if s.label == label])
            for key in ERROR_TYPES[:-1]:
                errors_per_label[label][key] += fps[key]
            errors_per_label[label]["missed"] += classify_errors([s for s in g if s.label == label], p)["missed"]
    rng = np.random.default_rng(seed)
    weights = (
        rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_bootstrap) if n_docs and n_bootstrap else None
    )
    out = {}
    for mode, c in counts.items():
        totals = c.sum(axis=0)  # (labels, 3)
        micro = totals.sum(axis=0)
        p_, r_, f_ = _prf(totals[:, 0], totals[:, 1], totals[:, 2])
        mp, mr, mf = _prf(micro[0:1], micro[1:2], micro[2:3])
        ci_micro = ci_labels = None
        if weights is not None:
            sampled = (weights @ c.reshape(n_docs, -1)).reshape(n_bootstrap, n_labels, 3)
            sp, sr, sf = _prf(sampled[..., 0], sampled[..., 1], sampled[..., 2])
            smicro = sampled.sum(axis=1)
            mp_s, mr_s, mf_s = _prf(smicro[:, 0], smicro[:, 1], smicro[:, 2])
            ci_micro = {k: _ci(v) for k, v in (("precision", mp_s), ("recall", mr_s), ("f1", mf_s))}
            ci_labels = [
                {k: _ci(v[:, i]) for k, v in (("precision", sp), ("recall", sr), ("f1", sf))} for i in range(n_labels)
            ]

        def entry(prec, rec, f1, tp, n_pred, n_gold, ci) -> dict:
            return {
                "precision": _nan_to_none(prec),
                "recall": _nan_to_none(rec),
                "f1": _nan_to_none(f1),
                "tp": int(tp),
                "fp": int(n_pred - tp),
                "fn": int(n_gold - tp),
                "support": int(n_gold),
                "ci95": ci,
            }

        out[mode] = {
            "micro": entry(mp[0], mr[0], mf[0], micro[0], micro[1], micro[2], ci_micro),
            "per_label": {
                label: entry(
                    p_[i], r_[i], f_[i], totals[i, 0], totals[i, 1], totals[i, 2], ci_labels[i] if ci_labels else None
                )
                for i, label in enumerate(labels)
            },
        }
    return Evaluation(labels, n_docs, out["strict"], out["partial"], {"total": errors, "per_label": errors_per_label})


def _ci(samples: np.ndarray) -> list[float | None]:
    values = samples[~np.isnan(samples)]
    if not len(values):
        return [None, None]
    low, high = np.percentile(values, [2.5, 97.5])
    return [float(low), float(high)]
