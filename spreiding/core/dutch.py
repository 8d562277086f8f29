"""Numbers and dates the Dutch way, for everything policy staff read: 336.270 fte, 59,7%,
1 juni 2026.

One place for it, so that a report, a chart, a mail and the bijsluiter write the same number
the same way.
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_number(text: str) -> str:
    """Swap the separators of a formatted number: ``"1,234.5"`` becomes ``"1.234,5"``."""
    return text.translate(str.maketrans(",.", ".,"))


def number(value: float, decimals: int = 0) -> str:
    """A number with thousands dots and a decimal comma: ``number(1234.5, 1) == "1.234,5"``."""
    return dutch_number(f"{value:,.{decimals}f}")


def percentage(fraction: float, decimals: int = 1) -> str:
    """A fraction as a percentage: ``percentage(0.5966) == "59,7%"``."""
    return number(fraction * 100, decimals) + "%"


def date_text(d: date) -> str:
    """A date as Dutch text reads it: ``1 juni 2026``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
