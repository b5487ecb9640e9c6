"""Pull: a raw export snapshot, kept as received, and its normalised form.

Layout::

    data/raw/export-<sha256>.json     the export byte for byte, read-only, named by its sha256
    data/pull/                        one pull (replaced whole, never half-written)
        pull.json                     what, from where, when; label set; counts; the raw snapshot's sha256
        documents.jsonl               one per task: text, meta, the model's predicted spans
        annotations.jsonl             one per (document, annotator): normalised spans and metadata
                                      (both in reading order, by source and paragraph: compile streams them)
        set_aside.jsonl               cancelled, draft, empty, superseded annotations
        rejected.jsonl                every span not kept, with its reason
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from annotate import __version__
from annotate.core.documents import Document, Outline, in_reading_order
from annotate.core.records import AnnotationRecord, SetAside, shallow_dict
from annotate.core.schema import Schema
from annotate.errors import Errors, InternalError, InvalidInputError, NotFoundError
from annotate.io import files, jsonl
from annotate.io.documents import iter_documents, read_documents
from annotate.io.gc import collector_paused
from annotate.io.schemas import load_schema
from annotate.labelstudio.export_reader import iter_export_file
from annotate.labelstudio.label_config import SpanSource
from annotate.labelstudio.normalise import Normalised, export_labels, normalise

PULL_DIR = Path("data/pull")
SUMMARY = "pull.json"


def choose_labels(found: set[str], schema: Schema, explicit: bool) -> tuple[list[str], Schema | None, str]:
    """The label set of a pull, the schema (if used), and a note saying which was taken.

    The schema's labels are used when it was asked for or when the export uses none but its labels;
    otherwise the export's own labels, sorted.

    found (set[str]): The labels the export uses.
    schema (Schema): The schema asked for, or the default one.
    explicit (bool): The schema was asked for (--schema).
    RETURNS (tuple[list[str], Schema | None, str]): The labels, the schema (None when the export's own labels
        are used) and the note for ``pull.json``'s ``label_note``.

    EXAMPLE:
        >>> from annotate.core.schema import Label
        >>> schema = Schema("news", 1, "News.", (Label("PER", "#ff0000", "p", "A person."),), {}, "")
        >>> choose_labels({"PER"}, schema, explicit=False)[0]
        ['PER']
        >>> choose_labels({"PER", "ORG"}, schema, explicit=False)[:2]
        (['ORG', 'PER'], None)
    """
    if explicit or found <= set(schema.label_names):
        return list(schema.label_names), schema, f"labels from schema {schema.name} v{schema.version}"
    labels = sorted(found)
    return (
        labels,
        None,
        (
            f"the export's labels are not schema {schema.name}'s, so its own label set is used: "
            f"{', '.join(labels)} (pass --schema to check against a schema instead)"
        ),
    )


@dataclass
class Pull:
    """A pull: its summary, documents, kept annotation records and set-aside annotations.

    A pull folder read with ``read_pull(path, stream=True)`` leaves documents and records on
    disk (both None): :meth:`iter_documents` and :meth:`iter_records` read them one at a time,
    and :meth:`outlines` says what each document is. ``annotate compile`` reads pulls this way.
    """

    path: Path | None
    summary: dict
    documents: list[Document] | None  # None: streamed from the folder
    records: list[AnnotationRecord] | None  # None: streamed from the folder
    set_aside: list[SetAside] = field(default_factory=list)
    outline: list[Outline] | None = None  # a streamed pull's documents' outlines, in file order

    @property
    def labels(self) -> list[str]:
        """The pull's label set, as ``pull.json`` records it.

        RETURNS (list[str]): The labels (the schema's, or the export's own: see :func:`choose_labels`).
        """
        return list(self.summary["labels"])

    def outlines(self) -> list[Outline]:
        """Every document's id, place, text length and model, in the pull's order."""
        if self.documents is not None:
            return [Outline.of(d) for d in self.documents]
        if self.outline is None:
            raise InternalError(Errors.E113)
        return self.outline

    def submitted(self) -> list[AnnotationRecord]:
        """Every submitted annotation as a record: the kept records, and the empty submissions as "no entities"."""
        return list(self.iter_records()) + [a.as_no_entities() for a in self.set_aside if a.reason == "empty"]

    def iter_documents(self) -> Iterator[Document]:
        """The documents: from memory, or read from the folder's ``documents.jsonl`` one at a time."""
        if self.documents is not None:
            yield from self.documents
        else:
            yield from iter_documents(self._folder() / "documents.jsonl", producer="pull")

    def iter_records(self) -> Iterator[AnnotationRecord]:
        """The kept records: from memory, or read from the folder's ``annotations.jsonl`` one at a time,
        each checked as :func:`read_pull` checks them."""
        if self.records is not None:
            yield from self.records
        else:
            yield from _iter_records_file(
                self._folder() / "annotations.jsonl", {o.id: o.length for o in self.outlines()}
            )

    def _folder(self) -> Path:
        if self.path is None:
            raise ValueError("a pull that is not in memory needs its folder")
        return self.path


