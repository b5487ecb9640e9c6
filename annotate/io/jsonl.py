"""JSON lines, in one style: written a block at a time (compact, UTF-8, non-ASCII as is), read line by line.

Every JSON-lines file the package writes goes through :func:`json_line` / :func:`write_json_lines`; every one it
reads through :func:`read_jsonl`, whose errors name the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import srsly

from annotate.errors import Errors, InvalidInputError, NotFoundError
from annotate.io.files import HashingFile, atomic_write

# The one JSON-lines style: compact separators, non-ASCII written as UTF-8 (not \u-escaped), floats exact.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_line(record: Any) -> str:
    r"""One JSON-lines line (newline included) in the package's one style.

    record (Any): A JSON-serialisable value (a dict, for a JSONL record).
    RETURNS (str): The compact JSON text, non-ASCII kept as is, and a newline.

    EXAMPLE:
        >>> json_line({"text": "Zürich", "n": 1})
        '{"text":"Zürich","n":1}\n'
    """
    return _ENCODE(record) + "\n"


def json_bytes(value: Any) -> bytes:
    r"""A JSON document as written beside the JSONL files (``manifest.json``, ``splits.json``): indented by 2.

    value (Any): A JSON-serialisable value.
    RETURNS (bytes): UTF-8 JSON, keys in their order, non-ASCII as is, a final newline.

    EXAMPLE:
        >>> json_bytes({"a": [1]})
        b'{\n  "a": [\n    1\n  ]\n}\n'
    """
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_json_lines(fh: IO | HashingFile, records: Iterable[Any]) -> int:
    """Write records to an open file, one :func:`json_line` each.

    fh (IO | HashingFile): A file open for writing text.
    records (Iterable[Any]): The records.
    RETURNS (int): The number of records written.
    """
    count, block = 0, []
    for record in records:
        block.append(_ENCODE(record))
        count += 1
        if len(block) == 1000:  # written (encoded, hashed) a block at a time, not a line at a time
            fh.write("\n".join(block) + "\n")
            block = []
    if block:
        fh.write("\n".join(block) + "\n")
    return count


def write_jsonl(path: Path, records: Iterable[Any]) -> int:
    """Write one JSON object per line (:func:`json_line`), atomically (:func:`atomic_write`).

    path (Path): The file to write.
    records (Iterable[Any]): The records.
    RETURNS (int): The number of records written.
    """
    with atomic_write(path) as fh:
        return write_json_lines(fh, records)


def read_jsonl(path: Path, producer: str) -> Iterator[tuple[int, dict]]:
    """Read a JSON-lines file one record at a time; blank lines are skipped, a bad line raises.

    path (Path): The file.
    producer (str): The command that writes it (named in the messages: "run `annotate PRODUCER`").
    RETURNS (Iterator[tuple[int, dict]]): ``(line number, record)`` per line.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(Errors.E010.format(path=path, producer=producer))
    with path.open("r", encoding="utf-8", errors="strict", newline="") as fh:
        line_no = 0
        try:
            for line_no, line in enumerate(fh, start=1):
                if line.isspace():  # a blank line (no copy of the line is made)
                    continue
                try:
                    record = srsly.json_loads(line)
                except ValueError as err:
                    raise InvalidInputError(
                        Errors.E011.format(path=path, line=line_no, reason=err, producer=producer)
                    ) from None
                if not isinstance(record, dict):
                    raise InvalidInputError(Errors.E012.format(path=path, line=line_no, reason="not a JSON object"))
                yield line_no, record
        except UnicodeDecodeError as err:
            raise InvalidInputError(
                Errors.E011.format(path=path, line=line_no + 1, reason=f"not UTF-8: {err.reason}", producer=producer)
            ) from None
