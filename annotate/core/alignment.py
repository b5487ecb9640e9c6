"""Spans against spaCy tokens: token-level labels, for agreement now and corpus alignment later.

Tokenisation is spaCy's (the schema's language, ``spacy.blank(lang)``); spans
are mapped to tokens with ``Doc.char_span`` — nothing here re-implements it. Pure: spaCy's
language data only, no user files.

EXAMPLE:
    >>> doc = blank_pipeline("en").make_doc("Ada Lovelace met Babbage.")
    >>> token_labels(doc, [Span(0, 12, "PER"), Span(17, 24, "PER")])
    ['PER', 'PER', 'O', 'PER', 'O']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from annotate.core.spans import Span

OUTSIDE = "O"


@lru_cache(maxsize=8)
def blank_pipeline(lang: str = "en"):
    """A tokenizer-only spaCy pipeline for a language code (cached).

    lang (str): A spaCy language code.
    RETURNS (Language): ``spacy.blank(lang)``.
    """
    import spacy

    return spacy.blank(lang)


def token_labels(doc, spans: Iterable[Span], cache: dict | None = None) -> list[str]:
    """One label per token of a spaCy ``Doc``: the label of the span covering it, else "O".

    A span that does not fall on token boundaries is expanded to the tokens it
    touches (``alignment_mode="expand"``); where spans overlap, the earlier
    span (by start, end) keeps the token.

    doc (Doc): The tokenised text.
    spans (Iterable[Span]): Spans over its text.
    cache (dict | None): A dict per Doc: keeps each span's token range for the next annotator of the document.
    RETURNS (list[str]): A label per token.
    """
    labels = [OUTSIDE] * len(doc)
    for span in sorted(spans):
        key = (span.start, span.end)
        if cache is not None and key in cache:
            token_range = cache[key]
        else:
            tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
            token_range = None if tokens is None else (tokens.start, tokens.end)
            if cache is not None:
                cache[key] = token_range
        if token_range is None:
            continue
        for i in range(*token_range):
            if labels[i] == OUTSIDE:
                labels[i] = span.label
    return labels


def token_labels_by_annotator(doc, spans: Mapping[str, Sequence[Span]]) -> dict[str, list[str]]:
    """Each annotator's :func:`token_labels` on one Doc.

    Annotators who marked the same spans share one list, and every span's token range is looked up once.

    doc (Doc): The tokenised text.
    spans (Mapping[str, Sequence[Span]]): Each annotator's spans over it.
    RETURNS (dict[str, list[str]]): Each annotator's label per token.
    """
    ranges: dict = {}
    made: dict[tuple[Span, ...], list[str]] = {}
    out = {}
    for name, marked in spans.items():
        key = tuple(marked)
        if key not in made:
            made[key] = token_labels(doc, marked, ranges)
        out[name] = made[key]
    return out


def gold_doc(nlp, text: str, spans: Sequence[Span]) -> tuple[Any, list, list[Span], list[Span]]:
    """A Doc of the text with one entity per span that can stand on tokens, its tokens split where a span needs it.

    The tokenizer's Doc first (``nlp.make_doc``): when every span falls on its token boundaries (the common case),
    that Doc is the answer and nothing more is done. A span whose edges are not whitespace but fall inside a token
    ("Syria" in "Syria‘s") makes a reference tokenisation: the tokenizer's tokens, split at those edges,
    as ``Doc(vocab, words=..., spaces=...)`` (the text is the same; ``spacy train`` aligns it to its own tokens).
    A span with whitespace at an edge is never split for: it stays misaligned.

    nlp (Language): The tokenizer (``spacy.blank(lang)``).
    text (str): The document's text.
    spans (Sequence[Span]): The gold spans, sorted, not overlapping.
    RETURNS (tuple[Doc, list, list[Span], list[Span]]): The Doc, its entities (spaCy spans, one per aligned span,
        in order), the spans that still fall off its tokens, and the spans aligned only thanks to a split.

    EXAMPLE:
        >>> doc, ents, misaligned, split = gold_doc(blank_pipeline("en"), "Syria‘s war", [Span(0, 5, "LOC")])
        >>> [t.text for t in doc], [e.text for e in ents], misaligned, split
        (['Syria', '‘s', 'war'], ['Syria'], [], [Span(start=0, end=5, label='LOC')])
    """
    from spacy.tokens import Doc

    doc = nlp.make_doc(text)
    ents, missing = _entities(doc, spans)
    if not missing:
        return doc, ents, [], []
    trimmed = [s for s in missing if not (text[s.start].isspace() or text[s.end - 1].isspace())]
    cuts = sorted({edge for s in trimmed for edge in (s.start, s.end)})
    if not cuts:
        return doc, ents, missing, []
    words: list[str] = []
    spaces: list[bool] = []
    at = 0  # the next cut to place
    for token in doc:
        start, end = token.idx, token.idx + len(token)
        while at < len(cuts) and cuts[at] <= start:
            at += 1
        piece = start
        while at < len(cuts) and cuts[at] < end:
            words.append(text[piece : cuts[at]])
            spaces.append(False)
            piece = cuts[at]
            at += 1
        words.append(text[piece:end])
        spaces.append(bool(token.whitespace_))
    doc = Doc(doc.vocab, words=words, spaces=spaces)
    ents, misaligned = _entities(doc, spans)
    off = set(misaligned)
    return doc, ents, misaligned, [span for span in missing if span not in off]


def _entities(doc, spans: Sequence[Span]) -> tuple[list, list[Span]]:
    """Each span as an entity of the Doc (``Doc.char_span``), and the spans that do not fall on its tokens."""
    ents, missing = [], []
    for span in spans:
        ent = doc.char_span(span.start, span.end, label=span.label)
        if ent is None:
            missing.append(span)
        else:
            ents.append(ent)
    return ents, missing