def build_pull(
    export_path: Path,
    schema: Schema,
    explicit_schema: bool,
    created_at: str,
    text_key: str | None,
    trim: bool,
    users: dict | None,
    origin: dict,
    where: str | None = None,
    span_source: SpanSource | None = None,
) -> tuple[Normalised, dict]:
    """Parse and normalise an export file: the normalised data and the pull summary (no clock, no schema file read).

    One pass over the export. Without ``explicit_schema`` every label is kept while reading: if
    the export's labels turn out to be the schema's that changes nothing, and if not, the export's
    own set is used. The summary's ``raw_export`` is filled in by the caller once the snapshot is stored.

    export_path (Path): The export file (JSON or JSONL).
    schema (Schema): The label schema (the project's default one, or the one asked for).
    explicit_schema (bool): The schema was asked for (--schema): labels outside it are rejected.
    created_at (str): The time stamp of the pull (ISO 8601).
    text_key (str | None): The task data key holding the text (None: found by itself).
    trim (bool): Trim whitespace off span ends.
    users (dict | None): Label Studio user ids to e-mails, for exports that name annotators by id.
    origin (dict): Where the export came from (recorded in the summary).
    where (str | None): The export's name in error messages (default: its path).
    span_source (SpanSource | None): The project's span controls, from its labeling config (``pull --project``;
        None: every ``labels`` result is a span).
    RETURNS (tuple[Normalised, dict]): The normalised tasks and the summary (``pull.json``).
    """
    where = where or str(export_path)
    fmt, tasks = iter_export_file(export_path, where, text_key=text_key, span_source=span_source, users=users)
    found: set[str] = set()

    def noting_labels(stream):
        for task in stream:
            found.update(export_labels([task]))
            yield task

    with collector_paused():
        result = normalise(noting_labels(tasks), schema.label_names if explicit_schema else None, trim=trim)
    labels, used, note = choose_labels(found, schema, explicit_schema)
    summary = {
        "annotate_version": __version__,
        "created_at": created_at,
        "origin": origin,
        "format": fmt,
        "raw_export": None,
        "schema": {"name": used.name, "version": used.version, "hash": used.hash} if used else None,
        "labels": labels,
        "label_note": note,
        "trim": trim,
        "counts": result.counts.to_dict(),
        "balanced": result.counts.balanced,
    }
    return result, summary


def pull_export(
    export_path: Path,
    schema_path: Path | None,
    text_key: str | None,
    trim: bool,
    users: dict | None,
    origin: dict,
    where: str | None = None,
    span_source: SpanSource | None = None,
) -> tuple[Normalised, dict]:
    """:func:`build_pull` for a caller: loads the schema (``schema_path``, or the default one) and stamps the time.

    export_path (Path): The export file.
    schema_path (Path | None): The schema asked for (--schema), or None for the default schema.
    text_key (str | None): The task data key holding the text (None: found by itself).
    trim (bool): Trim whitespace off span ends.
    users (dict | None): Label Studio user ids to e-mails.
    origin (dict): Where the export came from.
    where (str | None): The export's name in error messages (default: its path).
    span_source (SpanSource | None): The project's span controls, from its labeling config (see :func:`build_pull`).
    RETURNS (tuple[Normalised, dict]): The normalised tasks and the pull summary.
    """
    created_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    schema = load_schema(schema_path)
    return build_pull(
        export_path, schema, schema_path is not None, created_at, text_key, trim, users, origin, where, span_source
    )


def write_pull(out_dir: Path, result: Normalised, summary: dict) -> None:
    """Write a pull folder atomically (built beside it, then swapped into place; see :func:`~annotate.io.files.atomic_folder`).

    Documents and annotations are written in reading order: compile streams both files.

    out_dir (Path): The pull folder (replaced whole if it exists).
    result (Normalised): The normalised tasks (:func:`build_pull`).
    summary (dict): The pull summary (``pull.json``).
    """
    with collector_paused():  # the records written are many and alive: collections would walk them all again
        documents = in_reading_order(result.documents)
        position = {d.id: i for i, d in enumerate(documents)}
        with files.atomic_folder(Path(out_dir)) as folder:
            with folder.open("documents.jsonl") as fh:
                jsonl.write_json_lines(fh, (d.to_dict() for d in documents))
            with folder.open("annotations.jsonl") as fh:
                jsonl.write_json_lines(
                    fh, (r.to_dict() for r in sorted(result.records, key=lambda r: position[r.doc_id]))
                )
            with folder.open("set_aside.jsonl") as fh:
                jsonl.write_json_lines(fh, (shallow_dict(s) for s in result.set_aside))
            with folder.open("rejected.jsonl") as fh:
                jsonl.write_json_lines(fh, (shallow_dict(r) for r in result.rejections))
            folder.write_bytes(SUMMARY, json.dumps(summary, indent=2, ensure_ascii=False))


