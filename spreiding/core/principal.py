"""Who acts: the principal that every service function which reads or writes cases takes.

On the web it is the signed-in account (``via`` ``web`` for a browser session, ``api`` for a
bearer token); on the command line it is whoever has a shell on the server host, trusted as an
administrator, acting ``--as`` a role and naming themselves with ``--actor``, with the
operating-system user recorded beside it. The audit trail records :meth:`Principal.provenance`
with every event, so a trail shows which acts came through which door.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Via = Literal["web", "api", "cli"]
VIAS: tuple[Via, ...] = ("web", "api", "cli")


@dataclass(frozen=True, slots=True)
class Principal:
    """A role, the name the audit trail shows, and where the act came from."""

    role: str
    name: str
    account_id: int | None = None
    via: Via = "cli"
    os_user: str | None = None

    def __post_init__(self) -> None:
        if self.via not in VIAS:
            raise ValueError(f"via must be one of {', '.join(VIAS)}, got {self.via!r}")

    def provenance(self) -> dict[str, object]:
        """What the audit event records besides actor and role: account, door, OS user."""
        data: dict[str, object] = {"actor_account": self.account_id, "via": self.via}
        if self.os_user is not None:
            data["os_user"] = self.os_user
        return data
