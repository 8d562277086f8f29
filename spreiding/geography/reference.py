"""Reference geography of the Netherlands: provinces, COROP regions and municipalities.

The CSV files are package data (copied from the CBS 2025 classification), so nothing reads
outside the package at run time. :class:`Gazetteer` finds a municipality by its CBS code or its
name, case- and accent-insensitively, with the common aliases people actually write
("Den Haag" for 's-Gravenhage, "Den Bosch" for 's-Hertogenbosch).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TextIO

from spreiding.core.dutch import whole_number
from spreiding.core.errors import InvalidInput, NotFound

DATA = files("spreiding.geography") / "data"

# Names in common use that differ from the CBS name. Keys are normalised (see _key).
ALIASES: dict[str, str] = {
    "den haag": "GM0518",
    "the hague": "GM0518",
    "s gravenhage": "GM0518",
    "den bosch": "GM0796",
    "s hertogenbosch": "GM0796",
    "hengelo": "GM0164",
    "bergen nh": "GM0373",
    "bergen l": "GM0893",
    "sudwest friesland": "GM1900",
    "noordoost friesland": "GM1970",
}


@dataclass(frozen=True, slots=True)
class Province:
    """One of the twelve provinces (CBS code PV20..PV31)."""

    code: str
    name: str
    randstad_default: bool


@dataclass(frozen=True, slots=True)
class CoropRegion:
    """One of the forty COROP regions (CBS code CR01..CR40)."""

    code: str
    name: str
    province_code: str


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality (CBS code GMxxxx) with its province and COROP region."""

    code: str
    name: str
    province_code: str
    corop_code: str


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(_skip_comments(handle))


def _skip_comments(handle: TextIO) -> Iterator[str]:
    return (line for line in handle if not line.startswith("#"))


@cache
def provinces() -> tuple[Province, ...]:
    """The twelve provinces in CBS code order."""
    return tuple(
        Province(r["cbs_code"], r["name"], r["randstad_default"] == "true")
        for r in _rows("provinces.csv")
    )


@cache
def corop_regions() -> tuple[CoropRegion, ...]:
    """The forty COROP regions in code order."""
    return tuple(
        CoropRegion(r["corop_code"], r["name"], r["province_code"]) for r in _rows("corop.csv")
    )


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The 342 municipalities of 2025 in code order."""
    rows = (
        Municipality(r["gm_code"], r["name"], r["province_code"], r["corop_code"])
        for r in _rows("municipalities_2025.csv")
    )
    return tuple(sorted(rows, key=lambda m: m.code))


def _key(text: str) -> str:
    """Fold case, accents, quotes and punctuation so 'Súdwest-Fryslân' == 'sudwest fryslan'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(words)


class Gazetteer:
    """Look-ups of provinces, COROP regions and municipalities by code or name."""

    def __init__(self) -> None:
        self.provinces = {p.code: p for p in provinces()}
        self.corop_regions = {c.code: c for c in corop_regions()}
        self.municipalities = {m.code: m for m in municipalities()}
        by_name: dict[str, set[str]] = {}
        for m in self.municipalities.values():
            by_name.setdefault(_key(m.name), set()).add(m.code)
            # "Bergen" alone stands for two places: keep both candidates, refuse on use.
            by_name.setdefault(_key(m.name.split(" (")[0]), set()).add(m.code)
        for alias, code in ALIASES.items():
            by_name.setdefault(alias, set()).add(code)
        self._by_name = by_name
        self._province_by_name = {_key(p.name): p.code for p in self.provinces.values()}
        self._province_by_name["friesland"] = "PV21"

    def find_municipality(self, text: str) -> Municipality | None:
        """The municipality named by CBS code or name, or None; ambiguous names raise."""
        wanted = text.strip()
        code = wanted.upper()
        number = whole_number(code)
        if number is not None:
            code = f"GM{number:04d}"
        if code in self.municipalities:
            return self.municipalities[code]
        candidates = sorted(self._by_name.get(_key(wanted), ()))
        if len(candidates) > 1:
            names = " of ".join(f"{self.municipalities[c].name} ({c})" for c in candidates)
            raise InvalidInput(
                f"gemeente {wanted!r} is dubbelzinnig: er zijn er meer met die naam; "
                f"gebruik {names}"
            )
        return self.municipalities[candidates[0]] if candidates else None

    def municipality(self, text: str) -> Municipality:
        """Like :meth:`find_municipality`, but an unknown name raises :class:`NotFound`."""
        found = self.find_municipality(text)
        if found is None:
            raise NotFound(
                f"gemeente {text.strip()!r} is onbekend; geef een CBS-code (GM0518) of naam"
            )
        return found

    def province(self, text: str) -> Province:
        """The province named by CBS code (PV27) or name (Noord-Holland); unknown raises."""
        code = text.strip().upper()
        code = self._province_by_name.get(_key(text), code)
        if code not in self.provinces:
            raise NotFound(
                f"provincie {text.strip()!r} is onbekend; geef een CBS-code (PV20..PV31) of naam"
            )
        return self.provinces[code]


@cache
def gazetteer() -> Gazetteer:
    """The shared, read-only gazetteer (built once per process, about a millisecond)."""
    return Gazetteer()
