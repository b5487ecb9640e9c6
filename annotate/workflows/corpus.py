"""``annotate corpus list/show/verify``: the versions of the corpora, one, and their checksums."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.corpus.store import CORPUS_ROOT, read_manifest


@dataclass(frozen=True)
class VersionSummary:
    """One version: where it is, its manifest and its CHANGES.md (stripped)."""

    folder: Path
    manifest: dict[str, Any]
    changes: str


@dataclass(frozen=True)
class Verified:
    """One version whose every file matched its sha256: the folder and how many files."""

    folder: Path
    files: int


def list_corpora(root: Path = CORPUS_ROOT) -> list[dict[str, Any]]:
    """The manifest of every version of every corpus under ``root``, by corpus then version.

    root (Path): Folder holding the corpora.
    RETURNS (list[dict[str, Any]]): The manifests (none when ``root`` does not exist).
    """
    from annotate.corpus.store import list_versions

    return list_versions(root)


def show_corpus(spec: str, root: Path = CORPUS_ROOT) -> VersionSummary:
    """One version's manifest and changes.

    spec (str): NAME (the latest version), NAME/vN, NAME@vN or a folder.
    root (Path): Folder holding the corpora.
    RETURNS (VersionSummary): The folder, manifest and CHANGES.md.
    """
    from annotate.corpus.store import resolve

    folder = resolve(spec, root)
    return VersionSummary(folder, read_manifest(folder), (folder / "CHANGES.md").read_text(encoding="utf-8").strip())


def verify_corpus(spec: str, root: Path = CORPUS_ROOT) -> Iterator[Verified]:
    """Recompute the checksums of one version, or of every version of a corpus named alone, one at a time.

    spec (str): NAME (every version), NAME/vN, NAME@vN or a version folder.
    root (Path): Folder holding the corpora.
    RETURNS (Iterator[Verified]): Each version once it is checked, in order.
    RAISES (InvalidInputError): E083 naming the files of the first version that changed.
    """
    from annotate.corpus.store import resolve, verify, versions

    if "/" in spec or "@" in spec or Path(spec, "manifest.json").is_file():
        folders = [resolve(spec, root)]
    else:
        resolve(spec, root)  # a clear error when the corpus does not exist
        folders = [root / spec / f"v{v}" for v in versions(root / spec)]
    for folder in folders:
        yield Verified(folder, len(verify(folder)["files"]))
