"""Money in templates: ``{{ value|pounds }}`` → £1,234.50 (or -£12.00 for a reversal)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from involvement.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(value) -> str:
    if value is None or value == "":
        return _pounds(Decimal("0"))
    try:
        return _pounds(Decimal(str(value)))
    except InvalidOperation:
        return ""


@register.filter
def hours(value) -> str:
    """2.50 → 2.5, 3.00 → 3."""
    if value is None or value == "":
        return "0"
    return f"{Decimal(str(value)).normalize():f}"
