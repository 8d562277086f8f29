"""The one label of synthetic demo data, for every view that shows it.

Real per-province tables are not available: the demo set is invented. Every report, table,
chart, page, artifact and JSON document that shows demo data says so with this mark.
"""

from __future__ import annotations

SYNTHETIC_MARK = "SYNTHETISCHE DEMODATA"
# What is invented in the demo store's fte figures (models.demo, every view of them).
INVENTED_DISTRIBUTION = "verzonnen verdeling, alleen de gepubliceerde totalen kloppen"


def synthetic_label(what: str) -> str:
    """The mark with what is invented: ``SYNTHETISCHE DEMODATA: verzonnen verdeling, ...``."""
    return f"{SYNTHETIC_MARK}: {what}"
