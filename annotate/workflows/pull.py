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
    action = f"trimmed ({c['trimmed']})" if summary["trim"] else "kept as annotated; pass --trim to trim them"
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
    text_key (str | None): Task data field holding the text (None: text).
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a spinner during the export.
    RETURNS (PullResult): The folder, raw snapshot, summary; W002 when spans have whitespace at an end.
    """
    if (project is None) == (from_file is None):
        raise InvalidInputError(Errors.E078)
    if from_file is not None:
        if not from_file.is_file():
            raise NotFoundError(Errors.E002.format(path=from_file))
        result, summary = pull_export(from_file, schema, text_key, trim, None, {"file": str(from_file)})
        snapshot = store_raw(from_file, raw_dir)
    elif project is not None:
        settings = load_settings(env_file)
        with LabelStudio(settings) as client:
            found = project_titled(client, project)
            with feedback.status(f"Exporting {project!r} from Label Studio…"):
                snapshot = download_raw(client, found["id"], raw_dir)
            users = user_names(client)
        origin = {"project": project, "project_id": found["id"], "url": settings.url}
        result, summary = pull_export(
            snapshot.path, schema, text_key, trim, users, origin, where=f"the export of {project!r} ({snapshot.path})"
        )
    summary["raw_export"] = {"path": str(snapshot.path), "sha256": snapshot.sha256}
    write_pull(output, result, summary)
    return PullResult(output, snapshot, summary, whitespace_warnings(summary))
