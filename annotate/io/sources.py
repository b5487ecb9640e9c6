"""Source articles on disk: the files ingest reads, decoded as strict UTF-8.

A ``.txt`` file is split into paragraphs (:mod:`annotate.core.ingest`); a ``.jsonl``/``.ndjson``, ``.csv`` or
``.tsv`` file gives one document per record (:mod:`annotate.io.records`). A folder may mix them: each file is
read by its suffix, the files in name order. A ``stories.yml`` beside the sources sets the story
(``meta.article``) and headline flag of ``.txt`` paragraphs (:mod:`annotate.io.stories`).
"""

from __future__ import annotations

from pathlib import Path

from annotate.core.documents import Document
from annotate.core.ingest import MODES, split_source
from annotate.core.stories import apply_stories
from annotate.errors import Errors, InvalidInputError, NotFoundError, Warnings
from annotate.io.records import RECORD_SUFFIXES, read_records
from annotate.io.stories import read_sidecar, sidecar_path

SUFFIXES = (".txt", *RECORD_SUFFIXES)


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
    """The files to ingest: the file itself, or a folder's ``.txt``, ``.jsonl``, ``.ndjson``, ``.csv`` and ``.tsv``
    files sorted by name.

    path (Path): A file or a folder.
    RETURNS (list[Path]): The files; NotFoundError for a missing path (E002) or a folder without such files (E001).
    """
    path = Path(path)
    if not path.exists():
        raise NotFoundError(Errors.E002.format(path=path))
    if path.is_file():
        return [path]
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not found:
        raise NotFoundError(Errors.E001.format(path=path))
    return found


def ingest(path: Path, mode: str = "auto", text_field: str = "text", id_field: str | None = None) -> list[Document]:
    """All documents of a file or folder, in file then paragraph (or record) order.

    Each document's ``source`` is the file name (stable wherever the folder is).

    path (Path): A ``.txt``, ``.jsonl``, ``.csv`` or ``.tsv`` file, or a folder of them.
    mode (str): The paragraph mode of ``.txt`` files (see :mod:`annotate.core.ingest`).
    text_field (str): The field of a JSONL/CSV/TSV record that holds the text.
    id_field (str | None): The field that holds its id (None: ``id`` when there, else the content hash).
    RETURNS (list[Document]): The documents. A missing path, a folder without such files, a file that is not
        UTF-8, a file with no text and a record without its text field raise an AnnotateError; then nothing is
        returned.
    """
    return ingest_with_warnings(path, mode, text_field, id_field)[0]


def ingest_with_warnings(
    path: Path, mode: str = "auto", text_field: str = "text", id_field: str | None = None
) -> tuple[list[Document], tuple[str, ...]]:
    """:func:`ingest`, with a W010 per file whose records have a blank text (skipped), and the sidecar's warnings.

    The ``stories.yml`` of the folder (for a file: of its folder) is applied to the ``.txt`` paragraphs
    (:func:`annotate.core.stories.apply_stories`); E170-E173 for a bad one, W050/W051 for entries ignored.

    path (Path): A file or a folder.
    mode (str): The paragraph mode of ``.txt`` files.
    text_field (str): The text field of records.
    id_field (str | None): The id field of records.
    RETURNS (tuple[list[Document], tuple[str, ...]]): The documents and the warnings.
    """
    if mode not in MODES:
        raise InvalidInputError(Errors.E005.format(mode=mode))
    docs: list[Document] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    files = source_files(path)
    for file in files:
        if file.suffix.lower() in RECORD_SUFFIXES:
            found, blank = read_records(file, text_field, id_field, seen)
            if blank:
                lines = ", ".join(map(str, blank[:10])) + (", …" if len(blank) > 10 else "")
                warnings.append(Warnings.W010.format(path=file, count=len(blank), lines=lines))
        else:
            found = split_source(file.name, read_source(file), mode)
        if not found:
            raise InvalidInputError(Errors.E003.format(path=file))
        docs.extend(found)
    sidecar = sidecar_path(path)
    marks, notes = read_sidecar(sidecar, files)
    return apply_stories(docs, marks, str(sidecar)), (*warnings, *notes)
