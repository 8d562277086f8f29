"""What the API lets a signed-in account read: filtered case lists, figures, opportunities,
zbo talks and projection outputs, each as the CLI shows it."""

from __future__ import annotations

from tests.web.conftest import LEVELS


def _ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.text
    return {row["id"] for row in answer.json()}


def test_case_filters_ministry_type_state_and_text(server):
    client = server.bearer("bzk")
    fin = _ids(client.get("/cases", params={"ministry": "fin", "q": "matrix"}))
    assert fin == {server.cases[("FIN", level)] for level in LEVELS}
    assert all(
        row["case_type"] == "krimp" for row in client.get("/cases", params={"type": "krimp"}).json()
    )
    registered = client.get("/cases", params={"state": "registered"}).json()
    assert registered and all(row["state"] == "registered" for row in registered)
    by_org_name = _ids(client.get("/cases", params={"q": "belastingdienst"}))
    assert server.cases[("FIN", "intern")] in by_org_name
    assert client.get("/cases", params={"state": "nonsense"}).status_code == 422


def test_the_case_list_comes_in_pages_with_the_total_in_a_header(server):
    client = server.bearer("bzk")
    whole = client.get("/cases", params={"limit": 1000})
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) > 3
    pages = [client.get("/cases", params={"limit": 2, "offset": n}).json() for n in (0, 2)]
    assert [c["id"] for page in pages for c in page] == [c["id"] for c in whole.json()[:4]]
    assert client.get("/cases", params={"limit": 0}).status_code == 422


def test_due_within_and_overdue_filters_follow_the_deadlines(server):
    client = server.bearer("bzk")
    soon = client.get("/cases", params={"due_within": 5}).json()
    assert soon and all(row["due_date"] for row in soon)
    assert client.get("/cases", params={"overdue": True}).json() == []


def test_a_case_shows_its_dossier_and_trail(server):
    (decided,) = [
        row for row in server.bearer("bzk").get("/cases").json() if row["state"] == "decided"
    ]
    shown = server.bearer("bzk").get(f"/cases/{decided['id']}").json()
    assert {"advice", "decision"} <= set(shown["dossier"])
    assert shown["events"][0]["event"] == "register"


def test_the_diagram_is_svg(server):
    answer = server.bearer("viewer").get(f"/cases/{server.cases[('FIN', 'openbaar')]}/diagram.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert "<svg" in answer.text


def test_figures_per_province_and_sector_for_the_latest_peildatum(server):
    client = server.bearer("viewer")
    latest = client.get("/figures").json()
    assert latest["peildata"][-1] == "2023-01-01" and latest["total_fte"] > 0
    by_sector = client.get("/figures", params={"year": 2022, "by": "sector"}).json()
    assert {row["sector"] for row in by_sector["rows"]} >= {"ministeries"}
    assert client.get("/figures", params={"by": "colour"}).status_code == 422


def test_regional_opportunities_say_they_are_synthetic(server):
    answer = server.bearer("viewer").get("/opportunities", params={"year": 2024}).json()
    assert answer["synthetic"] is True and answer["opportunities"]


def test_a_ministry_sees_only_its_own_zbos(server):
    every = server.bearer("bzk").get("/zbo").json()
    mine = server.bearer("ministry:FIN").get("/zbo").json()
    assert {z["ministry_code"] for z in mine} <= {"FIN"}
    other = next(z for z in every if z["ministry_code"] != "FIN")
    assert server.bearer("ministry:FIN").get(f"/zbo/{other['code']}").status_code == 404
    assert server.bearer("bzk").get(f"/zbo/{other['code']}").json()["talks"] == []
    assert server.bearer("viewer").get("/zbo").status_code == 403


def test_projection_folders_under_the_data_folder_with_summary_and_files(server):
    folder = server.settings.data_dir / "projectie-test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.csv").write_text("year,scenario,median\n2030,trend,0.41\n", "utf-8")
    (folder / "bijsluiter.html").write_text("<p>bijsluiter</p>", "utf-8")
    client = server.bearer("viewer")
    listed = client.get("/projections").json()
    assert {"name": "projectie-test", "files": ["bijsluiter.html", "summary.csv"]} in listed
    shown = client.get("/projections/projectie-test").json()
    assert shown["summary"] == [{"year": "2030", "scenario": "trend", "median": "0.41"}]
    got = client.get("/projections/projectie-test/files/summary.csv")
    assert got.status_code == 200 and got.text.startswith("year,")
    assert client.get("/projections/projectie-test/files/..%2Fspreiding.db").status_code in (
        404,
        422,
    )
    assert client.get("/projections/nothing-here").status_code == 404
