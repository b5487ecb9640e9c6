"""``annotate evaluate``: score predictions, or models run here, against a corpus version's gold."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotate.core.documents import Document
from annotate.core.evaluation import Evaluation
from annotate.core.inputs import project_spans, squeezed
from annotate.core.schema import Schema
from annotate.core.spans import Span
from annotate.corpus.store import CORPUS_ROOT
from annotate.errors import Errors, InvalidInputError, Warnings
from annotate.io.files import atomic_write
from annotate.io.inputs import InputDocument, read_input_documents
from annotate.io.schemas import load_schema

Predictions = Mapping[str, Sequence[Span]]


@dataclass(frozen=True)
class Scored:
    """One set of predictions scored: the JSON form (``result``), the evaluation, and any warnings (W003)."""

    result: dict[str, Any]
    report: Evaluation
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonRow:
    """One model in the comparison table: strict micro P/R/F1, the F1 interval, ΔF1 against the first model."""

    predictions: str
    precision: float | None
    recall: float | None
    f1: float | None
    ci95: tuple[float | None, float | None]
    delta_f1: float | None


@dataclass(frozen=True)
class EvaluateResult:
    """What ``evaluate`` found: the gold's description, one :class:`Scored` per run, the comparison when several."""

    gold: str
    scored: tuple[Scored, ...]
    comparison: tuple[ComparisonRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form: the one result, or the gold and every result for a comparison.

        RETURNS (dict[str, Any]): JSON-ready.
        """
        if len(self.scored) == 1:
            return self.scored[0].result
        return {"gold": self.gold, "comparison": [s.result for s in self.scored]}


def check_predictions(
    predicted: Sequence[Document], known: set[str], selected: set[str], path: Path, description: str
) -> dict[str, tuple[Span, ...]]:
    """The predicted spans of the selected gold documents, after checking every prediction's id is in the gold.

    predicted (Sequence[Document]): The predicted documents, in file order (line numbers count from 1).
    known (set[str]): Ids of every gold document of the source (any split).
    selected (set[str]): Ids of the gold documents evaluated (the split).
    path (Path): The predictions file, for the message.
    description (str): The gold, for the message.
    RETURNS (dict[str, tuple[Span, ...]]): Spans per selected document id.
    RAISES (InvalidInputError): E086 for the first prediction whose id is not in the gold.

    EXAMPLE:
        >>> doc = Document("d1", "Ada", "a.txt", article=0, paragraph=0, offset=0, spans=(Span(0, 3, "PER"),))
        >>> check_predictions([doc], {"d1", "d2"}, {"d1"}, Path("p.jsonl"), "gold")["d1"][0].label
        'PER'
    """
    for line, doc in enumerate(predicted, start=1):
        if doc.id not in known:
            raise InvalidInputError(Errors.E086.format(path=path, line=line, doc_id=doc.id, split=description))
    return {d.id: d.spans for d in predicted if d.id in selected}


def match_predictions(
    predicted: Sequence[InputDocument],
    gold: Sequence[Document],
    selected: set[str],
    path: Path,
    description: str,
) -> dict[str, tuple[Span, ...]]:
    """The predicted spans of the selected gold documents, each prediction matched to its gold document.

    The rule: a prediction with an id (a JSONL ``id``, a DocBin's ``user_data["id"]``) is the gold document of
    that id. One without (a JSONL line without ``id``, CoNLL, a DocBin without ids) is matched by its text:
    the k-th prediction with a text goes with the k-th gold document with the same text up to whitespace (so a
    CoNLL text, rebuilt with one space between tokens, finds the original), its spans moved onto the gold's
    text (:func:`annotate.core.inputs.project_spans`).

    predicted (Sequence[InputDocument]): The predictions, in file order.
    gold (Sequence[Document]): Every gold document of the source (any split), in its order.
    selected (set[str]): Ids of the gold documents evaluated (the split).
    path (Path): The predictions file, for the messages.
    description (str): The gold, for the messages.
    RETURNS (dict[str, tuple[Span, ...]]): Spans per selected document id.
    RAISES (InvalidInputError): E086 for an id not in the gold, E147 for a text without a gold document.

    EXAMPLE:
        >>> gold = [Document("g1", "Ada met\\nBob.", "g.jsonl", 0, 0, 0)]
        >>> pred = Document("x", "Ada met Bob .", "p.conll", 0, 0, 0, (Span(8, 11, "PER"),))
        >>> match_predictions([InputDocument("line 1", pred, False)], gold, {"g1"}, Path("p.conll"), "gold")
        {'g1': (Span(start=8, end=11, label='PER'),)}
    """
    by_text: dict[str, list[Document]] = {}
    for doc in gold:
        by_text.setdefault(squeezed(doc.text), []).append(doc)
    taken: dict[str, int] = {}
    matched = []
    for found in predicted:
        doc = found.doc
        if not found.has_id:
            key = squeezed(doc.text)
            candidates, k = by_text.get(key, []), taken.get(key, 0)
            if k >= len(candidates):
                raise InvalidInputError(
                    Errors.E147.format(path=path, where=found.where, split=description, text=doc.text[:60])
                )
            taken[key] = k + 1
            target = candidates[k]
            spans = project_spans(doc.spans, doc.text, target.text)
            doc = replace(doc, id=target.id, text=target.text, spans=spans, scores=(), score=None)  # no stale scores
        matched.append(doc)
    known = {d.id for d in gold}
    for found, doc in zip(predicted, matched, strict=True):
        if doc.id not in known:
            line = found.where.split()[-1]
            raise InvalidInputError(Errors.E086.format(path=path, line=line, doc_id=doc.id, split=description))
    return {d.id: d.spans for d in matched if d.id in selected}


def score(
    docs: Sequence[Document],
    description: str,
    source: str,
    pred: Predictions,
    schema: Schema,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Scored:
    """Strict and partial P/R/F1 of ``pred`` against the gold ``docs``, labels in the schema's order.

    docs (Sequence[Document]): The gold documents evaluated.
    description (str): The gold, as the result names it.
    source (str): The predictions (a file or a model), as the result names them.
    pred (Predictions): Predicted spans per document id (documents missing count as predicting nothing).
    schema (Schema): Orders the labels (others after, by name).
    bootstrap (int): Bootstrap resamples for the 95% intervals (0: none).
    seed (int): Bootstrap seed.
    RETURNS (Scored): The result; W003 when gold documents have no predictions.
    """
    from annotate.core.evaluation import evaluate_spans

    names = schema.label_names
    labels = sorted(
        {s.label for d in docs for s in d.spans} | {s.label for spans in pred.values() for s in spans},
        key=lambda label: (names.index(label) if label in names else 99, label),
    )
    report = evaluate_spans({d.id: d.spans for d in docs}, pred, labels, n_bootstrap=bootstrap, seed=seed)
    missing = sum(1 for d in docs if d.id not in pred)
    result = {"gold": description, "predictions": source, "missing_predictions": missing, **report.to_dict()}
    return Scored(result, report, (Warnings.W003.format(count=missing),) if missing else ())


def _number(value: float | None) -> bool:
    return value is not None and value == value  # not None, not NaN


def compare(scored: Sequence[Scored]) -> tuple[ComparisonRow, ...]:
    """The comparison table of several runs on the same documents: strict micro scores, ΔF1 against the first.

    scored (Sequence[Scored]): The runs, the first being the baseline.
    RETURNS (tuple[ComparisonRow, ...]): One row per run (ΔF1 None when an F1 is undefined).
    """
    base_f1 = scored[0].report.strict["micro"]["f1"]
    rows = []
    for s in scored:
        micro = s.report.strict["micro"]
        ci = micro["ci95"]["f1"] if micro.get("ci95") else (None, None)
        delta = micro["f1"] - base_f1 if _number(micro["f1"]) and _number(base_f1) else None
        rows.append(
            ComparisonRow(
                s.result["predictions"], micro["precision"], micro["recall"], micro["f1"], (ci[0], ci[1]), delta
            )
        )
    return tuple(rows)


def save_payload(scored: Scored, docs: Sequence[Document], pred: Predictions) -> dict[str, Any]:
    """The ``--save`` file: the result with every document's text, gold and predicted spans (for ``report``).

    scored (Scored): The evaluation saved.
    docs (Sequence[Document]): The gold documents evaluated.
    pred (Predictions): The predicted spans per document id.
    RETURNS (dict[str, Any]): JSON-ready.
    """
    return {
        **scored.result,
        "documents": [
            {
                "id": d.id,
                "text": d.text,
                "source": d.source,
                "paragraph": d.paragraph,
                "gold": [s.to_dict() for s in d.spans],
                "predicted": [s.to_dict() for s in pred.get(d.id, ())],
            }
            for d in docs
        ],
    }


def evaluate(
    gold: str,
    predictions: Path | None = None,
    models: Sequence[str] = (),
    split: str = "test",
    save: Path | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    schema: Path | None = None,
    root: Path = CORPUS_ROOT,
) -> EvaluateResult:
    """Score a predictions file, or one or more spaCy models run on the gold's texts, against the gold.

    gold (str): Corpus version (corpus/NAME/vN, NAME@vN) or a gold file (JSONL, DocBin ``.spacy``, CoNLL IOB2).
    predictions (Path | None): Predictions (JSONL, DocBin or CoNLL; see :func:`match_predictions`); exactly one
        of it and ``models``.
    models (Sequence[str]): spaCy models (package or path) to run; several are compared on the same documents.
    split (str): train, dev, test or all (for a corpus version).
    save (Path | None): Also write the one result with every document's spans as JSON (one run only).
    bootstrap (int): Bootstrap resamples for the 95% intervals (0: none).
    seed (int): Bootstrap seed.
    schema (Path | None): Schema file (None: schemas/news.yml).
    root (Path): Folder holding the corpora.
    RETURNS (EvaluateResult): One scored run per predictions file or model, and the comparison when several.
    """
    from annotate.corpus.api import load_gold
    from annotate.model.preannotate import load_model, preannotate

    if (predictions is None) == (not models):
        raise InvalidInputError(Errors.E087.format(got="both" if predictions is not None else "neither"))
    if save is not None and len(models) > 1:
        raise InvalidInputError(Errors.E096)
    the_schema = load_schema(schema)
    docs, all_docs, description = load_gold(gold, split, root)
    runs: list[tuple[str, Predictions]] = []
    if predictions is not None:
        predicted = read_input_documents(predictions, producer="preannotate")
        runs.append(
            (str(predictions), match_predictions(predicted, all_docs, {d.id for d in docs}, predictions, description))
        )
    for name in models:
        nlp, info = load_model(name)
        result, _ = preannotate(docs, nlp, info, the_schema)
        runs.append(
            (
                f"{info.name} {info.version} ({name})" if len(models) > 1 else f"{info.name} {info.version}",
                {d.id: d.spans for d in result},
            )
        )
    scored = tuple(score(docs, description, source, pred, the_schema, bootstrap, seed) for source, pred in runs)
    if save is not None:
        with atomic_write(save) as fh:
            json.dump(save_payload(scored[0], docs, runs[0][1]), fh, ensure_ascii=False, indent=1)
    return EvaluateResult(description, scored, compare(scored) if len(scored) > 1 else ())
