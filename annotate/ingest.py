"""Articles in, documents (paragraphs) out, with exact offsets and stable ids.

Rules, applied to each ``.txt`` file, decoded as strict UTF-8 and never
normalised (curly quotes, typos, CRLF all stay as they are):

* **Paragraphs.** In ``lines`` mode every non-blank line is a paragraph; in
  ``blank`` mode paragraphs are separated by blank lines (a paragraph may span
  several lines). ``auto`` picks ``blank`` when blank-line gaps between text
  lines are at least as common as plain line breaks, else ``lines``.
* **Stories (articles).** A file is one story unless it marks boundaries: two
  or more consecutive blank lines, or a rule line such as ``---``, ``***`` or
  ``===``, start a new story. Without marks a file stays one story, which is
  the safe choice for by-article splits (no story leaks across splits).
* Leading/trailing whitespace (and a UTF-8 byte-order mark) is not part of a
  paragraph; ``meta.offset`` points at its first character.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .documents import Document, document_id
from .errors import AnnotateError, Errors

MODES = ("auto", "lines", "blank")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_RULE = re.compile(r"^\s*(?:[-*=_#~]\s*){3,}$")
_BOM = "\ufeff"


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's first character
    end: int  # offset after its last character, line break excluded
    kind: str  # "text", "blank" or "rule"


def _lines(text: str) -> list[_Line]:
    out = []
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        start = match.start()
        end = start + len(match.group().rstrip("\r\n"))
        content = text[start:end].replace(_BOM, "")
        kind = "blank" if not content.strip() else "rule" if _RULE.match(content) else "text"
        out.append(_Line(start, end, kind))
    return out


def _pick_mode(lines: list[_Line]) -> str:
    adjacent = gaps = 0
    previous = None  # kind of the previous non-text run: None, or whether a blank line came since the last text line
    for line in lines:
        if line.kind == "text":
            if previous is not None:
                gaps += previous
                adjacent += not previous
            previous = False
        elif line.kind == "blank" and previous is not None:
            previous = True
    return "blank" if gaps and gaps >= adjacent else "lines"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    stripped_left = chunk.lstrip().lstrip(_BOM).lstrip()
    start += len(chunk) - len(stripped_left)
    return start, start + len(stripped_left.rstrip())


def split_source(source: str, text: str, mode: str = "auto") -> list[Document]:
    """Split one file's decoded text into paragraph documents. Pure.

    ``source`` is the name recorded in each document (and part of its id).
    Returns an empty list for whitespace-only text.
    """
    if mode not in MODES:
        raise AnnotateError(Errors.E005.format(mode=mode))
    lines = _lines(text)
    if mode == "auto":
        mode = _pick_mode(lines)

    # Group lines into paragraphs (start, end) and story indices.
    paragraphs: list[tuple[int, int, int]] = []
    article = 0
    blank_run = 0
    current: list[_Line] = []
    boundary = False

    def flush() -> None:
        nonlocal current
        if current:
            paragraphs.append((*_trimmed(text, current[0].start, current[-1].end), article))
            current = []

    for line in lines:
        if line.kind == "text":
            if boundary and paragraphs:
                article += 1
            boundary = False
            blank_run = 0
            if mode == "lines":
                current = [line]
                flush()
            else:
                current.append(line)
            continue
        flush()
        if line.kind == "rule":
            boundary = True
        else:
            blank_run += 1
            if blank_run >= 2:
                boundary = True
    flush()

    occurrences: Counter[str] = Counter()
    docs = []
    for index, (start, end, art) in enumerate(paragraphs):
        para = text[start:end]
        docs.append(Document(
            id=document_id(source, para, occurrences[para]),
            text=para, source=source, article=art, paragraph=index, offset=start,
        ))
        occurrences[para] += 1
    return docs


def read_source(path: Path) -> str:
    """Decode a file as strict UTF-8, with a clear error naming the bad byte."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AnnotateError(Errors.E004.format(path=path, position=err.start, reason=err.reason)) from None


def source_files(path: Path) -> list[Path]:
    """The ``.txt`` files to ingest: the file itself, or a folder's ``*.txt`` sorted by name."""
    path = Path(path)
    if not path.exists():
        raise AnnotateError(Errors.E002.format(path=path))
    if path.is_file():
        return [path]
    found = sorted(p for p in path.glob("*.txt") if p.is_file())
    if not found:
        raise AnnotateError(Errors.E001.format(path=path))
    return found


def ingest(path: Path, mode: str = "auto") -> list[Document]:
    """All documents of a file or folder, in file then paragraph order.

    Each document's ``source`` is the file name (stable wherever the folder is).
    Raises AnnotateError for a missing path, a folder without ``.txt``, a file
    that is not UTF-8 and a file with no text; in that case nothing is returned.
    """
    if mode not in MODES:
        raise AnnotateError(Errors.E005.format(mode=mode))
    docs: list[Document] = []
    for file in source_files(path):
        found = split_source(file.name, read_source(file), mode)
        if not found:
            raise AnnotateError(Errors.E003.format(path=file))
        docs.extend(found)
    return docs
