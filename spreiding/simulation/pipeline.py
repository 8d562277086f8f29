"""The known pipeline: open and decided cases in the store, as plans the projection knows.

Whoever runs the simulation reads the location cases (``spreiding simulate`` in
:mod:`spreiding.cli.simulation`) and hands them over as :class:`KnownPlan` values: plain
numbers and codes, no store. Every replication then takes each of them from its current
state on the day it was read (:attr:`~.baseline.Baseline.known_on`), besides the plans it
draws:

* an **open** case walks on through the lifecycle from its state (the rest of its time
  there is exponential like any wait, so how long it has been there does not matter) and
  then lands like a drawn plan: withdrawn, nothing; out of scope, as planned; decided, where
  the principles point when they act and are followed (the BZK advice in its dossier when it
  has one, else a province by the regional opportunities), otherwise where it was planned;
* a **decided** case lands where it was decided (its decision's location), a krimp at once,
  a groei, nieuw or hervestiging when its RVB housing project completes.

The fte of a decided case are assumed not to be in the counts of the start peildatum yet.
Each known plan has its own row of draws in a fourth stream per replication,
``SeedSequence(seed, spawn_key=(i, 3))``, in the order given, so the drawn plans do not
change when a case is added to the store. A case whose organisation has no fte in the
start counts, or whose state the chart cannot walk on from, is left out (and counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spreiding.core.errors import InvalidInput

KINDS = ("groei", "krimp", "nieuw", "hervestiging")


@dataclass(frozen=True)
class KnownPlan:
    """One case in the store, as the projection takes it (codes and numbers only)."""

    case: int  # the case's number in the store
    kind: str  # groei, krimp, nieuw or hervestiging
    fte: float
    unit: str  # the organisation's code (a unit of the baseline)
    state: str  # its current state in the lifecycle chart
    in_scope: bool | None  # None: not yet screened (the rule decides)
    suspended_from: str | None  # the state a suspended case returns to
    location: str  # province code of the planned location (the source of a hervestiging)
    target: str | None = None  # province code of a hervestiging's destination
    advice: str | None = None  # province code BZK advised, if it has advised
    decided: str | None = None  # province code decided, for a decided case
    route: str | None = None  # how a decided case was settled: agreement or mr
    follows_advice: bool | None = None  # whether a decided case follows the BZK advice

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"case {self.case}: kind {self.kind!r} is not a plan the model has")
        if not self.fte >= 0:
            raise InvalidInput(f"case {self.case}: fte {self.fte!r} must be 0 or more")

    def to_json(self) -> list[object]:
        """The plan as it enters the data hash."""
        return [
            self.case, self.kind, round(self.fte, 6), self.unit, self.state, self.in_scope,
            self.suspended_from, self.location, self.target, self.advice, self.decided,
            self.route, self.follows_advice,
        ]  # fmt: skip


def years_after(start: date, known_on: date) -> float:
    """When the known plans enter a projection from ``start``: years after its t = 0."""
    return (known_on - start).days / 365.25
