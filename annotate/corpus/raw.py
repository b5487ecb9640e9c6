"""The raw snapshot store: every export kept exactly as received, read-only, named by its sha256."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.io import files
from annotate.labelstudio.client import LabelStudio

RAW_DIR = Path("data/raw")


RAW_DIR = Path("data/raw")


@dataclass(frozen=True)
class Snapshot:
    """A raw export kept in the content-addressed store (``data/raw/export-<sha256>.json``), byte for byte.

    path (Path): The stored file.
    sha256 (str): The hex sha256 of its bytes (also in its name).
    """

    path: Path
    sha256: str


def store_raw(source: Path, raw_dir: Path = RAW_DIR) -> Snapshot:
    """Copy a file into the content-addressed raw store (nothing is written when that content is there already).

    source (Path): The export file.
    raw_dir (Path): The raw store.
    RETURNS (Snapshot): The stored file and its sha256.
    """
    with files.content_addressed(raw_dir, "export") as out, open(source, "rb") as src:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            out.write(chunk)
    return Snapshot(Path(out.path or raw_dir), out.sha256)


def download_raw(client: LabelStudio, project_id: int, raw_dir: Path = RAW_DIR) -> Snapshot:
    """Stream a project's export straight into the raw store, hashing as it arrives.

    client (LabelStudio): The Label Studio client.
    project_id (int): The project whose export is downloaded.
    raw_dir (Path): The raw store.
    RETURNS (Snapshot): The stored file and its sha256.
    """
    with files.content_addressed(raw_dir, "export") as out:
        client.download_export(project_id, out, out.reset)
    return Snapshot(Path(out.path or raw_dir), out.sha256)
