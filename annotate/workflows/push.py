"""``annotate push``: documents (with predictions) into a Label Studio project, idempotent and resumable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.core.schema import Schema
from annotate.errors import Warnings
from annotate.io import documents as documents_io
from annotate.io.schemas import load_schema
from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.push import DEFAULT_BATCH_SIZE, PushReport
from annotate.labelstudio.push import push as run_push
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.preannotate import PREANNOTATED


@dataclass(frozen=True)
class PushResult:
    """What ``push`` did: the project's title, Label Studio's report, the schema, and any warnings."""

    project: str
    report: PushReport
    schema: Schema
    warnings: tuple[str, ...] = ()


def push(
    input: Path = PREANNOTATED,
    project: str = "News NER",
    schema: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    overlap: int | None = None,
    env_file: Path = Path(ENV_FILE),
    feedback: Feedback = SILENT,
) -> PushResult:
    """Create or reuse the project titled ``project`` and import one task per document, with its predictions.

    input (Path): Documents JSONL (from preannotate, or ingest for no predictions).
    project (str): Label Studio project title (created if missing).
    schema (Path | None): Schema file (None: schemas/news.yml).
    batch_size (int): Tasks per bulk import request.
    overlap (int | None): Annotators per task (None: leave the project's setting, 1 when new).
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a bar over the imported tasks.
    RETURNS (PushResult): The push report; W001 when documents have several annotated tasks.
    """
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="preannotate")
    settings = load_settings(env_file)
    with LabelStudio(settings) as client, feedback.progress(f"push to {project!r}", None) as advance:
        report = run_push(
            client,
            docs,
            the_schema,
            project,
            batch_size=batch_size,
            where=str(input),
            on_batch=advance,
            overlap=overlap,
        )
    warnings: tuple[str, ...] = ()
    if report.duplicates_kept:
        warnings = (
            Warnings.W001.format(count=len(report.duplicates_kept), examples=", ".join(report.duplicates_kept[:5])),
        )
    return PushResult(project, report, the_schema, warnings)
