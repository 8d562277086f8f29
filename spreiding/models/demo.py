"""The synthetic demo data set: ministries, organisations and fte counts for 2021-2023.

Real per-province tables of rijkswerkgelegenheid are not available here, so the demo data is
**synthetic** and labelled so wherever it is shown. It is built to agree with what *was*
published (``data/published_figures.csv``):

- the national totals on 1 January 2021, 2022 and 2023, exactly;
- Drenthe 2022 and its Defensie part, Limburg 2023 and its six sector parts, exactly;
- Zuid-Holland 2022 ("bijna 95.000") and Fryslân 2022 (6,700 rounded) within their rounding;
- about 60% of all fte in Noord-Holland, Zuid-Holland and Utrecht.

Everything else (how a province's fte split over sectors, organisations and municipalities)
is invented from a fixed seed with :class:`random.Random`, whose sequence for an integer seed
is stable across platforms and Python versions, so every machine builds the same set.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from spreiding.core.synthetic import INVENTED_DISTRIBUTION, synthetic_label
from spreiding.geography.reference import gazetteer

SEED = 20240508  # the date the cabinet sent the spreading letter to parliament
SYNTHETIC_LABEL = synthetic_label(INVENTED_DISTRIBUTION)
YEARS = (2021, 2022, 2023)
SECTORS = ("ministeries", "politie", "rechtspraak", "gevangeniswezen", "defensie", "zbo")

NATIONAL_TOTALS = {2021: 311_353, 2022: 321_396, 2023: 336_270}
# Province totals fixed exactly by publications, and ranges for the approximate ones.
FIXED_PROVINCE_TOTALS = {(2022, "PV22"): 7_944, (2023, "PV31"): 12_691}
PROVINCE_RANGES = {(2022, "PV28"): (94_500, 94_999), (2022, "PV21"): (6_650, 6_749)}
FIXED_CELLS = {
    (2022, "PV22", "defensie"): 2_976,
    (2023, "PV31", "ministeries"): 3_248,
    (2023, "PV31", "politie"): 3_362,
    (2023, "PV31", "rechtspraak"): 789,
    (2023, "PV31", "gevangeniswezen"): 883,
    (2023, "PV31", "defensie"): 1_599,
    (2023, "PV31", "zbo"): 2_810,
}

# Share of the national total per province in 2022; NH + ZH + UT = 0.60.
PROVINCE_SHARES = {
    "PV20": 0.042,
    "PV21": 0.0208,
    "PV22": 0.0247,
    "PV23": 0.050,
    "PV24": 0.020,
    "PV25": 0.106,
    "PV26": 0.115,
    "PV27": 0.190,
    "PV28": 0.295,
    "PV29": 0.0137,
    "PV30": 0.085,
    "PV31": 0.0378,
}
# Each year the provinces outside the Randstad gain this much of their share (relative).
OUTSIDE_DRIFT = 0.004
SECTOR_MIX = {
    "ministeries": 0.36,
    "politie": 0.19,
    "rechtspraak": 0.04,
    "gevangeniswezen": 0.05,
    "defensie": 0.16,
    "zbo": 0.20,
}

MINISTRIES = (
    ("AZ", "Ministerie van Algemene Zaken"),
    ("BZ", "Ministerie van Buitenlandse Zaken"),
    ("BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"),
    ("DEF", "Ministerie van Defensie"),
    ("EZ", "Ministerie van Economische Zaken"),
    ("FIN", "Ministerie van Financiën"),
    ("IENW", "Ministerie van Infrastructuur en Waterstaat"),
    ("JENV", "Ministerie van Justitie en Veiligheid"),
    ("LVVN", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"),
    ("OCW", "Ministerie van Onderwijs, Cultuur en Wetenschap"),
    ("SZW", "Ministerie van Sociale Zaken en Werkgelegenheid"),
    ("VWS", "Ministerie van Volksgezondheid, Welzijn en Sport"),
)

# The biggest places of each province, where an organisation's fte land by default.
HUBS: dict[str, tuple[tuple[str, float], ...]] = {
    "PV20": (("Groningen", 0.75), ("Veendam", 0.15), ("Eemsdelta", 0.10)),
    "PV21": (("Leeuwarden", 0.70), ("Heerenveen", 0.20), ("Súdwest-Fryslân", 0.10)),
    "PV22": (("Assen", 0.60), ("Emmen", 0.25), ("Hoogeveen", 0.15)),
    "PV23": (("Zwolle", 0.50), ("Enschede", 0.30), ("Deventer", 0.20)),
    "PV24": (("Lelystad", 0.60), ("Almere", 0.40)),
    "PV25": (("Apeldoorn", 0.35), ("Arnhem", 0.35), ("Nijmegen", 0.20), ("Ede", 0.10)),
    "PV26": (("Utrecht", 0.80), ("Amersfoort", 0.20)),
    "PV27": (("Amsterdam", 0.65), ("Haarlem", 0.20), ("Den Helder", 0.15)),
    "PV28": (("Den Haag", 0.70), ("Rotterdam", 0.20), ("Leiden", 0.05), ("Dordrecht", 0.05)),
    "PV29": (("Middelburg", 0.60), ("Vlissingen", 0.25), ("Goes", 0.15)),
    "PV30": (("Den Bosch", 0.40), ("Eindhoven", 0.25), ("Tilburg", 0.20), ("Breda", 0.15)),
    "PV31": (("Maastricht", 0.45), ("Heerlen", 0.30), ("Roermond", 0.15), ("Venlo", 0.10)),
}

ALL = "*"


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    """An organisation of the demo set and the provinces where it has staff (with weights)."""

    code: str
    name: str
    ministry_code: str
    sector: str
    presence: Mapping[str, float] | str  # province code -> weight, or ALL
    sites: Mapping[str, str] | None = None  # province code -> the one municipality there

    @property
    def is_zbo(self) -> bool:
        """Whether this is a zbo (an independent administrative body)."""
        return self.sector == "zbo"


def _core(code: str, name: str) -> DemoOrganisation:
    return DemoOrganisation(
        f"{code}-KERN",
        f"Kerndepartement {name}",
        code,
        "ministeries",
        {"PV28": 1.0},
        sites={"PV28": "Den Haag"},
    )


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    *(_core(code, code) for code, _ in MINISTRIES),
    DemoOrganisation("BD", "Belastingdienst", "FIN", "ministeries", ALL),
    DemoOrganisation("RWS", "Rijkswaterstaat", "IENW", "ministeries", ALL),
    DemoOrganisation(
        "DUO",
        "Dienst Uitvoering Onderwijs",
        "OCW",
        "ministeries",
        {"PV20": 6.0, "PV28": 1.0, "PV26": 0.5},
    ),
    DemoOrganisation(
        "IND",
        "Immigratie- en Naturalisatiedienst",
        "JENV",
        "ministeries",
        {"PV23": 2.0, "PV28": 2.0, "PV30": 1.0, "PV20": 0.5},
    ),
    DemoOrganisation(
        "CJIB",
        "Centraal Justitieel Incassobureau",
        "JENV",
        "ministeries",
        {"PV21": 4.0, "PV28": 0.5},
    ),
    DemoOrganisation(
        "RVO",
        "Rijksdienst voor Ondernemend Nederland",
        "EZ",
        "ministeries",
        {"PV22": 2.0, "PV23": 1.0, "PV28": 1.5, "PV26": 1.0, "PV31": 1.0},
    ),
    DemoOrganisation(
        "NVWA",
        "Nederlandse Voedsel- en Warenautoriteit",
        "LVVN",
        "ministeries",
        {"PV26": 2.0, "PV25": 1.0, "PV30": 1.0, "PV24": 1.0, "PV29": 0.5},
    ),
    DemoOrganisation("LOGIUS", "Logius", "BZK", "ministeries", {"PV28": 1.0, "PV31": 0.3}),
    DemoOrganisation("POL", "Nationale Politie", "JENV", "politie", ALL),
    DemoOrganisation("RSP", "Rechtspraak", "JENV", "rechtspraak", ALL),
    DemoOrganisation("DJI", "Dienst Justitiële Inrichtingen", "JENV", "gevangeniswezen", ALL),
    DemoOrganisation("CLAS", "Commando Landstrijdkrachten", "DEF", "defensie", ALL),
    DemoOrganisation(
        "CZSK",
        "Commando Zeestrijdkrachten",
        "DEF",
        "defensie",
        {"PV27": 3.0, "PV28": 0.5, "PV29": 0.5},
        sites={"PV27": "Den Helder"},
    ),
    DemoOrganisation(
        "CLSK",
        "Commando Luchtstrijdkrachten",
        "DEF",
        "defensie",
        {"PV21": 1.0, "PV30": 2.0, "PV31": 0.5, "PV25": 0.5},
    ),
    DemoOrganisation("KMAR", "Koninklijke Marechaussee", "DEF", "defensie", ALL),
    DemoOrganisation("UWV", "Uitvoeringsinstituut Werknemersverzekeringen", "SZW", "zbo", ALL),
    DemoOrganisation(
        "SVB",
        "Sociale Verzekeringsbank",
        "SZW",
        "zbo",
        {"PV27": 2.0, "PV26": 1.0, "PV25": 0.5, "PV30": 0.5, "PV31": 0.3},
    ),
    DemoOrganisation(
        "CBS", "Centraal Bureau voor de Statistiek", "EZ", "zbo", {"PV28": 1.0, "PV31": 1.0}
    ),
    DemoOrganisation("KAD", "Kadaster", "BZK", "zbo", {"PV25": 2.0, "PV20": 0.5, "PV31": 0.3}),
    DemoOrganisation(
        "RDW", "Dienst Wegverkeer", "IENW", "zbo", {"PV20": 1.5, "PV26": 0.5, "PV28": 0.5}
    ),
    DemoOrganisation("CAK", "Centraal Administratie Kantoor", "VWS", "zbo", {"PV28": 1.0}),
)


@dataclass(frozen=True, slots=True)
class DemoCount:
    """One synthetic fte count: organisation, municipality (CBS code), peildatum, fte."""

    organisation_code: str
    municipality_code: str
    peildatum: date
    fte: int


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split the integer ``total`` in proportion to ``weights``, summing exactly to ``total``.

    Hamilton's method: floor every quota, then give the units left over to the largest
    remainders (ties to the earlier position, so the result is deterministic).
    """
    if total < 0:
        raise ValueError(f"cannot split a negative total, got {total}")
    weight_sum = float(sum(weights))
    if total and weight_sum <= 0:
        raise ValueError("cannot split a positive total over weights that are all zero")
    if not total:
        return [0] * len(weights)
    quotas = [total * w / weight_sum for w in weights]
    shares = [int(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _province_totals(year: int, rng: random.Random, randstad: set[str]) -> dict[str, int]:
    drift = (1 + OUTSIDE_DRIFT) ** (year - 2022)
    shares = {
        code: share * (1 if code in randstad else drift) * rng.uniform(0.99, 1.01)
        for code, share in PROVINCE_SHARES.items()
    }
    codes = sorted(shares)
    totals = dict(
        zip(
            codes, largest_remainder(NATIONAL_TOTALS[year], [shares[c] for c in codes]), strict=True
        )
    )
    pinned = {code: value for (y, code), value in FIXED_PROVINCE_TOTALS.items() if y == year}
    for (y, code), (low, high) in PROVINCE_RANGES.items():
        if y == year:
            pinned[code] = min(max(totals[code], low), high)
    free = [c for c in codes if c not in pinned]
    rest = largest_remainder(
        NATIONAL_TOTALS[year] - sum(pinned.values()), [totals[c] for c in free]
    )
    return {**pinned, **dict(zip(free, rest, strict=True))}


def _sector_split(year: int, province: str, total: int, mix: Mapping[str, float]) -> dict[str, int]:
    pinned = {s: v for (y, p, s), v in FIXED_CELLS.items() if y == year and p == province}
    free = [s for s in SECTORS if s not in pinned]
    rest = largest_remainder(total - sum(pinned.values()), [mix[s] for s in free]) if free else []
    return {**pinned, **dict(zip(free, rest, strict=True))}


def _presence(org: DemoOrganisation, province: str) -> float:
    if org.presence == ALL:
        return 1.0
    assert isinstance(org.presence, Mapping)
    return org.presence.get(province, 0.0)


def _sites(org: DemoOrganisation, province: str) -> tuple[tuple[str, float], ...]:
    if org.sites and province in org.sites:
        return ((org.sites[province], 1.0),)
    return HUBS[province]


def build_demo_counts(seed: int = SEED) -> list[DemoCount]:
    """The synthetic counts for every demo year, the same list for the same seed."""
    rng = random.Random(seed)
    places = gazetteer()
    randstad = {"PV26", "PV27", "PV28"}  # the published 60% is about NH, ZH and UT
    # A province's own sector mix is fixed over the years; only its total moves.
    mixes = {
        p: {s: SECTOR_MIX[s] * rng.uniform(0.6, 1.4) for s in SECTORS} for p in PROVINCE_SHARES
    }
    org_weights = {(o.code, p): rng.uniform(0.8, 1.2) for o in ORGANISATIONS for p in mixes}
    counts: list[DemoCount] = []
    for year in YEARS:
        peildatum = date(year, 1, 1)
        for province, total in sorted(_province_totals(year, rng, randstad).items()):
            for sector, cell in _sector_split(year, province, total, mixes[province]).items():
                present = [
                    o for o in ORGANISATIONS if o.sector == sector and _presence(o, province)
                ]
                weights = [_presence(o, province) * org_weights[o.code, province] for o in present]
                for org, fte in zip(present, largest_remainder(cell, weights), strict=True):
                    sites = _sites(org, province)
                    split = largest_remainder(fte, [w for _, w in sites])
                    for (place, _), value in zip(sites, split, strict=True):
                        if value:
                            code = places.municipality(place).code
                            counts.append(DemoCount(org.code, code, peildatum, value))
    return counts
