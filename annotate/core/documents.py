"""Documents: one paragraph of one article, the unit of annotation (one task).

The JSONL record written by ``ingest`` and ``preannotate`` (and, with gold
spans, by ``compile`` later) is::

    {"id": "3f9c…", "text": "…",
     "meta": {"source": "000_x.txt", "article": 0, "paragraph": 4, "offset": 1234},
     "spans": [{"start": 0, "end": 6, "label": "PERSON", "score": 0.9312}],
     "model": {"name": "en_core_web_sm", "version": "3.8.0"}, "score": 0.9312}

``meta.offset`` is the character offset of ``text`` in the decoded source
file: ``source_text[offset:offset + len(text)] == text``. ``model`` is set
when the spans are a model's predictions, ``None`` otherwise. A span's ``score`` and the record's ``score``
(the task's, see :func:`annotate.core.scores.task_score`) are there when the model scored its spans
(``preannotate --scores``), rounded to 4 decimals; they take no part in comparing documents. Pure.

EXAMPLE:
    >>> doc = Document(document_id("a.txt", "Ada wrote."), "Ada wrote.", "a.txt", 0, 0, 0)
    >>> Document.from_dict(doc.to_dict()) == doc
    True
    >>> scored = doc.with_spans([Span(0, 3, "PER")], scores=[0.91234], score=0.5)
    >>> record = scored.to_dict()
    >>> record["spans"], record["score"], Document.from_dict(record).scores
    ([{'start': 0, 'end': 3, 'label': 'PER', 'score': 0.9123}], 0.5, (0.9123,))
    >>> scored.with_spans(scored.spans).scores, scored.with_spans(scored.spans).score
    ((), None)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from sys import intern
from typing import Any, NamedTuple, TypeVar

from annotate.core.spans import Span, sort_spans

SCORE_DIGITS = 4  # scores in records: 4 decimals
ID_LENGTH = 16  # hex characters of sha256: 64 bits, collision-free far past any corpus size
D = TypeVar("D")  # a Document or an Outline


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model made a document's predicted spans.

    name (str): The model's name (e.g. ``en_core_web_sm``).
    version (str): Its version.
    """

    name: str
    version: str

    @property
    def tag(self) -> str:
        """``name-version``: what Label Studio shows as the prediction's model version.

        EXAMPLE:
            >>> ModelInfo("en_core_web_sm", "3.8.0").tag
            'en_core_web_sm-3.8.0'
        """
        return f"{self.name}-{self.version}"


@lru_cache(maxsize=64)
def _model_info(name: str, version: str) -> ModelInfo:
    """One ModelInfo per model: the documents it pre-annotated share it."""
    return ModelInfo(name, version)


