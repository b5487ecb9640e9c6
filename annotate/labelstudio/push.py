"""Push documents (with predictions) to a Label Studio project, idempotently.

The server is the record of what was pushed: each task's ``data.doc_id``
says which document it holds. A push lists the project's tasks, imports only
the documents not yet there, in bulk batches, and then checks that the
project holds exactly one task per document. Because Label Studio commits each
batch in one transaction, a push killed at any point leaves whole batches;
a batch the server was still committing when a re-run listed the tasks can
show up twice, so the check removes such duplicates (only ones without
annotations) and re-counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotate.core.documents import Document
from annotate.core.schema import Schema, config_difference, label_config, project_labels, unknown_labels
from annotate.errors import AnnotateError, ConflictError, Errors, InvalidInputError, ServerError
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.tasks import DOC_ID_KEY, document_to_task
from annotate.report.guidelines import instructions_html

DEFAULT_BATCH_SIZE = 1000
MAX_TITLE = 50  # Label Studio's limit on project titles


@dataclass
class PushReport:
    """What a push did.

    project_id (int): The project.
    project_url (str): Its data page.
    created (bool): The project was created by this push.
    documents (int): Documents asked for.
    new (int): Tasks imported now.
    present (int): Documents already there.
    duplicates_removed (int): Extra tasks of one document removed (ones without annotations).
    duplicates_kept (list[str]): Doc ids with several annotated tasks (kept, to check by hand).
    tasks_for_documents (int): Tasks holding the documents, after the push.
    overlap (int): Annotators per task, as the project says.
    schema_updated (bool): The existing project's config or instructions were brought up to the schema.
    """

    project_id: int
    project_url: str
    created: bool
    documents: int
    new: int = 0
    present: int = 0
    duplicates_removed: int = 0
    duplicates_kept: list[str] = field(default_factory=list)
    tasks_for_documents: int = 0
    overlap: int = 1
    schema_updated: bool = False


def check_labels(documents: Sequence[Document], schema: Schema, where: str) -> None:
    """Refuse documents whose spans use labels outside the schema (before any network write).

    documents (Sequence[Document]): The documents to push.
    schema (Schema): The schema.
    where (str): What to call the documents in the error (their file).
    RETURNS (None): InvalidInputError (E052) for the first unknown label.
    """
    for doc in documents:
        bad = unknown_labels((s.label for s in doc.spans), schema)
        if bad:
            raise InvalidInputError(
                Errors.E052.format(
                    path=where, doc_id=doc.id, label=bad[0], schema=schema.name, labels=", ".join(schema.label_names)
                )
            )


def project_description(schema: Schema) -> str:
    """A new project's description: the schema and what to do.

    schema (Schema): The schema.
    RETURNS (str): The description.
    """
    return (
        f"Pre-annotated NER tasks. Schema {schema.name} v{schema.version} (sha256 {schema.hash[:12]}). "
        "Correct the pre-filled spans, add missing ones, then Submit."
    )


def overlap_fields(overlap: int) -> dict:
    """Project settings showing every task to ``overlap`` different annotators.

    Label Studio's "annotations per task"; the Community edition honours them when set through the API
    (a task counts as labeled at K).

    overlap (int): Annotators per task.
    RETURNS (dict): The project fields.

    EXAMPLE:
        >>> overlap_fields(2)
        {'maximum_annotations': 2, 'overlap_cohort_percentage': 100}
    """
    return {"maximum_annotations": overlap, "overlap_cohort_percentage": 100}


def ensure_project(
    client: LabelStudio,
    title: str,
    schema: Schema,
    model_tag: str | None,
    description: str | None = None,
    overlap: int | None = None,
) -> tuple[dict, bool, bool]:
    """The project titled ``title``, created or brought up to the schema.

    A new project gets the schema's labeling config (each label with its hotkey and its guideline as
    hint) and the schema's guidelines as instructions, shown before labeling. An existing one is brought
    up to date when the schema changed (new version: hints, colours, hotkeys, instructions, added labels);
    a schema that removes or renames a label the project has is refused (E050), since annotations use it.

    client (LabelStudio): The server.
    title (str): The project's title (unique: E051 when several have it).
    schema (Schema): The schema.
    model_tag (str | None): The predictions' model version, set on the project.
    description (str | None): A new project's description (default: :func:`project_description`).
    overlap (int | None): Annotators per task, set on a new project and updated on an existing one.
    RETURNS (tuple[dict, bool, bool]): ``(project, created, updated)``.
    """
    matches = [p for p in client.projects() if p.get("title") == title]
    if len(matches) > 1:
        ids = ", ".join(str(p["id"]) for p in sorted(matches, key=lambda p: p["id"]))
        raise ConflictError(Errors.E051.format(count=len(matches), title=title, ids=ids))
    config = label_config(schema)
    instructions = instructions_html(schema)
    if matches:
        project = matches[0]
        changes: dict = {}
        difference = config_difference(config, project.get("label_config") or "")
        if difference:
            have = project_labels(project.get("label_config") or "")
            if have is None or set(have) - set(schema.label_names):
                raise ConflictError(
                    Errors.E050.format(
                        title=title,
                        project_id=project["id"],
                        schema=schema.name,
                        version=schema.version,
                        difference=difference,
                    )
                )
            changes["label_config"] = config
        if project.get("expert_instruction") != instructions or not project.get("show_instruction"):
            changes.update(expert_instruction=instructions, show_instruction=True)
        if model_tag and not project.get("model_version"):
            changes["model_version"] = model_tag
        if overlap and project.get("maximum_annotations") != overlap:
            changes.update(overlap_fields(overlap))
        if changes:
            project = client.update_project(project["id"], **changes)
        return project, False, "label_config" in changes or "expert_instruction" in changes
    fields = {
        "title": title,
        "label_config": config,
        "description": description or project_description(schema),
        "expert_instruction": instructions,
        "show_instruction": True,
        "show_collab_predictions": True,
    }
    if model_tag:
        fields["model_version"] = model_tag
    if overlap:
        fields.update(overlap_fields(overlap))
    try:
        return client.create_project(**fields), True, False
    except AnnotateError:
        # The request may have reached the server before the failure: look before giving up.
        matches = [p for p in client.projects() if p.get("title") == title]
        if len(matches) == 1:
            return matches[0], True, False
        raise


def _tasks_by_doc(client: LabelStudio, project_id: int) -> tuple[dict[str, list[dict]], int]:
    by_doc: dict[str, list[dict]] = defaultdict(list)
    total = 0
    for task in client.iter_tasks(project_id):
        total += 1
        doc_id = (task.get("data") or {}).get(DOC_ID_KEY)
        if doc_id is not None:
            by_doc[str(doc_id)].append(task)
    return by_doc, total


def _remove_duplicates(client: LabelStudio, by_doc: dict[str, list[dict]], report: PushReport) -> int:
    """Delete extra tasks of one document that carry no annotations; returns how many were deleted."""
    removed = 0
    for doc_id, tasks in by_doc.items():
        if len(tasks) < 2:
            continue
        tasks.sort(key=lambda t: (-(t.get("total_annotations") or 0), t["id"]))
        keep, extras = tasks[0], tasks[1:]
        for task in extras:
            if (task.get("total_annotations") or 0) or (task.get("cancelled_annotations") or 0):
                if doc_id not in report.duplicates_kept:
                    report.duplicates_kept.append(doc_id)
                continue
            client.delete_task(task["id"])
            removed += 1
        by_doc[doc_id] = [keep] + [t for t in extras if (t.get("total_annotations") or t.get("cancelled_annotations"))]
    return removed


def push(
    client: LabelStudio,
    documents: Sequence[Document],
    schema: Schema,
    title: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int, int], None] | None = None,
    where: str = "documents",
    to_task: Callable[[Document], dict] = document_to_task,
    description: str | None = None,
    overlap: int | None = None,
) -> PushReport:
    """Make project ``title`` hold exactly one task per document. Safe to re-run at any point.

    client (LabelStudio): The server.
    documents (Sequence[Document]): The documents.
    schema (Schema): The schema (its labels checked before anything is sent).
    title (str): The project's title (at most MAX_TITLE characters).
    batch_size (int): Tasks per import request.
    on_batch (Callable[[int, int], None] | None): Called as ``on_batch(imported, total_to_import)`` after each batch.
    where (str): What to call the documents in errors.
    to_task (Callable[[Document], dict]): A document's import payload (default: the document and its
        model's prediction).
    description (str | None): The project's description, when it is created.
    overlap (int | None): How many different annotators see each task (None: leave the project's setting).
    RETURNS (PushReport): What was imported, found and repaired; ServerError (E053) when documents are
        still missing afterwards.
    """
    if overlap is not None and overlap < 1:
        raise InvalidInputError(Errors.E055.format(overlap=overlap))
    if not 0 < len(title) <= MAX_TITLE:
        raise InvalidInputError(Errors.E054.format(title=title, length=len(title), limit=MAX_TITLE))
    check_labels(documents, schema, where)
    model_tag = next((d.model.tag for d in documents if d.model is not None), None)
    project, created, updated = ensure_project(client, title, schema, model_tag, description, overlap)
    pid = project["id"]
    report = PushReport(
        project_id=pid,
        project_url=client.project_url(pid),
        created=created,
        documents=len(documents),
        overlap=project.get("maximum_annotations") or 1,
        schema_updated=updated,
    )

    by_doc, total = _tasks_by_doc(client, pid)
    removed = _remove_duplicates(client, by_doc, report)
    report.duplicates_removed += removed
    total -= removed
    wanted = {d.id for d in documents}
    todo = [d for d in documents if d.id not in by_doc]
    report.present = len(wanted) - len(todo)

    for i in range(0, len(todo), batch_size):
        batch = todo[i : i + batch_size]
        client.import_tasks(pid, [to_task(d) for d in batch])
        report.new += len(batch)
        if on_batch:
            on_batch(len(batch), len(todo))

    # Conservation: the project must now hold one task per document. The cheap check is the
    # project's task count; only when it disagrees are the tasks listed again and repaired.
    expected = total + report.new
    if client.project(pid).get("task_number") != expected:
        by_doc, _ = _tasks_by_doc(client, pid)
        report.duplicates_removed += _remove_duplicates(client, by_doc, report)
    else:
        for doc in todo:
            by_doc[doc.id] = [{}]
    missing = [d for d in wanted if d not in by_doc]
    report.tasks_for_documents = sum(len(by_doc[d]) for d in wanted if d in by_doc)
    if missing:
        raise ServerError(
            Errors.E053.format(title=title, tasks=report.tasks_for_documents, docs=len(wanted), missing=len(missing))
        )
    return report
