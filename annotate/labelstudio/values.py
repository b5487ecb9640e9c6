"""Values of an export as they come in the wild (numbers as strings, ids as objects, epoch times), read. Pure."""

from __future__ import annotations

import math
from typing import Any, TypeGuard


def is_int(value: Any) -> TypeGuard[int]:
    """Whether a JSON value is an integer (not a boolean).

    value (Any): A decoded JSON value.
    RETURNS (bool): True for an int that is not a bool.
    """
    return isinstance(value, int) and not isinstance(value, bool)


def float_or_none(value: Any) -> float | None:
    """A number of seconds from what an export writes: a number or a numeric string.

    value (Any): The exported value (``lead_time``).
    RETURNS (float | None): The number; None for null, "n/a", NaN, infinities and anything else.

    EXAMPLE:
        >>> float_or_none("12.5"), float_or_none("n/a"), float_or_none(None)
        (12.5, None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        number = None if value is None else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number is not None and math.isfinite(number) else None


def key_or_none(value: Any) -> int | str | None:
    """An id usable as a key: a number or a string; anything else (an object, a list) is no usable id.

    value (Any): The exported id.
    RETURNS (int | str | None): The id, or None.

    EXAMPLE:
        >>> key_or_none(7), key_or_none({"id": 7})
        (7, None)
    """
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def time_or_none(value: Any) -> str | None:
    """A time stamp as text: ISO strings as they are, numbers (old exports' epoch seconds) as text.

    value (Any): The exported ``created_at`` or ``updated_at``.
    RETURNS (str | None): The time stamp, or None (missing, empty, or not a time).

    EXAMPLE:
        >>> time_or_none("2024-05-01T10:00:00Z"), time_or_none(1589000000), time_or_none({})
        ('2024-05-01T10:00:00Z', '1589000000', None)
    """
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None
