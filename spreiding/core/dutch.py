"""Numbers and dates the Dutch way, for everything policy staff read: 336.270 fte, 59,7%,
1 juni 2026.

One place for it, so that a report, a chart, a mail, a CLI table and the bijsluiter write the
same number the same way. One rounding rule for all of them: half away from zero, on the
number as it is written (2,675 rounds to 2,68, 0,5 to 1 and -0,5 to -1), as tables for people
do; Python's ``round()`` and ``format()`` go to even and trip over binary fractions. A value
that rounds to zero is written without a sign ("0", never "-0").
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_number(text: str) -> str:
    """Swap the separators of a formatted number: ``"1,234.5"`` becomes ``"1.234,5"``."""
    return text.translate(str.maketrans(",.", ".,"))


def rounded(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded to ``decimals`` by the one rule: half away from zero, as written."""
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a Dutch number")
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return exact + 0 if exact else abs(exact)  # -0 becomes 0


def half_up(value: float) -> int:
    """``value`` rounded to a whole number by the one rule: ``half_up(2.5) == 3``."""
    return int(rounded(value))


def number(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """A number with thousands dots and a decimal comma: ``number(1234.5, 1) == "1.234,5"``.

    With ``sign`` a positive number gets a plus: ``number(14874, sign=True) == "+14.874"``;
    zero never has a sign.
    """
    exact = rounded(value, decimals)
    plus = "+" if sign and exact else ""
    return dutch_number(f"{exact:{plus},.{decimals}f}")


def whole(value: float | None) -> str:
    """A count or a number of fte, rounded to a whole: ``whole(336269.6) == "336.270"``.

    Blank when unknown (None).
    """
    return "" if value is None else number(value)


def signed(value: float | None) -> str:
    """A change with its sign, rounded to a whole: ``+14.874``, ``-312``, ``0``; blank for None."""
    return "" if value is None else number(value, sign=True)


def percentage(fraction: float | None, decimals: int = 1, *, sign: bool = False) -> str:
    """A fraction as a percentage: ``percentage(0.5966) == "59,7%"``; blank for None.

    Rounded once, on the percentage as written (0.0435 is 4,4%).
    """
    if fraction is None:
        return ""
    return number(_percent(fraction), decimals, sign=sign) + "%"


def points(fraction: float | None, decimals: int = 1) -> str:
    """A change of a share in percentage points: ``points(0.003) == "+0,3 procentpunt"``."""
    if fraction is None:
        return ""
    return number(_percent(fraction), decimals, sign=True) + " procentpunt"


def _percent(fraction: float) -> float:
    # Via the decimal text, so that 0.0435 is 4.35 (and rounds to 4,4), not 4.3499999.
    return float(Decimal(repr(float(fraction))) * 100) if math.isfinite(fraction) else fraction


def date_text(d: date) -> str:
    """A date as Dutch text reads it: ``1 juni 2026``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


# -- reading numbers as typed -------------------------------------------------------------

_PLAIN = re.compile(r"^\d+(?:[.,]\d+)?$", re.ASCII)
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$", re.ASCII)
_AMBIGUOUS = re.compile(r"^\d{1,3}(?:\.\d{3})+$", re.ASCII)


def whole_number(text: str) -> int | None:
    """A whole number of at least 0 as typed, in the digits 0-9 only; None for anything else.

    ``str.isdigit`` also passes ``²`` and other digits ``int`` refuses, so it is not enough.
    """
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


class NotANumber(ValueError):
    """Typed text that is not one number as Dutch staff write it; the text says why."""


def read_number(text: str) -> float:
    """A number as typed on a form: ``150``, ``12,5``, ``12.5``, ``1.234,5`` (thousands dots).

    ``1.234`` could be 1234 or 1,234 and is refused, as are ``1,234.5``, ``1e3``, ``nan``.
    """
    text = text.strip().replace(" ", "")
    if _AMBIGUOUS.match(text):
        raise NotANumber(
            f"{text!r} kan {text.replace('.', '')} of {text.replace('.', ',')} betekenen; "
            "schrijf het zonder punt (1234) of met een komma voor de decimalen (1,234)."
        )
    if _GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN.match(text):
        return float(text.replace(",", "."))
    raise NotANumber(f"{text!r} is geen getal; schrijf bijvoorbeeld 150 of 12,5.")
