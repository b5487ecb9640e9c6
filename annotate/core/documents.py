"""Documents: one paragraph of one article, the unit of annotation (one task).

The JSONL record written by ``ingest`` and ``preannotate`` (and, with gold
spans, by ``compile`` later) is::

    {"id": "3f9c…", "text": "…",
     "meta": {"source": "000_x.txt", "article": 0, "paragraph": 4, "offset": 1234},
     "spans": [{"start": 0, "end": 6, "label": "PERSON"}],
     "model": {"name": "en_core_web_sm", "version": "3.8.0"}}

``meta.offset`` is the character offset of ``text`` in the decoded source
file: ``source_text[offset:offset + len(text)] == text``. ``model`` is set
when the spans are a model's predictions, ``None`` otherwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from sys import intern
from typing import Iterable, NamedTuple, Sequence, TypeVar

from annotate.core.spans import Span, sort_spans

ID_LENGTH = 16  # hex characters of sha256: 64 bits, collision-free far past any corpus size
D = TypeVar("D")  # a Document or an Outline


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model made a document's predicted spans."""

    name: str
    version: str

    @property
    def tag(self) -> str:
        """``name-version``: what Label Studio shows as the prediction's model version."""
        return f"{self.name}-{self.version}"


@lru_cache(maxsize=64)
def _model_info(name: str, version: str) -> ModelInfo:
    """One ModelInfo per model: the documents it pre-annotated share it."""
    return ModelInfo(name, version)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    source: str
    article: int
    paragraph: int
    offset: int
    spans: tuple[Span, ...] = ()
    model: ModelInfo | None = None
    extra_meta: dict = field(default_factory=dict, compare=False)

    def with_spans(self, spans: Iterable[Span], model: ModelInfo | None = None) -> "Document":
        return replace(self, spans=sort_spans(spans), model=model)

    def to_dict(self) -> dict:
        meta = {"source": self.source, "article": self.article, "paragraph": self.paragraph, "offset": self.offset}
        meta.update(self.extra_meta)
        record = {"id": self.id, "text": self.text, "meta": meta, "spans": [s.to_dict() for s in self.spans]}
        record["model"] = {"name": self.model.name, "version": self.model.version} if self.model else None
        return record

    @classmethod
    def from_dict(cls, record: dict) -> "Document":
        """Build a document from its JSON record; raises KeyError/TypeError/ValueError on a bad record."""
        meta = dict(record["meta"])
        known = {k: meta.pop(k) for k in ("source", "article", "paragraph", "offset")}
        model = record.get("model")
        text = record["text"]
        if not isinstance(text, str):
            raise TypeError("text is not a string")
        return cls(
            id=str(record["id"]),
            text=text,
            source=intern(str(known["source"])),  # interned: a source has many paragraphs
            article=int(known["article"]),
            paragraph=int(known["paragraph"]),
            offset=int(known["offset"]),
            spans=sort_spans(Span.from_dict(s) for s in record.get("spans") or ()),
            model=_model_info(str(model["name"]), str(model["version"])) if model else None,
            extra_meta=meta,
        )


def document_id(source: str, text: str, occurrence: int = 0) -> str:
    """Stable id from the source name and the paragraph's text.

    The offset is deliberately not part of it: editing one paragraph changes
    that paragraph's id only, not the ids of the paragraphs after it.
    ``occurrence`` tells apart identical paragraphs within one source.
    """
    key = f"{source}\x00{text}\x00{occurrence}".encode("utf-8")
    return hashlib.sha256(key).hexdigest()[:ID_LENGTH]


class Outline(NamedTuple):
    """What compile needs of a document before reading it: its id, place, text length and model."""

    id: str
    source: str
    article: int
    paragraph: int
    length: int
    model: ModelInfo | None

    @classmethod
    def of(cls, doc: "Document") -> "Outline":
        return cls(doc.id, doc.source, doc.article, doc.paragraph, len(doc.text), doc.model)


def in_reading_order(documents: Iterable[D]) -> list[D]:
    """Documents (or their outlines) sorted by source, then paragraph (then id): the order of gold and of a pull."""
    return sorted(documents, key=_reading_key)


def _reading_key(doc) -> tuple:
    return doc.source, doc.paragraph, doc.id


def is_in_reading_order(documents: Sequence) -> bool:
    return all(_reading_key(a) <= _reading_key(b) for a, b in zip(documents, documents[1:]))


