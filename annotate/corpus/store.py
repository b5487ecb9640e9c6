"""The version store: ``corpus/NAME/vN/`` folders, found, listed and verified; the one manifest reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

from annotate.errors import Errors, InvalidInputError, NotFoundError
from annotate.io.files import sha256_file

CORPUS_ROOT = Path("corpus")
MANIFEST = "manifest.json"
_VERSION = re.compile(r"^v(\d+)$")


def read_manifest(folder: Path) -> dict:
    """The manifest of a version folder.

    folder (Path): The version folder.
    RETURNS (dict): Its ``manifest.json``.
    RAISES (InvalidInputError): The manifest is missing or not JSON (E083).
    """
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InvalidInputError(Errors.E083.format(path=folder, problems=f"manifest.json unreadable ({err})")) from None


def read_splits(folder: Path) -> dict[str, list[str]]:
    """The splits of a version folder: split name to document ids.

    folder (Path): The version folder.
    RETURNS (dict[str, list[str]]): Its ``splits.json``.
    """
    return json.loads((Path(folder) / "splits.json").read_text(encoding="utf-8"))


def versions(corpus_dir: Path) -> list[int]:
    """The version numbers of one corpus, in order.

    corpus_dir (Path): The corpus' folder (``corpus/NAME``).
    RETURNS (list[int]): Its versions (empty if it does not exist).
    """
    if not corpus_dir.is_dir():
        return []
    return sorted(int(m.group(1)) for p in corpus_dir.iterdir() if p.is_dir() and (m := _VERSION.match(p.name)))


def resolve(spec: str | Path, root: Path = CORPUS_ROOT) -> Path:
    """A version folder from ``NAME``, ``NAME/vN``, ``NAME@vN``, ``NAME@latest`` or a folder path.

    spec (str | Path): The version asked for.
    root (Path): The folder holding the corpora.
    RETURNS (Path): The version folder.
    RAISES (NotFoundError): No such corpus or version (E082; the message lists what there is).
    """
    path = Path(spec)
    if (path / MANIFEST).is_file():
        return path
    text = str(spec).replace("@", "/")
    name, _, version = text.partition("/")
    corpus_dir = root / name
    found = versions(corpus_dir)
    if not found:
        names = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir())) if root.is_dir() else ""
        raise NotFoundError(Errors.E082.format(spec=str(spec), root=root, names=names or "none"))
    if version in ("", "latest"):
        return corpus_dir / f"v{found[-1]}"
    match = _VERSION.match(version)
    if not match or int(match.group(1)) not in found:
        raise NotFoundError(
            Errors.E082.format(spec=str(spec), root=root, names=", ".join(f"{name}/v{v}" for v in found))
        )
    return corpus_dir / version


def verify(path: Path) -> dict:
    """Recompute every checksum of a version against its manifest.

    path (Path): The version folder.
    RETURNS (dict): The manifest.
    RAISES (InvalidInputError): A file changed, is missing or was added (E083 names each).
    """
    manifest = read_manifest(path)
    problems = []
    expected = manifest.get("files", {})
    for name, sha in sorted(expected.items()):
        file = path / name
        if not file.is_file():
            problems.append(f"{name} is missing")
        elif sha256_file(file) != sha:
            problems.append(f"{name} changed (sha256 differs)")
    extra = sorted(p.name for p in path.iterdir() if p.name != MANIFEST and p.name not in expected)
    problems += [f"{name} was added" for name in extra]
    if problems:
        raise InvalidInputError(Errors.E083.format(path=path, problems="; ".join(problems)))
    return manifest


def list_versions(root: Path = CORPUS_ROOT) -> list[dict]:
    """The manifest of every version of every corpus, by corpus name then version.

    root (Path): The folder holding the corpora.
    RETURNS (list[dict]): The manifests.
    """
    out: list[dict] = []
    if not root.is_dir():
        return out
    for corpus_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        out.extend(read_manifest(corpus_dir / f"v{v}") for v in versions(corpus_dir))
    return out
