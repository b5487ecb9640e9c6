"""Spans against spaCy tokens: token-level labels, for agreement now and corpus alignment later.

Tokenisation is spaCy's (the schema's language, ``spacy.blank(lang)``); spans
are mapped to tokens with ``Doc.char_span`` — nothing here re-implements it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .spans import Span

OUTSIDE = "O"


@lru_cache(maxsize=8)
def blank_pipeline(lang: str = "en"):
    """A tokenizer-only spaCy pipeline for a language code (cached)."""
    import spacy

    return spacy.blank(lang)


def token_labels(doc, spans: Iterable[Span]) -> list[str]:
    """One label per token of a spaCy ``Doc``: the label of the span covering it, else "O".

    A span that does not fall on token boundaries is expanded to the tokens it
    touches (``alignment_mode="expand"``); where spans overlap, the earlier
    span (by start, end) keeps the token.
    """
    labels = [OUTSIDE] * len(doc)
    for span in sorted(spans):
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None:
            continue
        for i in range(tokens.start, tokens.end):
            if labels[i] == OUTSIDE:
                labels[i] = span.label
    return labels
