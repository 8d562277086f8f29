"""The base of every JSON request body of the API, and its number types.

A field the API does not know is refused (422, "is geen veld van dit verzoek"), never
ignored: ``{"enabled": false}`` for ``{"disabled": true}`` would otherwise answer 200 and
block nothing, and a misspelled ``handler_emial`` would register a plan without its handler.
A number field takes a JSON number only (:data:`Number`, :data:`WholeNumber`): pydantic's
lax mode would read ``true`` as 1 and ``"12"`` as 12.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Strict

from spreiding.models.figures import FIRST_YEAR, LAST_YEAR

Number = Annotated[float, Strict()]
"""A JSON number, whole or not; never a boolean or a string (422: "moet een getal zijn")."""
WholeNumber = Annotated[int, Strict()]
"""A whole JSON number; never a boolean, a string or ``1.0`` ("moet een geheel getal zijn")."""


class RequestBody(BaseModel):
    """A request body whose unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


YEARS = {"ge": FIRST_YEAR, "le": LAST_YEAR}
"""The bounds of a year parameter (``Query(**YEARS)``): the years a peildatum can be for."""
