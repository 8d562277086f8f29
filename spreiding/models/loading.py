"""Creating a database and filling it: reference geography and the synthetic demo set.

Both loaders are idempotent: they insert what is missing and leave what is there, so
``spreiding init`` run twice changes nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from spreiding.geography import reference
from spreiding.models import demo
from spreiding.models.db import migrate, session_scope
from spreiding.models.tables import (
    CoropRegion,
    Ministry,
    Municipality,
    Organisation,
    Province,
    Submission,
    WorkforceCount,
)


@dataclass(frozen=True, slots=True)
class InitReport:
    """What ``init`` added: rows per table (zero everywhere on a second run)."""

    added: dict[str, int]

    @property
    def changed(self) -> bool:
        """Whether anything was added."""
        return any(self.added.values())


def _add_missing(session: Session, model: type, rows: list[dict], key: str = "code") -> int:
    present = set(session.scalars(select(getattr(model, key))))
    new = [row for row in rows if row[key] not in present]
    if new:
        session.execute(insert(model), new)
    return len(new)


def load_reference(session: Session) -> dict[str, int]:
    """Insert the provinces, COROP regions and municipalities that are missing."""
    return {
        "province": _add_missing(
            session, Province, [{"code": p.code, "name": p.name} for p in reference.provinces()]
        ),
        "corop_region": _add_missing(
            session,
            CoropRegion,
            [
                {"code": c.code, "name": c.name, "province_code": c.province_code}
                for c in reference.corop_regions()
            ],
        ),
        "municipality": _add_missing(
            session,
            Municipality,
            [
                {
                    "code": m.code,
                    "name": m.name,
                    "province_code": m.province_code,
                    "corop_code": m.corop_code,
                }
                for m in reference.municipalities()
            ],
        ),
    }


def demo_loaded(session: Session) -> bool:
    """Whether the synthetic demo set is in this database."""
    found = session.scalars(select(Submission.id).where(Submission.synthetic).limit(1)).first()
    return found is not None


def load_demo(session: Session) -> dict[str, int]:
    """Insert the synthetic demo ministries, organisations and counts, once."""
    added = {
        "ministry": _add_missing(
            session, Ministry, [{"code": c, "name": n} for c, n in demo.MINISTRIES]
        ),
        "organisation": _add_missing(
            session,
            Organisation,
            [
                {
                    "code": o.code,
                    "name": o.name,
                    "ministry_code": o.ministry_code,
                    "sector": o.sector,
                    "is_zbo": o.is_zbo,
                    "synthetic": True,
                }
                for o in demo.ORGANISATIONS
            ],
        ),
        "submission": 0,
        "workforce_count": 0,
    }
    if demo_loaded(session):
        return added
    org_ids = dict(session.execute(select(Organisation.code, Organisation.id)).all())
    ministry_of = {o.code: o.ministry_code for o in demo.ORGANISATIONS}
    batches: dict[tuple, list[demo.DemoCount]] = defaultdict(list)
    for count in demo.build_demo_counts():
        batches[ministry_of[count.organisation_code], count.peildatum].append(count)
    for (ministry_code, peildatum), counts in sorted(batches.items()):
        submission = Submission(
            ministry_code=ministry_code,
            peildatum=peildatum,
            source=demo.SYNTHETIC_LABEL,
            row_count=len(counts),
            total_fte=float(sum(c.fte for c in counts)),
            synthetic=True,
        )
        session.add(submission)
        session.flush()
        session.execute(
            insert(WorkforceCount),
            [
                {
                    "submission_id": submission.id,
                    "organisation_id": org_ids[c.organisation_code],
                    "municipality_code": c.municipality_code,
                    "peildatum": c.peildatum,
                    "fte": float(c.fte),
                }
                for c in counts
            ],
        )
        added["submission"] += 1
        added["workforce_count"] += len(counts)
    return added


def init_database(engine: Engine, *, with_demo: bool = False) -> InitReport:
    """Migrate the database to the newest schema and load reference (and demo) data."""
    migrate(engine)
    with session_scope(engine) as session:
        added = load_reference(session)
        if with_demo:
            added |= load_demo(session)
    return InitReport(added)
