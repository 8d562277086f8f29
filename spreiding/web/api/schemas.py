"""The base of every JSON request body of the API.

A field the API does not know is refused (422, "is geen veld van dit verzoek"), never
ignored: ``{"enabled": false}`` for ``{"disabled": true}`` would otherwise answer 200 and
block nothing, and a misspelled ``handler_emial`` would register a plan without its handler.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RequestBody(BaseModel):
    """A request body whose unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")
