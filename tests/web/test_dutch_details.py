"""The API's refusals that are not a domain rule's (an unknown projection or zbo, a method the
address does not take) also answer a Dutch ``detail``, never Starlette's or an English line."""

from __future__ import annotations


def test_an_unknown_projection_and_its_missing_file_are_refused_in_dutch(server) -> None:
    client = server.bearer("viewer")
    missing = client.get("/projections/bestaat-niet")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Er is geen projectie 'bestaat-niet' in de gegevensmap"
    folder = server.settings.data_dir / "projectie-nl"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.csv").write_text("year,scenario,median\n2030,trend,0.41\n", "utf-8")
    no_file = client.get("/projections/projectie-nl/files/weg.csv")
    assert no_file.status_code == 404
    assert no_file.json()["detail"] == "Projectie 'projectie-nl' heeft geen bestand 'weg.csv'"


def test_another_ministrys_zbo_is_not_found_in_dutch(server) -> None:
    every = server.bearer("bzk").get("/zbo").json()
    other = next(z for z in every if z["ministry_code"] != "FIN")
    answer = server.bearer("ministry:FIN").get(f"/zbo/{other['code']}")
    assert answer.status_code == 404
    assert answer.json()["detail"].endswith("bestaat niet of is niet zichtbaar voor uw rol")


def test_a_method_the_address_does_not_take_is_refused_in_dutch(server) -> None:
    answer = server.bearer("bzk").patch("/cases/1")
    assert answer.status_code == 405
    assert answer.json()["detail"].startswith("deze methode is op dit adres niet toegestaan")


def test_a_number_out_of_range_is_refused_with_the_limit_written_the_dutch_way(server) -> None:
    client = server.bearer("ministry:FIN")
    plan = {"organisation": "BD", "case_type": "groei", "location": "Den Haag"}
    above = client.post("/cases", json={**plan, "fte": 250000})
    assert above.json()["detail"] == "fte: moet ten hoogste 100.000 zijn"
    below = client.post("/cases", json={**plan, "fte": -1})
    assert below.json()["detail"] == "fte: moet ten minste 0 zijn"
