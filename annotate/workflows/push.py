"""``annotate push``: documents (with predictions) into a Label Studio project, idempotent and resumable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.core.schema import Schema
from annotate.errors import Errors, InvalidInputError, Warnings
from annotate.io import documents as documents_io
from annotate.io.schemas import load_schema
from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.push import DEFAULT_BATCH_SIZE, PushReport
from annotate.labelstudio.push import push as run_push
from annotate.labelstudio.queue import order_uncertain
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.preannotate import PREANNOTATED


@dataclass(frozen=True)
class PushResult:
    """What ``push`` did: the project's title, Label Studio's report, the schema, any warnings, and the queue
    order set (``order_uncertain``'s answer; None for the reading order)."""

    project: str
    report: PushReport
    schema: Schema
    warnings: tuple[str, ...] = ()
    queue: dict | None = None


ORDERS = ("reading", "uncertain")


def push(
    input: Path = PREANNOTATED,
    project: str = "News NER",
    schema: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    overlap: int | None = None,
    env_file: Path = Path(ENV_FILE),
    feedback: Feedback = SILENT,
    order: str = "reading",
) -> PushResult:
    """Create or reuse the project titled ``project`` and import one task per document, with its predictions.

    input (Path): Documents JSONL (from preannotate, or ingest for no predictions).
    project (str): Label Studio project title (created if missing).
    schema (Path | None): Schema file (None: schemas/news.yml).
    batch_size (int): Tasks per bulk import request.
    overlap (int | None): Annotators per task (None: leave the project's setting, 1 when new).
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a bar over the imported tasks.
    order (str): ``reading`` (Label Studio's default: tasks in import order, the reading order) or ``uncertain``:
        after the import, the least certain tasks first (:func:`annotate.labelstudio.queue.order_uncertain`).
    RETURNS (PushResult): The push report; W001 when documents have several annotated tasks, W061 when
        ``uncertain`` orders predictions without scores; InvalidInputError for an unknown order (E196) and for
        ``uncertain`` without predictions (E195).
    """
    if order not in ORDERS:
        raise InvalidInputError(Errors.E196.format(order=order))
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="preannotate")
    warnings: list[str] = []
    model_tag = next((d.model.tag for d in docs if d.model is not None), None)
    if order == "uncertain":
        if model_tag is None:
            raise InvalidInputError(Errors.E195.format(path=input))
        unscored = sum(1 for d in docs if d.model is not None and d.score is None)
        if unscored:
            warnings.append(Warnings.W061.format(path=input, count=unscored))
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
        queue = order_uncertain(client, report.project_id, model_tag) if order == "uncertain" and model_tag else None
    if report.duplicates_kept:
        warnings.append(
            Warnings.W001.format(count=len(report.duplicates_kept), examples=", ".join(report.duplicates_kept[:5]))
        )
    return PushResult(project, report, the_schema, tuple(warnings), queue)
