"""``annotate up``: the main job in one go: a local Label Studio, then ingest, pre-annotate and push the seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotate.io.settings import ENV_FILE
from annotate.labelstudio.server import DEFAULT_DATA_DIR, DEFAULT_PORT, ServerInfo
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.ingest import DOCUMENTS, IngestResult, ingest
from annotate.workflows.preannotate import PREANNOTATED, PreannotateResult, preannotate
from annotate.workflows.push import PushResult, push
from annotate.workflows.server import start_server

Step = ServerInfo | IngestResult | PreannotateResult | PushResult


@dataclass(frozen=True)
class UpResult:
    """Each step's result: the server, the documents, the predictions and the project."""

    server: ServerInfo
    ingest: IngestResult
    preannotate: PreannotateResult
    push: PushResult


def up(
    seeds: Path = Path("seeds"),
    project: str = "News NER",
    model: str | None = None,
    port: int = DEFAULT_PORT,
    data_dir: Path = Path(DEFAULT_DATA_DIR),
    env_file: Path = Path(ENV_FILE),
    documents: Path = DOCUMENTS,
    preannotated: Path = PREANNOTATED,
    feedback: Feedback = SILENT,
    on_step: Callable[[Step], None] = lambda step: None,
) -> UpResult:
    """Start Label Studio on loopback, ingest ``seeds``, pre-annotate them and push them to ``project``.

    Every step is the workflow of its own command with that command's defaults: the same files, schema and
    settings as running ``server start``, ``ingest``, ``preannotate`` and ``push`` one after the other.

    seeds (Path): Folder of .txt articles.
    project (str): Label Studio project title.
    model (str | None): spaCy package name or model path (None: the default model).
    port (int): Port for the local Label Studio.
    data_dir (Path): Label Studio data folder.
    env_file (Path): Where URL, API key and login are kept.
    documents (Path): The documents JSONL ingest writes.
    preannotated (Path): The pre-annotated JSONL preannotate writes and push reads.
    feedback (Feedback): Spinners and bars of the steps.
    on_step (Callable[[Step], None]): Called with each step's result as soon as it is done (the CLI prints it).
    RETURNS (UpResult): The four steps' results.
    """
    server = start_server(data_dir, port=port, env_file=env_file, feedback=feedback)
    on_step(server)
    ingested = ingest(seeds, documents)
    on_step(ingested)
    predicted = preannotate(documents, preannotated, model, feedback=feedback)
    on_step(predicted)
    pushed = push(preannotated, project, env_file=env_file, feedback=feedback)
    on_step(pushed)
    return UpResult(server, ingested, predicted, pushed)
