"""The store: SQLModel tables, engine and sessions, reference data and the demo data set."""

from spreiding.models.tables import (
    Case,
    CaseEvent,
    CaseType,
    Confidentiality,
    CoropRegion,
    Ministry,
    Municipality,
    Organisation,
    Province,
    Sector,
    Submission,
    WorkforceCount,
)

__all__ = [
    "Case",
    "CaseEvent",
    "CaseType",
    "Confidentiality",
    "CoropRegion",
    "Ministry",
    "Municipality",
    "Organisation",
    "Province",
    "Sector",
    "Submission",
    "WorkforceCount",
]
