"""Reading a Label Studio export file: streamed with ijson, parsed by :mod:`annotate.labelstudio.export`.

The file is read here; what its JSON means is decided by the pure parser. A file whose top level is not a
list is read whole, so the parser can say precisely what it is instead (a dict, a string, no JSON at all).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import srsly

from annotate.errors import Errors, InvalidInputError
from annotate.labelstudio.export import ExportTask, check_format, parse_export, parse_items
from annotate.labelstudio.label_config import SpanSource

BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark, as some editors save JSON: skipped
_END = object()


def iter_export_file(
    path: Path | str,
    where: str,
    text_key: str | None = None,
    span_source: SpanSource | None = None,
    users: dict | None = None,
) -> tuple[str, Iterator[ExportTask]]:
    """Stream an export file's tasks, one task parsed at a time.

    Label Studio's JSON (and legacy JSON) exports are read with ijson, so memory does not grow with the
    export; JSON-MIN, one record per annotation, is grouped by task in memory.

    path (Path | str): The export file (Label Studio's JSON or JSON-MIN export).
    where (str): What to call the export in error messages.
    text_key (str | None): The task data field holding the text (see :func:`~annotate.labelstudio.export.parse_export`).
    span_source (SpanSource | None): The project's span controls, from its labeling config (see
        :func:`~annotate.labelstudio.export.parse_export`).
    users (dict | None): Label Studio user ids to emails (a live pull knows them).
    RETURNS (tuple[str, Iterator[ExportTask]]): The format and the tasks. Errors (also ones met later, while
        iterating) are InvalidInputErrors naming ``where``.

    EXAMPLE:
        >>> import json, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.json"
        >>> _ = path.write_text(json.dumps([{"id": 1, "data": {"text": "Ada"}, "annotations": []}]))
        >>> fmt, tasks = iter_export_file(path, "export.json")
        >>> fmt, [t.document.text for t in tasks]
        ('json', ['Ada'])
    """
    with open(path, "rb") as fh:
        head = fh.read(64).removeprefix(BOM).lstrip()
    if not head.startswith(b"["):  # not a list: let the whole-value parser say precisely what it is
        try:
            value = srsly.json_loads(Path(path).read_bytes().removeprefix(BOM))
        except (ValueError, UnicodeDecodeError) as err:
            raise InvalidInputError(Errors.E070.format(path=where, reason=err)) from None
        fmt, tasks = parse_export(value, where, text_key=text_key, span_source=span_source, users=users)
        return fmt, iter(tasks)
    stream = _items(path, where)
    first = next(stream, _END)
    if first is _END:
        raise InvalidInputError(Errors.E074.format(path=where))
    fmt = check_format(first, where)
    return fmt, parse_items(itertools.chain([first], stream), fmt, where, text_key, span_source, users)


def _items(path: Path | str, where: str) -> Iterator[Any]:
    """The items of a JSON list file, decoded one at a time (a byte-order mark skipped)."""
    import ijson  # imported when a file is streamed: the CLI starts without it

    with open(path, "rb") as fh:
        if fh.read(len(BOM)) != BOM:
            fh.seek(0)
        try:
            yield from ijson.items(fh, "item", use_float=True)
        except (ijson.JSONError, UnicodeDecodeError) as err:
            raise InvalidInputError(Errors.E070.format(path=where, reason=err)) from None