@dataclass(frozen=True, slots=True)
class Document:
    """One paragraph of one article: the unit of annotation (one task).

    id (str): Stable id (see :func:`document_id`).
    text (str): The paragraph, exactly as in the source.
    source (str): The source file's name.
    article (int): The story's index in the source.
    paragraph (int): The paragraph's index in the source.
    offset (int): Where ``text`` starts in the decoded source.
    spans (tuple[Span, ...]): Spans over ``text``, sorted (predicted or gold).
    model (ModelInfo | None): The model that predicted ``spans``; None when they are not predictions.
    extra_meta (dict): Other ``meta`` keys, kept as they are (not compared).
    scores (tuple[float, ...]): Each span's score, aligned with ``spans`` (empty: not scored; not compared).
    score (float | None): The task's score (None: not scored; not compared).
    """

    id: str
    text: str
    source: str
    article: int
    paragraph: int
    offset: int
    spans: tuple[Span, ...] = ()
    model: ModelInfo | None = None
    extra_meta: dict = field(default_factory=dict, compare=False)
    scores: tuple[float, ...] = field(default=(), compare=False)
    score: float | None = field(default=None, compare=False)

    def with_spans(
        self,
        spans: Iterable[Span],
        model: ModelInfo | None = None,
        scores: Iterable[float] | None = None,
        score: float | None = None,
    ) -> Document:
        """The same document with other spans (and their scores: the old ones never stay).

        spans (Iterable[Span]): The new spans (sorted, duplicates dropped).
        model (ModelInfo | None): The model that predicted them; None when they are not predictions.
        scores (Iterable[float] | None): Each span's score, in the order of ``spans`` (None: not scored).
        score (float | None): The task's score (None: not scored).
        RETURNS (Document): A new document.
        """
        if scores is None:
            return replace(self, spans=sort_spans(spans), model=model, scores=(), score=score)
        given = list(spans)
        by_span: dict[Span, float] = {}
        for span, value in zip(given, scores, strict=True):
            by_span[span] = min(value, by_span.get(span, value))
        ordered = sort_spans(given)
        return replace(self, spans=ordered, model=model, scores=tuple(by_span[s] for s in ordered), score=score)

    def to_dict(self) -> dict:
        """The document's JSON record (see the module docstring).

        RETURNS (dict): ``{"id", "text", "meta", "spans", "model"}``, and ``"score"`` when scored.
        """
        meta = {"source": self.source, "article": self.article, "paragraph": self.paragraph, "offset": self.offset}
        meta.update(self.extra_meta)
        record: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "meta": meta,
            "spans": [s.to_dict() for s in self.spans],
        }
        if self.scores:
            for span_record, value in zip(record["spans"], self.scores, strict=True):
                span_record["score"] = round(value, SCORE_DIGITS)
        record["model"] = {"name": self.model.name, "version": self.model.version} if self.model else None
        if self.score is not None:
            record["score"] = round(self.score, SCORE_DIGITS)
        return record

    @classmethod
    def from_dict(cls, record: dict) -> Document:
        """Build a document from its JSON record.

        record (dict): The JSON record; raises KeyError/TypeError/ValueError on a bad one.
        RETURNS (Document): The document.
        """
        meta = dict(record["meta"])
        known = {k: meta.pop(k) for k in ("source", "article", "paragraph", "offset")}
        model = record.get("model")
        text = record["text"]
        if not isinstance(text, str):
            raise TypeError("text is not a string")
        span_records = record.get("spans") or ()
        spans = [Span.from_dict(s) for s in span_records]
        scores = [s.get("score") for s in span_records]
        score = record.get("score")
        doc = cls(
            id=str(record["id"]),
            text=text,
            source=intern(str(known["source"])),  # interned: a source has many paragraphs
            article=int(known["article"]),
            paragraph=int(known["paragraph"]),
            offset=int(known["offset"]),
            spans=sort_spans(spans),
            model=_model_info(str(model["name"]), str(model["version"])) if model else None,
            extra_meta=meta,
        )
        if score is None and not any(value is not None for value in scores):
            return doc
        if any(value is None for value in scores):
            raise ValueError("some spans have a score and others do not")
        return doc.with_spans(
            spans, doc.model, [float(value) for value in scores], None if score is None else float(score)
        )


def document_id(source: str, text: str, occurrence: int = 0) -> str:
    """Stable id from the source name and the paragraph's text.

    The offset is deliberately not part of it: editing one paragraph changes
    that paragraph's id only, not the ids of the paragraphs after it.

    source (str): The source file's name.
    text (str): The paragraph's text.
    occurrence (int): Tells apart identical paragraphs within one source (0 for the first).
    RETURNS (str): 16 hex characters of sha256.

    EXAMPLE:
        >>> len(document_id("a.txt", "Ada wrote.")), document_id("a.txt", "x") != document_id("a.txt", "x", 1)
        (16, True)
    """
    key = f"{source}\x00{text}\x00{occurrence}".encode()
    return hashlib.sha256(key).hexdigest()[:ID_LENGTH]


class Outline(NamedTuple):
    """What compile needs of a document before reading it.

    id (str): The document's id.
    source (str): Its source.
    article (int): Its story.
    paragraph (int): Its paragraph.
    length (int): Its text's length.
    model (ModelInfo | None): The model of its predicted spans.
    """

    id: str
    source: str
    article: int
    paragraph: int
    length: int
    model: ModelInfo | None

    @classmethod
    def of(cls, doc: Document) -> Outline:
        """The outline of a document.

        doc (Document): The document.
        RETURNS (Outline): Its outline.
        """
        return cls(doc.id, doc.source, doc.article, doc.paragraph, len(doc.text), doc.model)


def in_reading_order(documents: Iterable[D]) -> list[D]:
    """Documents (or their outlines) in reading order: by source, then paragraph (then id).

    The order of gold and of a pull.

    documents (Iterable[D]): Documents or outlines.
    RETURNS (list[D]): Them, sorted.
    """
    return sorted(documents, key=_reading_key)


def _reading_key(doc) -> tuple:
    return doc.source, doc.paragraph, doc.id


def is_in_reading_order(documents: Sequence) -> bool:
    """True if documents (or outlines) are in reading order (see :func:`in_reading_order`).

    documents (Sequence): Documents or outlines.
    RETURNS (bool): Whether each comes after the one before.
    """
    return all(_reading_key(a) <= _reading_key(b) for a, b in zip(documents, documents[1:], strict=False))
