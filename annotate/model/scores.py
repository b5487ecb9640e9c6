"""A spaCy model's entities with their beam scores, mapped onto the schema's labels.

The entities are the greedy parse's (the same ``doc.ents`` as ``preannotate``); each one's score is the
probability spaCy's beam NER gives it (``EntityRecognizer.beam_parse`` then ``scored_ents``, beam width 16). An
entity the beam does not hold (one set by a ruler after ``ner``) scores 1.0. The beam's other entities (a span
or a label the greedy parse did not choose) come along as candidates, for the task's score
(:func:`annotate.core.scores.task_score`).
"""

from __future__ import annotations

from collections.abc import Sequence

from annotate.core.schema import Schema
from annotate.core.scores import ScoredEntity, ScoredText

BEAM_WIDTH = 16


def scored_entities(
    nlp, texts: Sequence[str], schema: Schema, batch_size: int = 64, beam_width: int = BEAM_WIDTH
) -> list[ScoredText]:
    """Each text's entities and the beam's other candidates, with the schema's label (None when it drops it)
    and the beam's probability.

    nlp (Language): The pipeline, with only what NER needs enabled (see ``preannotate.load_model``).
    texts (Sequence[str]): The texts.
    schema (Schema): Maps the model's labels to the schema's.
    batch_size (int): Texts per batch.
    beam_width (int): The beam's width.
    RETURNS (list[ScoredText]): One per text, in the texts' order, entities in text order.
    """
    out: list[ScoredText] = []
    for first in range(0, len(texts), batch_size):
        docs = [nlp.make_doc(text) for text in texts[first : first + batch_size]]
        probabilities: list[dict] = [{} for _ in docs]
        for name, proc in nlp.pipeline:
            if name == "ner":
                probabilities = proc.scored_ents(proc.beam_parse(docs, beam_width=beam_width))
                proc.set_annotations(docs, proc.predict(docs))
            else:
                docs = list(proc.pipe(docs))
        for doc, probs in zip(docs, probabilities, strict=True):
            predicted = {(ent.start, ent.end, ent.label_) for ent in doc.ents}
            entities = tuple(
                ScoredEntity(
                    ent.start_char,
                    ent.end_char,
                    ent.label_,
                    schema.map_model_label(ent.label_),
                    float(min(1.0, probs.get((ent.start, ent.end, ent.label_), 1.0))),
                )
                for ent in doc.ents
            )
            candidates = tuple(
                ScoredEntity(
                    doc[start:end].start_char,
                    doc[start:end].end_char,
                    label,
                    schema.map_model_label(label),
                    float(min(1.0, p)),
                )
                for (start, end, label), p in sorted(probs.items())
                if (start, end, label) not in predicted and p > 0
            )
            out.append(ScoredText(entities, candidates))
    return out
