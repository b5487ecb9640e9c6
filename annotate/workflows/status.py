"""``annotate status``: labeling progress of a project, from a fresh export."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.status import Progress
from annotate.workflows._common import project_titled, user_names
from annotate.workflows.feedback import SILENT, Feedback


@dataclass(frozen=True)
class StatusResult:
    """A project's title, its overlap (annotators per task) and its progress."""

    project: str
    overlap: int
    progress: Progress

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form.

        RETURNS (dict[str, Any]): The title and the progress counts (overlap included).
        """
        return {"project": self.project, **self.progress.to_dict()}


def status(project: str, env_file: Path = Path(ENV_FILE), feedback: Feedback = SILENT) -> StatusResult:
    """Export ``project`` to a temporary file and count tasks by submitted annotations, per annotator, skipped.

    project (str): Title of the Label Studio project.
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a spinner during the export.
    RETURNS (StatusResult): The overlap and the progress.
    """
    from annotate.labelstudio.export_reader import iter_export_file
    from annotate.labelstudio.status import progress

    settings = load_settings(env_file)
    with LabelStudio(settings) as client, tempfile.TemporaryDirectory(prefix="annotate-status-") as tmp:
        found = project_titled(client, project)
        overlap = found.get("maximum_annotations") or 1
        users = user_names(client)
        path = Path(tmp) / "export.json"
        with open(path, "wb") as sink, feedback.status(f"Reading {project!r}…"):

            def restart() -> None:  # a retried download starts the file again
                sink.seek(0)
                sink.truncate()

            client.download_export(found["id"], sink, restart)
        if path.stat().st_size <= 2:  # "[]": a project without tasks
            state = progress([], overlap)
        else:
            _, tasks = iter_export_file(path, f"the export of {project!r}", users=users)
            state = progress(tasks, overlap)
    return StatusResult(project, overlap, state)
