"""``annotate adjudicate push/pull``: settle a version's conflicts in Label Studio, then fetch the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.corpus.raw import RAW_DIR
from annotate.corpus.store import CORPUS_ROOT, read_manifest
from annotate.errors import Errors, InvalidInputError
from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.push import PushReport
from annotate.workflows.compile import ADJUDICATION_DIR
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.pull import PullResult, pull


@dataclass(frozen=True)
class AdjudicationPush:
    """The adjudication project's title, Label Studio's report, the version (NAME@vN) and its conflicted documents."""

    project: str
    report: PushReport
    spec: str
    documents: int


def adjudicate_push(
    corpus: str, project: str, root: Path = CORPUS_ROOT, schema: Path | None = None, env_file: Path = Path(ENV_FILE)
) -> AdjudicationPush:
    """Push one task per conflicted document of a version, every annotator's version a prediction. Idempotent.

    corpus (str): The version whose conflicts to settle: NAME, NAME@vN, NAME/vN.
    project (str): Title of the adjudication project (created if missing).
    root (Path): Folder holding the corpora.
    schema (Path | None): Schema file (None: schemas/news.yml).
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    RETURNS (AdjudicationPush): The project's report and the version's conflicted documents.
    RAISES (InvalidInputError): E091 when the version has no conflicts.
    """
    from annotate.corpus.adjudication import read_conflicted
    from annotate.corpus.store import resolve
    from annotate.io.schemas import load_schema
    from annotate.labelstudio.push import push as run_push
    from annotate.labelstudio.tasks import adjudication_task

    folder = resolve(corpus, root)
    manifest = read_manifest(folder)
    spec = f"{manifest['name']}@v{manifest['version']}"
    conflicted = read_conflicted(folder)
    if not conflicted:
        raise InvalidInputError(Errors.E091.format(spec=spec, strategy=manifest["strategy"]))
    versions = {doc.id: spans for doc, spans in conflicted}
    docs = [doc.with_spans(()) for doc, _ in conflicted]
    the_schema = load_schema(schema)
    description = (
        f"Adjudication of {spec}: {len(docs)} documents whose annotators disagree. Each prediction is one "
        "annotator's version (named by the annotator): pick the right one, correct it, then Submit."
    )
    with LabelStudio(load_settings(env_file)) as client:
        report = run_push(
            client,
            docs,
            the_schema,
            project,
            where=str(folder / "conflicted_documents.jsonl"),
            to_task=lambda d: adjudication_task(d, versions[d.id], spec),
            description=description,
        )
    return AdjudicationPush(project, report, spec, len(docs))


def adjudicate_pull(
    project: str | None = None,
    from_file: Path | None = None,
    output: Path = ADJUDICATION_DIR,
    raw_dir: Path = RAW_DIR,
    schema: Path | None = None,
    env_file: Path = Path(ENV_FILE),
    feedback: Feedback = SILENT,
) -> PullResult:
    """Export the adjudicator's decisions (kept raw, normalised, never trimmed) for ``compile --strategy adjudicated``.

    project (str | None): Title of the adjudication project.
    from_file (Path | None): Its export file instead (exactly one of the two).
    output (Path): Folder for the decisions (a pull folder).
    raw_dir (Path): Where raw exports are kept, named by sha256.
    schema (Path | None): Check labels against this schema.
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    feedback (Feedback): Shows a spinner during the export.
    RETURNS (PullResult): As :func:`annotate.workflows.pull.pull`.
    """
    return pull(
        project, from_file, output, raw_dir, schema, trim=False, text_key=None, env_file=env_file, feedback=feedback
    )
