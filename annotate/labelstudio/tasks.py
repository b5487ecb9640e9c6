"""Documents as Label Studio tasks, and back. Pure functions.

A task's ``data`` carries the text and the document's identity, so any
export (or task listing) maps back to our documents::

    {"text": "…", "doc_id": "3f9c…", "source": "000_x.txt", "article": 0, "paragraph": 4, "offset": 1234}

(and ``"headline": true`` for a headline paragraph, see :mod:`annotate.core.stories`).

Predicted spans become one prediction whose ``model_version`` is the model's
``name-version`` and whose results are ``labels`` regions on the text; a
scored document (``preannotate --scores``) gives each region its ``score`` and
the prediction the task's ``score`` (what Label Studio's uncertainty sampling
orders by).

An adjudication task (``annotate adjudicate push``) carries one prediction per
annotator, named by the annotator, and says in ``data.adjudicating`` which
corpus version's conflicts it settles.

EXAMPLE:
    >>> doc = Document("d1", "Ada wrote.", "a.txt", 0, 0, 0)
    >>> document_to_task(doc)["data"]
    {'text': 'Ada wrote.', 'doc_id': 'd1', 'source': 'a.txt', 'article': 0, 'paragraph': 0, 'offset': 0}
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from annotate.core.documents import SCORE_DIGITS, Document
from annotate.core.schema import FROM_NAME, TO_NAME
from annotate.core.spans import Span
from annotate.core.stories import HEADLINE

DOC_ID_KEY = "doc_id"
ADJUDICATING_KEY = "adjudicating"


def region_id(doc_id: str, span: Span) -> str:
    """A stable id for a result region (Label Studio accepts any short string).

    doc_id (str): The document.
    span (Span): The span.
    RETURNS (str): 10 hex characters.
    """
    return hashlib.sha1(f"{doc_id}:{span.start}:{span.end}:{span.label}".encode()).hexdigest()[:10]


def span_to_result(text: str, span: Span, doc_id: str, from_name: str = FROM_NAME, to_name: str = TO_NAME) -> dict:
    """A span as a Label Studio ``labels`` result (a region of a prediction).

    text (str): The document's text.
    span (Span): The span.
    doc_id (str): The document (part of the region's id).
    from_name (str): The ``<Labels>`` control (default: the generated config's).
    to_name (str): The ``<Text>`` it marks (default: the generated config's).
    RETURNS (dict): The result object.

    EXAMPLE:
        >>> result_to_span(span_to_result("Ada wrote.", Span(0, 3, "PER"), "d1"))
        Span(start=0, end=3, label='PER')
    """
    return {
        "id": region_id(doc_id, span),
        "from_name": from_name,
        "to_name": to_name,
        "type": "labels",
        "origin": "prediction",
        "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end], "labels": [span.label]},
    }


def _task_data(doc: Document) -> dict:
    data = {
        TO_NAME: doc.text,
        DOC_ID_KEY: doc.id,
        "source": doc.source,
        "article": doc.article,
        "paragraph": doc.paragraph,
        "offset": doc.offset,
    }
    if doc.extra_meta.get(HEADLINE) is True:  # a headline paragraph (stories.yml): the flag travels with it
        data[HEADLINE] = True
    return data


def document_to_task(doc: Document) -> dict:
    """The import payload for one document, with its prediction when its spans are a model's.

    doc (Document): The document.
    RETURNS (dict): ``{"data": ..., "predictions": [...]}`` (no predictions without a model).

    EXAMPLE:
        >>> from annotate.core.documents import ModelInfo
        >>> doc = Document("d1", "Ada wrote.", "a.txt", 0, 0, 0).with_spans([Span(0, 3, "PER")], ModelInfo("m", "1"),
        ...                                                              scores=[0.8], score=0.6)
        >>> (prediction,) = document_to_task(doc)["predictions"]
        >>> prediction["model_version"], prediction["score"], [r["score"] for r in prediction["result"]]
        ('m-1', 0.6, [0.8])
    """
    task: dict = {"data": _task_data(doc)}
    if doc.model is not None:
        results = [span_to_result(doc.text, span, doc.id) for span in doc.spans]
        for result, score in zip(results, doc.scores, strict=False):  # no scores: none written
            result["score"] = round(score, SCORE_DIGITS)
        prediction: dict = {"model_version": doc.model.tag, "result": results}
        if doc.score is not None:
            prediction["score"] = round(doc.score, SCORE_DIGITS)
        task["predictions"] = [prediction]
    return task


def adjudication_task(doc: Document, versions: Mapping[str, Sequence[Span]], version_spec: str) -> dict:
    """An adjudication task: the document, and each annotator's spans as a prediction named by the annotator.

    doc (Document): The document.
    versions (Mapping[str, Sequence[Span]]): Each annotator's spans.
    version_spec (str): The corpus version whose conflicts it settles (``data.adjudicating``).
    RETURNS (dict): The import payload.
    """
    data = {**_task_data(doc), ADJUDICATING_KEY: version_spec}
    return {
        "data": data,
        "predictions": [
            {"model_version": annotator, "result": [span_to_result(doc.text, span, doc.id) for span in spans]}
            for annotator, spans in sorted(versions.items())
        ],
    }


def result_to_span(result: dict) -> Span:
    """The Span of one ``labels`` result (its first label).

    result (dict): A ``labels`` result.
    RETURNS (Span): The span.
    """
    value = result["value"]
    return Span(int(value["start"]), int(value["end"]), str(value["labels"][0]))
