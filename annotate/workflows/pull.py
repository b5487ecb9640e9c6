"""``annotate pull``: export a project (or read an export file), keep it raw, write the normalised pull folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.corpus.pull import PULL_DIR, pull_export, write_pull
from annotate.corpus.raw import RAW_DIR, Snapshot, download_raw, store_raw
from annotate.errors import Errors, InvalidInputError, NotFoundError, Warnings
from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.label_config import SpanSource, span_source
from annotate.workflows._common import project_titled, user_names
from annotate.workflows.feedback import SILENT, Feedback


@dataclass(frozen=True)
class PullResult:
    """What ``pull`` wrote: the folder, the raw snapshot kept, the pull summary (pull.json) and any warnings."""

    output: Path
    snapshot: Snapshot
    summary: dict[str, Any]
    warnings: tuple[str, ...] = ()


def whitespace_warnings(summary: dict[str, Any]) -> tuple[str, ...]:
    """W002 when spans start or end with whitespace, saying whether they were trimmed.

    summary (dict[str, Any]): A pull summary (its "counts" and "trim").
    RETURNS (tuple[str, ...]): The warning, or nothing.

    EXAMPLE:
        >>> whitespace_warnings({"trim": False, "counts": {"whitespace": 0, "trimmed": 0}})
        ()
    """
    c = summary["counts"]
    if not c["whitespace"]:
        return ()
    kept = "kept as annotated in the pull; compile trims them in the gold (compile --keep-whitespace keeps them)"
    action = f"trimmed ({c['trimmed']})" if summary["trim"] else kept
    return (Warnings.W002.format(count=c["whitespace"], action=action),)


def pull(
    project: str | None = None,
    from_file: Path | None = None,
    output: Path = PULL_DIR,
    raw_dir: Path = RAW_DIR,
    schema: Path | None = None,
    trim: bool = False,
    text_key: str | None = None,
    env_file: Path = Path(ENV_FILE),
    feedback: Feedback = SILENT,
) -> PullResult:
    """Export ``project`` from Label Studio (or read ``from_file``), store it raw, normalise it into ``output``.

    project (str | None): Title of the Label Studio project to export.
    from_file (Path | None): A Label Studio JSON/JSON-MIN export file instead (exactly one of the two).
    output (Path): Pull folder to (re)write, whole.
    raw_dir (Path): Where raw exports are kept, named by sha256.
    schema (Path | None): Check labels against this schema (None: news.yml if the export uses its labels).
    trim (bool): Trim leading/trailing whitespace inside spans.
    text_key (str | None): Task data field holding the text (None: from the project's labeling config with
        ``project``, else ``text`` or the only text field); it wins over the config.
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a spinner during the export.
    RETURNS (PullResult): The folder, raw snapshot, summary; W002 when spans have whitespace at an end, W040/W041
        when the project's labeling config gives no span control or several.
    """
    if (project is None) == (from_file is None):
        raise InvalidInputError(Errors.E078)
    config_warnings: tuple[str, ...] = ()
    if from_file is not None:
        if not from_file.is_file():
            raise NotFoundError(Errors.E002.format(path=from_file))
        result, summary = pull_export(from_file, schema, text_key, trim, None, {"file": str(from_file)})
        snapshot = store_raw(from_file, raw_dir)
    elif project is not None:
        settings = load_settings(env_file)
        with LabelStudio(settings) as client:
            found = project_titled(client, project)
            key, source, config_warnings = project_span_source(client.project(found["id"]), project, text_key)
            with feedback.status(f"Exporting {project!r} from Label Studio…"):
                snapshot = download_raw(client, found["id"], raw_dir)
            users = user_names(client)
        origin = {"project": project, "project_id": found["id"], "url": settings.url}
        where = f"the export of {project!r} ({snapshot.path})"
        result, summary = pull_export(snapshot.path, schema, key, trim, users, origin, where, span_source=source)
        summary["label_config"] = (
            {"text_key": key, "text": source.text_name, "controls": list(source.controls)} if source else None
        )
    summary["raw_export"] = {"path": str(snapshot.path), "sha256": snapshot.sha256}
    write_pull(output, result, summary)
    return PullResult(output, snapshot, summary, config_warnings + whitespace_warnings(summary))


def project_span_source(
    project: dict[str, Any], title: str, text_key: str | None
) -> tuple[str | None, SpanSource | None, tuple[str, ...]]:
    """The text key and span controls of a project's export, from the project's labeling config.

    project (dict[str, Any]): The project as Label Studio describes it (its ``label_config``).
    title (str): The project's title (for the warnings).
    text_key (str | None): ``--text-key``, when given: it wins over the config's text field.
    RETURNS (tuple[str | None, SpanSource | None, tuple[str, ...]]): The text key (``text_key`` when given, else
        the config's text field; None when neither says), the span source (None when the config gives no span
        control) and the warnings: W040 when the config gives none, W041 when it has spans on several texts.

    EXAMPLE:
        >>> config = '<View><Text name="doc" value="$body"/><Labels name="ner" toName="doc"/></View>'
        >>> key, source, warnings = project_span_source({"label_config": config}, "news", None)
        >>> key, source.controls, warnings
        ('body', ('ner',), ())
    """
    source, note = span_source(str(project.get("label_config") or ""), text_key)
    if source is None:
        return text_key, None, (Warnings.W040.format(project=title, reason=note),)
    warnings: tuple[str, ...] = ()
    if source.other_labels:
        warnings = (Warnings.W041.format(project=title, note=note, others=", ".join(source.other_labels)),)
    return text_key or source.text_key, source, warnings
