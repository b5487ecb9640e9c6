"""The ``stories.yml`` sidecar on disk: found beside the sources, read and checked, and drafts written.

The format is :mod:`annotate.core.stories`'. The sidecar is ``stories.yml`` in the folder given to ingest (for
one file: the file's folder). Source files are never edited; a draft (``--suggest-stories``) is written to its
own file, never over ``stories.yml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import srsly

from annotate.core.stories import SIDECAR, StoryMarks, parse_stories, sidecar_text
from annotate.errors import Errors, InvalidInputError, Warnings
from annotate.io.files import atomic_write

HEADER = (
    "# Story boundaries (annotate ingest reads this file; see the README, Stories). Per source file: the paragraph\n"
    "# indices (0-based, ingest's meta.paragraph) where each story starts (0 is implied) and the headlines.\n"
)
DRAFT_HEADER = (
    "# DRAFT written by `annotate ingest --suggest-stories`: SUGGESTED story boundaries. Check each against the\n"
    "# text (the comments show where each suggested story starts), fix it, then save it as stories.yml.\n"
)


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of a source folder (or of one source file) is.

    path (Path): The folder or file given to ingest.
    RETURNS (Path): ``stories.yml`` in the folder (for a file: in its folder).

    EXAMPLE:
        >>> str(sidecar_path(Path("seeds/004.txt")))
        'seeds/stories.yml'
    """
    path = Path(path)
    return (path if path.is_dir() else path.parent) / SIDECAR


def read_sidecar(path: Path, sources: Iterable[Path] = ()) -> tuple[dict[str, StoryMarks], tuple[str, ...]]:
    """Read and check a sidecar; entries of files that are not among ``sources`` are dropped with a warning.

    path (Path): The sidecar (a missing file: no entries).
    sources (Iterable[Path]): The source files of its folder that ingest reads.
    RETURNS (tuple[dict[str, StoryMarks], tuple[str, ...]]): The entries of ``.txt`` sources, and W050 (no such
        source file) / W051 (not a ``.txt`` file) per entry dropped. E170-E173 for a bad sidecar.
    """
    path = Path(path)
    if not path.is_file():
        return {}, ()
    try:
        data = srsly.yaml_loads(path.read_text(encoding="utf-8"))
    except Exception as err:  # decoding and YAML parser errors have many types; all mean "unreadable"
        reason = f"not readable as YAML ({' '.join(str(err).split())[:120]})"
        raise InvalidInputError(Errors.E170.format(path=path, reason=reason)) from None
    marks = parse_stories(data, str(path))
    names = {Path(s).name for s in sources}
    kept, warnings = {}, []
    for source, mine in marks.items():
        if source not in names and not (path.parent / source).is_file():
            warnings.append(Warnings.W050.format(path=path, source=source))
        elif not source.lower().endswith(".txt"):
            warnings.append(Warnings.W051.format(path=path, source=source))
        else:
            kept[source] = mine
    return kept, tuple(warnings)


def write_sidecar(
    path: Path, marks: Mapping[str, StoryMarks], notes: Mapping[str, Iterable[str]] | None = None, draft: bool = True
) -> Path:
    """Write a sidecar (by default a draft, headed as such) atomically.

    path (Path): The file to write.
    marks (Mapping[str, StoryMarks]): The entries.
    notes (Mapping[str, Iterable[str]] | None): Comment lines per entry.
    draft (bool): Head the file as a draft to confirm.
    RETURNS (Path): The file written.

    EXAMPLE:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "stories.draft.yml"
        >>> _ = write_sidecar(target, {"a.txt": StoryMarks((0, 3))})
        >>> read_sidecar(target, [Path("a.txt")])[0]
        {'a.txt': StoryMarks(starts=(0, 3), headlines=())}
    """
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write((DRAFT_HEADER if draft else HEADER) + sidecar_text(marks, notes))
    return path
