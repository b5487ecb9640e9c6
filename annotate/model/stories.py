"""Suggested story boundaries: the spaCy features of each paragraph, scored by :mod:`annotate.core.tiling`.

A paragraph's features are its content words (lower-cased alphabetic tokens, spaCy's English stop words
out) and its named entities: who and where (people, groups, places) and when (dates, times), normalised to
lower case with a leading "the" dropped. The model is the one ``preannotate`` loads
(:func:`annotate.model.preannotate.load_model`).

EXAMPLE:
    >>> import spacy
    >>> words, ents = paragraph_features(spacy.blank("en"), ["The rain fell on Oslo."])
    >>> words, ents
    ([('rain', 'fell', 'oslo')], [()])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from annotate.core.documents import Document
from annotate.core.stories import StoryMarks
from annotate.core.tiling import suggest_stories

ENTITY_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "TIME"})


def _entity(text: str) -> str:
    text = " ".join(text.lower().split())
    return text[4:] if text.startswith("the ") else text


def paragraph_features(nlp, texts: Sequence[str]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Each paragraph's content words and entities (see the module docstring).

    nlp (Language): A spaCy pipeline (with ``ner`` for entities; a blank one gives words only).
    texts (Sequence[str]): The paragraphs.
    RETURNS (tuple[list[tuple[str, ...]], list[tuple[str, ...]]]): Words and entities per paragraph.
    """
    words, entities = [], []
    for doc in nlp.pipe(texts):
        words.append(tuple(t.lower_ for t in doc if t.is_alpha and len(t) > 1 and t.lower_ not in STOP_WORDS))
        entities.append(tuple(_entity(e.text) for e in doc.ents if e.label_ in ENTITY_LABELS))
    return words, entities


def suggest_for_documents(
    nlp, docs: Sequence[Document], on_source: Callable[[int], None] | None = None
) -> tuple[dict[str, StoryMarks], dict[str, list[str]]]:
    """Suggested marks per source of ingested paragraphs, and a note per suggested story (its first words).

    The story marks ingest found in the file (blank-line runs, rule lines) are kept among the suggestions.

    nlp (Language): The spaCy pipeline.
    docs (Sequence[Document]): The paragraphs of the files to suggest for, in file then paragraph order.
    on_source (Callable[[int], None] | None): Called with 1 after each source file.
    RETURNS (tuple[dict[str, StoryMarks], dict[str, list[str]]]): Marks and comment lines per source.
    """
    by_source: dict[str, list[Document]] = {}
    for d in docs:
        by_source.setdefault(d.source, []).append(d)
    marks, notes = {}, {}
    for source, mine in by_source.items():
        texts = [d.text for d in mine]
        words, entities = paragraph_features(nlp, texts)
        found = suggest_stories(texts, words, entities)
        marked = {i for i in range(1, len(mine)) if mine[i].article != mine[i - 1].article}  # ingest's own marks
        marks[source] = StoryMarks(tuple(sorted({*found.starts, *marked})), found.headlines)
        notes[source] = _notes(marks[source], texts)
        if on_source:
            on_source(1)
    return marks, notes


def _notes(marks: StoryMarks, texts: Mapping[int, str] | Sequence[str]) -> list[str]:
    notes = []
    for start in marks.starts:
        first = " ".join(texts[start].split()[:10])
        notes.append(f"{start}: {first!r}{' (headline)' if start in marks.headlines else ''}")
    return notes
