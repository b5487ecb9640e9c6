"""Reading Label Studio exports, as they come in the wild, into plain typed records.

Formats read:

* ``json``: Label Studio's JSON export, a list of tasks with ``data`` and ``annotations``
  (``completed_by`` an id or an object with an email; ``drafts``; the annotation's
  ``prediction``);
* ``json-legacy``: the same from old versions, with ``completions`` instead of ``annotations``;
* ``json-min``: one flat record per annotation (data fields at the top level, spans under
  the control's name, ``annotator``, ``annotation_id``).

Anything else (CSV, TSV, CoNLL, a dict at the top level) is refused with a
message naming the format. Pure: works on already-decoded JSON values (a whole export, or its
items one at a time); :mod:`annotate.labelstudio.export_reader` reads them from a file.

EXAMPLE:
    >>> task = {"id": 7, "data": {"text": "Ada Lovelace"}, "annotations": [
    ...     {"id": 1, "completed_by": {"email": "ann@x.org"}, "result": []}]}
    >>> fmt, tasks = parse_export([task], "export.json")
    >>> fmt, tasks[0].task_id, tasks[0].annotations[0].annotator
    ('json', 7, 'ann@x.org')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from annotate.core.documents import Document, ModelInfo, document_id
from annotate.core.stories import HEADLINE
from annotate.errors import Errors, InvalidInputError
from annotate.labelstudio.label_config import SpanSource
from annotate.labelstudio.tasks import ADJUDICATING_KEY, DOC_ID_KEY
from annotate.labelstudio.values import float_or_none, is_int, key_or_none, time_or_none

FORMATS = ("json", "json-legacy", "json-min")
_MIN_META = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"}


@dataclass(frozen=True)
class ExportAnnotation:
    """One annotation or draft of a task, as the export gives it (results not yet checked).

    kind (str): "annotation" or "draft".
    id (Any): Label Studio's annotation id.
    annotator (str): The annotator's email when known, else Label Studio's user id.
    results (list): The raw result objects (spans and anything else).
    was_cancelled (bool): The annotator skipped the task.
    ground_truth (bool): The annotation is flagged ground truth.
    lead_time (float | None): Seconds spent, if the export says.
    created_at (str | None): Creation time, as the export writes it.
    updated_at (str | None): Last update time (the creation time when missing).
    prediction_results (list | None): The results of the prediction the annotation started from, if the export says.
    prediction_model (str | None): That prediction's ``model_version``.
    prediction_id (Any): That prediction's id (annotators of one task share it).
    """

    kind: str  # "annotation" or "draft"
    id: Any
    annotator: str
    results: list
    was_cancelled: bool = False
    ground_truth: bool = False
    lead_time: float | None = None
    created_at: str | None = None
    updated_at: str | None = None
    prediction_results: list | None = None  # the prediction the annotation started from, if the export says
    prediction_model: str | None = None  # that prediction's model_version
    prediction_id: Any = None  # and its id (annotators of one task share it)


@dataclass(frozen=True)
class ExportTask:
    """One task of an export: the document it holds, its annotations and drafts, its predictions.

    task_id (Any): Label Studio's task id (the item's index when the export has none).
    document (Document): The document, its identity from the task data (pushed by annotate) or from the task.
    annotations (list[ExportAnnotation]): Annotations, then drafts.
    predictions (list[dict]): The full prediction objects (``model_version``, ``result``), when exported.
    span_source (SpanSource | None): The project's span controls, when its labeling config was read
        (``pull --project``).
    """

    task_id: Any
    document: Document
    annotations: list[ExportAnnotation]
    predictions: list[dict] = field(default_factory=list)  # full prediction objects (model_version, result)
    span_source: SpanSource | None = None


def annotator_name(completed_by: Any, users: dict | None = None) -> str:
    """An annotator as an email when known, else as the id Label Studio gave.

    completed_by (Any): The annotation's ``completed_by``: a user object, a user id or None.
    users (dict | None): Label Studio user ids to emails, when known (a live pull knows them).
    RETURNS (str): The email, else the id as a string, else "unknown".

    EXAMPLE:
        >>> annotator_name({"id": 3, "email": "ann@x.org"}), annotator_name(3, {3: "bob@x.org"}), annotator_name(None)
        ('ann@x.org', 'bob@x.org', 'unknown')
    """
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if email:
            return str(email)
        completed_by = completed_by.get("id")
    if isinstance(completed_by, bool) or completed_by is None:
        return "unknown"
    if users and isinstance(completed_by, (int, str)) and completed_by in users:
        return users[completed_by]
    return str(completed_by)


def detect_format(items: list) -> str:
    """The format of an export from its first item.

    items (list): The export's items (at least the first).
    RETURNS (str): One of FORMATS. Raises ValueError when the item is neither (see :func:`check_format`).

    EXAMPLE:
        >>> detect_format([{"id": 1, "data": {"text": "x"}, "annotations": []}])
        'json'
        >>> detect_format([{"id": 1, "text": "x", "annotator": "ann@x.org"}])
        'json-min'
    """
    first = items[0]
    if not isinstance(first, dict):
        raise ValueError(f"item 0 is a {type(first).__name__}, not a task object")
    if "data" in first and isinstance(first["data"], dict):
        if "annotations" in first:
            return "json"
        if "completions" in first:
            return "json-legacy"
        return "json"  # a task export with no annotation key at all: tasks only
    if "id" in first and (
        "annotator" in first or "annotation_id" in first or any(_span_list(v) for v in first.values())
    ):
        return "json-min"
    raise ValueError("items have neither 'data' (Label Studio JSON) nor 'annotator' (JSON-MIN)")


def _span_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "start" in v and "end" in v for v in value)
    )


def _text_of(
    data: dict, text_key: str | None, span_source: SpanSource | None, where: str, task_id: Any
) -> tuple[str, str]:
    if text_key is not None:
        value = data.get(text_key)
        if isinstance(value, str):
            return text_key, value
        if span_source is not None and span_source.text_key == text_key:  # the key came from the project's config
            keys = ", ".join(sorted(map(str, data))) or "none"
            raise InvalidInputError(
                Errors.E160.format(path=where, task=task_id, key=text_key, text=span_source.text_name, keys=keys)
            )
    elif isinstance(data.get("text"), str):
        return "text", data["text"]
    else:
        strings = [
            k for k, v in data.items() if isinstance(v, str) and k not in (DOC_ID_KEY, "source", ADJUDICATING_KEY)
        ]
        if len(strings) == 1:
            return strings[0], data[strings[0]]
    keys = ", ".join(sorted(map(str, data))) or "none"
    raise InvalidInputError(Errors.E073.format(path=where, task=task_id, keys=keys))


def _document(task_id: Any, data: dict, text: str, text_key: str) -> Document:
    doc_id = data.get(DOC_ID_KEY)
    source = data.get("source")
    article, paragraph, offset = data.get("article"), data.get("paragraph"), data.get("offset")
    if (
        isinstance(doc_id, str)
        and doc_id
        and isinstance(source, str)
        and is_int(article)
        and is_int(paragraph)
        and is_int(offset)
    ):
        adjudicating = data.get(ADJUDICATING_KEY)  # an adjudication task says which corpus version it settles
        extra: dict[str, Any] = {ADJUDICATING_KEY: adjudicating} if isinstance(adjudicating, str) else {}
        if data.get(HEADLINE) is True:
            extra[HEADLINE] = True
        return Document(
            id=doc_id, text=text, source=source, article=article, paragraph=paragraph, offset=offset, extra_meta=extra
        )
    # A task that annotate did not push: identity from the task id and its text.
    source = f"label-studio-task-{task_id}"
    return Document(
        id=document_id(source, text),
        text=text,
        source=source,
        article=0,
        paragraph=0,
        offset=0,
        extra_meta={"task_id": task_id, "text_key": text_key},
    )


def _list_field(item: dict, key: str, where: str, task_id: Any) -> list:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInputError(Errors.E079.format(path=where, task=task_id, field=key, kind=type(value).__name__))
    return value


def _annotation(raw: dict, kind: str, users: dict | None, where: str, task_id: Any) -> ExportAnnotation:
    who = raw.get("completed_by", raw.get("user", raw.get("created_username")))
    prediction = raw.get("prediction")
    results = _list_field(raw, "result", where, task_id)
    return ExportAnnotation(
        kind=kind,
        id=raw.get("id"),
        annotator=annotator_name(who, users),
        results=results,
        was_cancelled=bool(raw.get("was_cancelled", False)),
        ground_truth=bool(raw.get("ground_truth", False)),
        lead_time=float_or_none(raw.get("lead_time")),
        created_at=time_or_none(raw.get("created_at")),
        updated_at=time_or_none(raw.get("updated_at")) or time_or_none(raw.get("created_at")),
        prediction_results=prediction.get("result")
        if isinstance(prediction, dict) and isinstance(prediction.get("result"), list)
        else None,
        prediction_model=prediction.get("model_version") if isinstance(prediction, dict) else None,
        prediction_id=key_or_none(prediction.get("id")) if isinstance(prediction, dict) else None,
    )


def model_info(model_version: str | None) -> ModelInfo | None:
    """ModelInfo from a prediction's ``model_version`` (``name-version`` as push writes it).

    model_version (str | None): The prediction's ``model_version``.
    RETURNS (ModelInfo | None): The model, or None when there is no model version.

    EXAMPLE:
        >>> model_info("en_core_web_sm-3.8.0")
        ModelInfo(name='en_core_web_sm', version='3.8.0')
    """
    if not model_version:
        return None
    name, sep, version = str(model_version).rpartition("-")
    return ModelInfo(name, version) if sep and name else ModelInfo(str(model_version), "")


def parse_export(
    value: Any,
    where: str,
    text_key: str | None = None,
    span_source: SpanSource | None = None,
    users: dict | None = None,
) -> tuple[str, list[ExportTask]]:
    """Decode a whole export's JSON value into tasks.

    value (Any): The decoded JSON of the export (a list of tasks, or of JSON-MIN records).
    where (str): What to call the export in error messages (its path, or "the export of PROJECT").
    text_key (str | None): The task data field holding the text (None: ``text``, or the only string field).
    span_source (SpanSource | None): The project's span controls, from its labeling config (``pull --project``):
        results of other controls are set aside, and a task lacking the config's text field is an error (E160).
        None: every ``labels`` result is a span.
    users (dict | None): Label Studio user ids to emails (a live pull knows them).
    RETURNS (tuple[str, list[ExportTask]]): The format (one of FORMATS) and the tasks. Raises
        InvalidInputError naming ``where`` and the task for anything it cannot read.
    """
    if not isinstance(value, list):
        raise InvalidInputError(Errors.E071.format(path=where, kind=type(value).__name__))
    if not value:
        raise InvalidInputError(Errors.E074.format(path=where))
    fmt = check_format(value[0], where)
    return fmt, list(parse_items(value, fmt, where, text_key, span_source, users))


def check_format(first: Any, where: str) -> str:
    """The format of an export from its first item, or a coded error saying why it is none.

    first (Any): The export's first item.
    where (str): What to call the export in error messages.
    RETURNS (str): One of FORMATS; InvalidInputError (E072) when the item is not a Label Studio task or record.
    """
    try:
        return detect_format([first])
    except ValueError as err:
        raise InvalidInputError(Errors.E072.format(path=where, reason=err)) from None


def parse_items(
    items: Iterable[Any],
    fmt: str,
    where: str,
    text_key: str | None = None,
    span_source: SpanSource | None = None,
    users: dict | None = None,
) -> Iterator[ExportTask]:
    """An export's items, one task at a time, in the format :func:`check_format` found.

    JSON and legacy JSON exports are parsed lazily, an item at a time (memory does not grow with the
    export); JSON-MIN, one record per annotation, is grouped by task first.

    items (Iterable[Any]): The export's items (decoded JSON values), in file order.
    fmt (str): One of FORMATS.
    where (str): What to call the export in error messages.
    text_key (str | None): The task data field holding the text (see :func:`parse_export`).
    span_source (SpanSource | None): The project's span controls (see :func:`parse_export`).
    users (dict | None): Label Studio user ids to emails.
    RETURNS (Iterator[ExportTask]): The tasks; errors are raised while iterating, naming ``where``.
    """
    if fmt == "json-min":
        return iter(_parse_min(list(items), where, text_key, span_source))
    return _parse_json(items, fmt, where, text_key, span_source, users)


def _parse_json(
    items: Iterable[Any],
    fmt: str,
    where: str,
    text_key: str | None,
    span_source: SpanSource | None,
    users: dict | None,
) -> Iterator[ExportTask]:
    key = "completions" if fmt == "json-legacy" else "annotations"
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InvalidInputError(Errors.E072.format(path=where, reason=f"item {index} has no 'data' object"))
        task_id = item.get("id", index)
        tkey, text = _text_of(item["data"], text_key, span_source, where, task_id)
        annotations = [
            _annotation(a, "annotation", users, where, task_id)
            for a in _list_field(item, key, where, task_id)
            if isinstance(a, dict)
        ]
        annotations += [
            _annotation(d, "draft", users, where, task_id)
            for d in _list_field(item, "drafts", where, task_id)
            if isinstance(d, dict)
        ]
        predictions = [p for p in _list_field(item, "predictions", where, task_id) if isinstance(p, dict)]
        yield ExportTask(task_id, _document(task_id, item["data"], text, tkey), annotations, predictions, span_source)


def _parse_min(items: list, where: str, text_key: str | None, span_source: SpanSource | None) -> list[ExportTask]:
    by_task: dict[Any, tuple[dict, list[ExportAnnotation]]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item:
            raise InvalidInputError(Errors.E072.format(path=where, reason=f"JSON-MIN item {index} has no task 'id'"))
        if key_or_none(item["id"]) is None:
            kind = type(item["id"]).__name__
            raise InvalidInputError(
                Errors.E072.format(path=where, reason=f"JSON-MIN item {index}: its task 'id' is a {kind}")
            )
        results = []
        data = {}
        for k, v in item.items():
            if k in _MIN_META:
                continue
            if _span_list(v):
                for region in v:
                    labels = region.get("labels")
                    results.append(
                        {
                            "type": "labels",
                            "from_name": k,
                            "value": {key: region.get(key) for key in ("start", "end", "text")} | {"labels": labels},
                        }
                    )
            else:
                data[k] = v
        task_id = item["id"]
        if task_id not in by_task:
            by_task[task_id] = (data, [])
        if results or item.get("annotation_id") is not None:
            by_task[task_id][1].append(
                ExportAnnotation(
                    kind="annotation",
                    id=item.get("annotation_id"),
                    annotator=annotator_name(item.get("annotator")),
                    results=results,
                    lead_time=float_or_none(item.get("lead_time")),
                    created_at=time_or_none(item.get("created_at")),
                    updated_at=time_or_none(item.get("updated_at")) or time_or_none(item.get("created_at")),
                )
            )
    tasks = []
    for task_id, (data, found) in by_task.items():
        tkey, text = _text_of(data, text_key, span_source, where, task_id)
        tasks.append(ExportTask(task_id, _document(task_id, data, text, tkey), found, span_source=span_source))
    return tasks
