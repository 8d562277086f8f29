"""The store: SQLModel tables, engine and sessions, reference data and the demo data set."""

from spreiding.models.tables import (
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
