"""One result of an exported annotation, checked: a kept span, or the reason it is rejected. Pure.

Offsets: Label Studio 1.23 stores text spans in Unicode code points, the same as Python. Exports made by tools that
count UTF-16 code units (JavaScript string indices) disagree after any character outside the Basic Multilingual
Plane; such a span is recognised when its UTF-16 reading matches its ``text`` and converted.
"""

from __future__ import annotations

from typing import Any

from annotate.core.spans import Span, trim_span

__all__ = ["SPAN_TYPES", "check_result", "same_but_whitespace", "trim_span", "utf16_to_codepoints"]

SPAN_TYPES = ("labels",)


def utf16_to_codepoints(text: str, offset: int) -> int | None:
    """The code point index of a UTF-16 code unit offset, or None if it falls inside a surrogate pair.

    text (str): The text the offset counts in.
    offset (int): An offset in UTF-16 code units (JavaScript string indices).
    RETURNS (int | None): The same place in code points (Python string indices), or None.

    EXAMPLE:
        >>> utf16_to_codepoints("\U0001f600 Ada", 3)
        2
    """
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            return None
    return len(text) if units == offset else None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


UTF16_CONVERTED = "utf16_converted"  # kept: UTF-16 offsets, converted to code points
TEXT_WHITESPACE_DIFFERS = "text_whitespace_differs"  # kept by its offsets: the cached text differs only in whitespace


def same_but_whitespace(a: str, b: str) -> bool:
    """Whether two texts differ only in whitespace (where it is, how much, which kind).

    a (str): One text.
    b (str): The other.
    RETURNS (bool): True if they are equal once every whitespace character is removed.

    EXAMPLE:
        >>> same_but_whitespace("Luke Skywalker", "Luke  Skywalker "), same_but_whitespace("Luke", "Luk")
        (True, False)
    """
    return "".join(a.split()) == "".join(b.split())


def check_result(result: Any, text: str, labels: set[str] | None) -> tuple[Span | None, str, str, str]:
    """Validate one export result against its text.

    A span whose cached ``value.text`` differs from ``text[start:end]`` only in whitespace (a trailing space the
    offsets do not cover) is kept by its offsets, noted ``text_whitespace_differs``; any other difference is a
    ``text_mismatch``.

    result (Any): One result object of an annotation.
    text (str): The document's text.
    labels (set[str] | None): The label set (None: every label).
    RETURNS (tuple[Span | None, str, str, str]): ``(span, reason, detail, note)``: ``span`` is None when rejected,
        and then ``reason`` is a key of REASONS; ``note`` is ``""``, ``"utf16_converted"`` or
        ``"text_whitespace_differs"`` for a kept span.

    EXAMPLE:
        >>> check_result({"type": "labels", "value": {"start": 0, "end": 3, "labels": ["PER"]}}, "Ada", None)
        (Span(start=0, end=3, label='PER'), '', '', '')
        >>> check_result({"type": "labels", "value": {"start": 0, "end": 3, "labels": ["PER"], "text": "Ada "}},
        ...              "Ada met", None)
        (Span(start=0, end=3, label='PER'), '', '', 'text_whitespace_differs')
    """
    # The common case first, in as few steps as possible: a labels result with integer offsets,
    # one label, and its text equal to the document's text there.
    value = result.get("value") if type(result) is dict and result.get("type") in SPAN_TYPES else None
    if type(value) is dict:
        start, end, span_labels = value.get("start"), value.get("end"), value.get("labels")
        if type(start) is int and type(end) is int and type(span_labels) is list and len(span_labels) == 1:
            label = span_labels[0]
            quoted = value.get("text")
            if (
                type(label) is str
                and (labels is None or label in labels)
                and 0 <= start < end <= len(text)
                and (quoted is None or text[start:end] == quoted)
            ):
                return Span(start, end, label), "", "", ""
    if not isinstance(result, dict) or result.get("type") not in SPAN_TYPES:
        kind = result.get("type") if isinstance(result, dict) else type(result).__name__
        return None, "not_a_span", f"type {kind!r}", ""
    value = result.get("value")
    if not isinstance(value, dict):
        return None, "malformed", "no value", ""
    start, end, span_labels = _as_int(value.get("start")), _as_int(value.get("end")), value.get("labels")
    if start is None or end is None or not isinstance(span_labels, list) or not span_labels:
        return None, "malformed", f"start={value.get('start')!r} end={value.get('end')!r} labels={span_labels!r}", ""
    if len(span_labels) > 1:
        return None, "several_labels", ", ".join(map(str, span_labels)), ""
    label = str(span_labels[0])
    if labels is not None and label not in labels:
        return None, "label_not_in_schema", label, ""
    quoted = value.get("text")
    inside = 0 <= start < end <= len(text)
    if inside and (not isinstance(quoted, str) or text[start:end] == quoted):
        return Span(start, end, label), "", "", ""
    # A UTF-16 (JavaScript) reading of the offsets?
    s16, e16 = utf16_to_codepoints(text, start), utf16_to_codepoints(text, end)
    if (
        s16 is not None
        and e16 is not None
        and s16 < e16
        and (s16, e16) != (start, end)
        and (not isinstance(quoted, str) or text[s16:e16] == quoted)
    ):
        return Span(s16, e16, label), "", "", UTF16_CONVERTED
    if inside and isinstance(quoted, str) and same_but_whitespace(text[start:end], quoted):
        return Span(start, end, label), "", "", TEXT_WHITESPACE_DIFFERS
    if not inside:
        return None, "outside_text", f"{start}-{end} in a text of {len(text)} characters", ""
    return None, "text_mismatch", f"{text[start:end]!r} != {quoted!r}", ""
