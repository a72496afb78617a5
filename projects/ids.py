"""Reading a record number from text a visitor controls: a query string, a form value, a token."""

from __future__ import annotations

# A primary key is a 64-bit integer: 18 digits always fit.
_MAX_DIGITS = 18


def id_from(value: object) -> int | None:
    """``value`` as a record number, or None when it is not one.

    ``str.isdigit()`` alone is not enough: it is true for "²" and "٣", which ``int()`` then
    rejects or reads as another number, and a 5,000-digit string makes ``int()`` raise too.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > _MAX_DIGITS:
        return None
    return int(value)
