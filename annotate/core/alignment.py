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
