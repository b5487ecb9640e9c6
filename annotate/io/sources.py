"""Source articles on disk: the files ingest reads, decoded as strict UTF-8."""

from __future__ import annotations

from pathlib import Path

from annotate.core.documents import Document
from annotate.core.ingest import MODES, split_source
from annotate.errors import Errors, InvalidInputError, NotFoundError


def read_source(path: Path) -> str:
    """Decode a file as strict UTF-8, with a clear error naming the bad byte.

    path (Path): The file.
    RETURNS (str): Its text, never normalised; InvalidInputError (E004) when it is not UTF-8.
    """
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInputError(Errors.E004.format(path=path, position=err.start, reason=err.reason)) from None


def source_files(path: Path) -> list[Path]:
    """The ``.txt`` files to ingest: the file itself, or a folder's ``*.txt`` sorted by name.

    path (Path): A file or a folder.
    RETURNS (list[Path]): The files; NotFoundError for a missing path (E002) or a folder without ``.txt`` (E001).
    """
    path = Path(path)
    if not path.exists():
        raise NotFoundError(Errors.E002.format(path=path))
    if path.is_file():
        return [path]
    found = sorted(p for p in path.glob("*.txt") if p.is_file())
    if not found:
        raise NotFoundError(Errors.E001.format(path=path))
    return found


def ingest(path: Path, mode: str = "auto") -> list[Document]:
    """All documents of a file or folder, in file then paragraph order.

    Each document's ``source`` is the file name (stable wherever the folder is).

    path (Path): A ``.txt`` file or a folder of them.
    mode (str): The paragraph mode (see :mod:`annotate.core.ingest`).
    RETURNS (list[Document]): The documents. A missing path, a folder without ``.txt``, a file that is not
        UTF-8 and a file with no text raise an AnnotateError; then nothing is returned.
    """
    if mode not in MODES:
        raise InvalidInputError(Errors.E005.format(mode=mode))
    docs: list[Document] = []
    for file in source_files(path):
        found = split_source(file.name, read_source(file), mode)
        if not found:
            raise InvalidInputError(Errors.E003.format(path=file))
        docs.extend(found)
    return docs
