"""The reference geography: complete, consistent and found by code, name or alias."""

import pytest

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.geography.reference import corop_regions, gazetteer, municipalities, provinces


def test_the_package_holds_all_provinces_corop_regions_and_municipalities():
    assert [p.code for p in provinces()] == [f"PV{n}" for n in range(20, 32)]
    assert len(corop_regions()) == 40
    assert len(municipalities()) == 342
    corop_province = {c.code: c.province_code for c in corop_regions()}
    for m in municipalities():
        assert corop_province[m.corop_code] == m.province_code, m


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GM0518", "GM0518"),
        ("gm0363", "GM0363"),
        ("363", "GM0363"),
        ("Den Haag", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("S-GRAVENHAGE", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("Súdwest-Fryslân", "GM1900"),
        ("sudwest fryslan", "GM1900"),
        ("  maastricht ", "GM0935"),
        ("Middelburg", "GM0687"),
        ("Hengelo", "GM0164"),
    ],
)
def test_a_municipality_is_found_by_code_name_or_alias(text, code):
    assert gazetteer().municipality(text).code == code


def test_an_ambiguous_name_names_the_candidates():
    with pytest.raises(
        InvalidInput, match=r"Bergen \(NH\.\) \(GM0373\) of Bergen \(L\.\) \(GM0893\)"
    ):
        gazetteer().municipality("Bergen")


def test_an_unknown_municipality_is_named_in_the_error():
    with pytest.raises(NotFound, match="'Atlantis'"):
        gazetteer().municipality("Atlantis")


def test_provinces_by_name_or_code():
    assert gazetteer().province("Friesland").code == "PV21"
    assert gazetteer().province("noord-holland").code == "PV27"
    assert gazetteer().province("pv24").name == "Flevoland"
    with pytest.raises(NotFound, match="'PV99'"):
        gazetteer().province("PV99")
