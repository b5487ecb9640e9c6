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

Pure: :mod:`annotate.io.sources` reads the files.

EXAMPLE:
    >>> docs = split_source("a.txt", "Ada wrote.\\n\\nBabbage built.\\n")
    >>> [(d.text, d.paragraph, d.offset) for d in docs]
    [('Ada wrote.', 0, 0), ('Babbage built.', 1, 12)]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from annotate.core.documents import Document, document_id
from annotate.core.inputs import PLACE
from annotate.errors import Errors, InvalidInputError

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
    """Split one file's decoded text into paragraph documents.

    source (str): The name recorded in each document (and part of its id).
    text (str): The file's decoded text.
    mode (str): "auto", "lines" or "blank" (see the module docstring).
    RETURNS (list[Document]): The paragraphs in order; empty for whitespace-only text.
    """
    if mode not in MODES:
        raise InvalidInputError(Errors.E005.format(mode=mode))
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
        docs.append(
            Document(
                id=document_id(source, para, occurrences[para]),
                text=para,
                source=source,
                article=art,
                paragraph=index,
                offset=start,
            )
        )
        occurrences[para] += 1
    return docs


def record_document(
    source: str, index: int, text: str, given_id: str | None, meta: dict, occurrence: int
) -> Document | None:
    """One record of a JSONL or CSV/TSV file as one document (a record is never split into paragraphs).

    The text is the record's, leading and trailing whitespace left out: ``meta.offset`` is where it starts in
    the record's text (``record_text[offset:offset + len(text)] == text``). ``article`` and ``paragraph`` are the
    record's index in the file (each record its own story; reading order is the file's). The id is the one
    given, else the hash ingest gives a ``.txt`` paragraph (:func:`document_id` of the file name, the text and
    how many earlier records of the file have the same text). Given ``meta`` keys are kept, those named like
    ingest's own (source, article, paragraph, offset) as ``input_<key>``.

    source (str): The file's name.
    index (int): The record's index in the file (0 for the first).
    text (str): The record's text field.
    given_id (str | None): The record's id, or None.
    meta (dict): Other fields to keep in ``meta``.
    occurrence (int): How many earlier records of the file have the same (stripped) text.
    RETURNS (Document | None): The document; None when the text is blank.

    EXAMPLE:
        >>> doc = record_document("a.jsonl", 2, "  Ada wrote.\\n", None, {"url": "u"}, 0)
        >>> (doc.text, doc.offset, doc.paragraph, doc.extra_meta), doc.id == document_id("a.jsonl", "Ada wrote.")
        (('Ada wrote.', 2, 2, {'url': 'u'}), True)
    """
    start, end = _trimmed(text, 0, len(text))
    if start >= end:
        return None
    paragraph = text[start:end]
    extra = {(f"input_{k}" if k in PLACE else k): v for k, v in meta.items()}
    return Document(
        id=given_id if given_id is not None else document_id(source, paragraph, occurrence),
        text=paragraph,
        source=source,
        article=index,
        paragraph=index,
        offset=start,
        extra_meta=extra,
    )