def read_pull(path: Path, stream: bool = False) -> Pull:
    """Read a pull folder written by :func:`write_pull`.

    path (Path): The pull folder.
    stream (bool): Check the documents and keep only their outlines; documents and records stay
        on disk (see :class:`Pull`), so that a pull of any size is read in little memory.
    RETURNS (Pull): The pull.
    RAISES (InvalidInputError): E075 when the folder has no ``pull.json``, E076 when a file in it is not valid.
    RAISES (NotFoundError): E010 when a file of the folder is missing.
    """
    with collector_paused():
        return _read_pull(Path(path), stream)


def _read_pull(path: Path, stream: bool) -> Pull:
    summary_path = path / SUMMARY
    if not summary_path.is_file():
        raise InvalidInputError(Errors.E075.format(path=path))
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InvalidInputError(Errors.E076.format(path=summary_path, reason=f"not valid JSON ({err})")) from None
    if (
        not isinstance(summary, dict)
        or not isinstance(summary.get("labels"), list)
        or not all(isinstance(label, str) for label in summary["labels"])
    ):
        raise InvalidInputError(Errors.E076.format(path=summary_path, reason="no list of 'labels' in it"))
    if stream:
        documents, records = None, None
        outline = [Outline.of(d) for d in iter_documents(path / "documents.jsonl", producer="pull")]
        lengths = {o.id: o.length for o in outline}
        if not (path / "annotations.jsonl").is_file():
            raise NotFoundError(Errors.E010.format(path=path / "annotations.jsonl", producer="pull"))
    else:
        documents, outline = read_documents(path / "documents.jsonl", producer="pull"), None
        lengths = {d.id: len(d.text) for d in documents}
        records = list(_iter_records_file(path / "annotations.jsonl", lengths))
    set_aside = []
    for line, record in jsonl.read_jsonl(path / "set_aside.jsonl", producer="pull"):
        try:
            set_aside.append(SetAside(**record))
            if set_aside[-1].doc_id not in lengths:
                raise TypeError(f"unknown document {set_aside[-1].doc_id}")
        except TypeError as err:
            raise InvalidInputError(
                Errors.E076.format(path=path / "set_aside.jsonl", reason=f"line {line}: {err}")
            ) from None
    return Pull(path, summary, documents, records, set_aside, outline)


def _iter_records_file(path: Path, lengths: dict[str, int]) -> Iterator[AnnotationRecord]:
    """The records of an ``annotations.jsonl``, each checked against its document (``lengths``: of their texts)."""
    canonical: dict = {}  # one object per distinct span of a document (records come grouped by document)
    previous_doc = None
    for line, record in jsonl.read_jsonl(path, producer="pull"):
        if record.get("doc_id") != previous_doc:
            canonical, previous_doc = {}, record.get("doc_id")
        try:
            parsed = AnnotationRecord.from_dict(record, canonical)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise InvalidInputError(Errors.E076.format(path=path, reason=f"line {line}: {err!r}")) from None
        length = lengths.get(parsed.doc_id)
        if length is None or not all(span.within_length(length) for span in parsed.spans):
            problem = "an unknown document" if length is None else "a span outside its text"
            raise InvalidInputError(Errors.E076.format(path=path, reason=f"line {line}: {problem} ({parsed.doc_id})"))
        yield parsed


def load_source(source: Path, schema_path: Path | None = None, text_key: str | None = None, trim: bool = False) -> Pull:
    """A pull folder, or an export file normalised in memory (nothing written).

    source (Path): A pull folder (:func:`read_pull`) or a Label Studio export file (:func:`pull_export`).
    schema_path (Path | None): For an export file: the schema to check labels against (None: the default one).
    text_key (str | None): For an export file: the task data key holding the text (None: found by itself).
    trim (bool): For an export file: trim whitespace off span ends.
    RETURNS (Pull): The pull, in memory (its ``path`` is None for an export file).
    RAISES (NotFoundError): E002 when ``source`` does not exist.
    """
    source = Path(source)
    if source.is_dir():
        return read_pull(source)
    if not source.is_file():
        raise NotFoundError(Errors.E002.format(path=source))
    result, summary = pull_export(source, schema_path, text_key, trim, None, {"file": str(source)})
    return Pull(None, summary, result.documents, result.records, result.set_aside)
