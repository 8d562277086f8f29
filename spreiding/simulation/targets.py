"""Multi-year targets ("stip op de horizon"): parsing, and evaluation over the replications.

A target reads ``SUBJECT OP VALUE@YEAR``:

* ``buiten-randstad>=0.45@2030``: the share of fte outside the Randstad is at least 45%
  on 1 January 2030 (``45%`` works too); ``randstad<=0.55@2030`` is the mirror image;
* ``PV22>=9000@2030``: Drenthe has at least 9,000 fte;
* ``PV22>=+1500@2030``: Drenthe has gained at least 1,500 fte since the start year: a value
  with an explicit sign is a change against the start year, for any subject;
* ``totaal<=350000@2033``: the national total.

For each scenario a target gets the probability that it holds in its year (the share of
replications), and the first year from which it holds: per replication the first year from
which the target holds in every later simulated year, and of those the (lower) median, or
"niet bereikt" when in half of the replications it does not hold to the end. A target met at
the start but lost later is therefore not "reached" at the start.

People read a target in words (:attr:`Target.words`): "aandeel buiten de Randstad ten minste
45% in 2033", "Drenthe +1.500 fte in 2030".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spreiding.core.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

SHARE_SUBJECTS = ("buiten-randstad", "randstad")
FTE_SUBJECTS = ("totaal",)
NOT_REACHED = "niet bereikt"

_PATTERN = re.compile(
    r"^\s*(?P<subject>[A-Za-z0-9-]+)\s*(?P<op>>=|<=)\s*"
    r"(?P<value>[+-]?\d+(?:[.,]\d+)?)(?P<pct>%?)\s*@\s*(?P<year>\d{4})\s*$"
)
_PROVINCE = re.compile(r"^PV(2\d|3[01])$")


@dataclass(frozen=True)
class Target:
    """One parsed target."""

    text: str
    subject: str  # buiten-randstad, randstad, totaal or a province code
    op: str  # ">=" or "<="
    value: float
    relative: bool  # compared with the start year
    year: int

    @property
    def is_share(self) -> bool:
        """Whether the subject is a share (0..1) rather than a number of fte."""
        return self.subject in SHARE_SUBJECTS

    @property
    def words(self) -> str:
        """The target as a Dutch sentence fragment, numbers written the Dutch way.

        "aandeel buiten de Randstad ten minste 45% in 2033", "Drenthe +1.500 fte in 2030"
        (a change since the start year that is at least this), "totaal ten hoogste
        350.000 fte in 2033".
        """
        from spreiding.core.dutch import number, percentage

        bound = "ten minste" if self.op == ">=" else "ten hoogste"
        if self.is_share:
            subject = (
                f"aandeel {'buiten de' if self.subject == 'buiten-randstad' else 'in de'} Randstad"
            )
            if self.relative:
                points = number(self.value * 100, 1)
                sign = "+" if self.value >= 0 else ""
                amount = f"{sign}{points} procentpunt t.o.v. het startjaar"
            else:
                amount = percentage(self.value, 0 if round(self.value * 100, 6).is_integer() else 1)
            return f"{subject} {bound} {amount} in {self.year}"
        subject = "totaal" if self.subject == "totaal" else _province_name(self.subject)
        amount = number(self.value, 0 if float(self.value).is_integer() else 1)
        if self.relative:
            sign = "+" if self.value >= 0 else ""
            change = f"{sign}{amount} fte in {self.year}"
            return f"{subject} {change}" if self.op == ">=" else f"{subject} {bound} {change}"
        return f"{subject} {bound} {amount} fte in {self.year}"


def _province_name(code: str) -> str:
    from spreiding.geography.reference import provinces

    return next((p.name for p in provinces() if p.code == code), code)


def parse_target(text: str) -> Target:
    """Parse ``text``; a malformed target raises InvalidInput naming it and the form."""
    match = _PATTERN.match(text)
    form = 'use SUBJECT>=VALUE@YEAR, e.g. "buiten-randstad>=0.45@2030" or "PV22>=+1500@2030"'
    if not match:
        raise InvalidInput(f"target {text!r} is malformed; {form}")
    subject = match["subject"]
    subject = subject.upper() if _PROVINCE.match(subject.upper()) else subject.lower()
    if subject not in (*SHARE_SUBJECTS, *FTE_SUBJECTS) and not _PROVINCE.match(subject):
        raise InvalidInput(
            f"target {text!r}: unknown subject {match['subject']!r}; use buiten-randstad, "
            "randstad, totaal or a province code PV20..PV31"
        )
    raw = match["value"].replace(",", ".")
    value = float(raw) / (100 if match["pct"] else 1)
    relative = raw[0] in "+-"
    _check_value(text, subject, value, relative, bool(match["pct"]))
    return Target(text.strip(), subject, match["op"], value, relative, int(match["year"]))


def _check_value(text: str, subject: str, value: float, relative: bool, pct: bool) -> None:
    share = subject in SHARE_SUBJECTS
    if pct and not share:
        raise InvalidInput(f"target {text!r}: a percentage only fits a share (buiten-randstad)")
    if share and not relative and not 0 <= value <= 1:
        raise InvalidInput(f"target {text!r}: a share lies between 0 and 1 (or 0% and 100%)")
    if share and relative and not -1 <= value <= 1:
        raise InvalidInput(f"target {text!r}: a change of a share lies between -1 and +1")


def parse_targets(texts: list[str] | tuple[str, ...]) -> list[Target]:
    """Parse several targets, dropping exact duplicates and keeping the given order."""
    return [parse_target(t) for t in dict.fromkeys(texts)]


def check_years(targets: list[Target], first: int, last: int) -> None:
    """Refuse a target whose year lies outside the simulated years ``first..last``."""
    for target in targets:
        if not first <= target.year <= last:
            raise InvalidInput(
                f"target {target.text!r}: year {target.year} is outside the simulated years "
                f"{first}-{last}; change --years or the target's year"
            )


@dataclass(frozen=True)
class TargetResult:
    """The outcome of one target in one scenario."""

    scenario: str
    target: str
    year: int
    probability: float  # that it holds in its year
    first_year: int | None  # the median first year from which it holds to the end
    words: str = ""  # the target in Dutch words

    @property
    def first_year_text(self) -> str:
        """The first year from which it holds, or "niet bereikt"."""
        return NOT_REACHED if self.first_year is None else str(self.first_year)


def series(
    target: Target, provinces: np.ndarray, codes: tuple[str, ...], randstad: tuple[str, ...]
) -> np.ndarray:
    """The target's subject per replication and year (replications x years)."""
    import numpy as np

    if target.subject in SHARE_SUBJECTS:
        mask = np.array([c in randstad for c in codes])
        inside = provinces[:, :, mask].sum(axis=2) / provinces.sum(axis=2)
        values = inside if target.subject == "randstad" else 1.0 - inside
    elif target.subject == "totaal":
        values = provinces.sum(axis=2)
    else:
        values = provinces[:, :, codes.index(target.subject)]
    return values - values[:, :1] if target.relative else values


def evaluate(
    target: Target,
    scenario: str,
    provinces: np.ndarray,
    codes: tuple[str, ...],
    randstad: tuple[str, ...],
    first_year: int,
) -> TargetResult:
    """Probability and first year holding for ``target`` over replications x years x provinces."""
    import numpy as np

    values = series(target, provinces, codes, randstad)
    reached = values >= target.value if target.op == ">=" else values <= target.value
    probability = float(reached[:, target.year - first_year].mean())
    # per replication the first year from which it holds in every later year: after the
    # last year in which it does not hold (reversed cumulative "all")
    holds_on = np.flip(np.logical_and.accumulate(np.flip(reached, axis=1), axis=1), axis=1)
    never = np.iinfo(np.int64).max
    first = np.where(holds_on[:, -1], holds_on.argmax(axis=1), never)
    ordered = np.sort(first)
    median = int(ordered[(len(ordered) + 1) // 2 - 1])  # the lower median: half hold from it
    year = None if median == never else first_year + median
    return TargetResult(scenario, target.text, target.year, probability, year, target.words)
