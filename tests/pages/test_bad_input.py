"""Careless and hostile input on the pages, sent as a browser's form posts would be (httpx
with the session cookie and the form's CSRF token): one Dutch message next to the field,
nothing written, never an English service message."""

from __future__ import annotations

import re

import httpx

from tests.web.conftest import PASSWORD, Server

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _signed_in(site: Server, role: str) -> tuple[httpx.Client, str]:
    """A client signed in through the Inloggen form, and its session's CSRF token."""
    client = httpx.Client(base_url=site.url, timeout=30)
    form = client.get("/")
    token = TOKEN.search(form.text).group(1)
    answer = client.post(
        "/inloggen",
        data={"email": site.emails[role], "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 303, answer.text
    page = client.get("/zaken")
    return client, TOKEN.search(page.text).group(1)


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'id="fout-{re.escape(name)}"[^>]*>(.*?)</', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_a_plan_title_that_is_too_long_is_refused_next_to_the_field_not_cut(site) -> None:
    client, csrf = _signed_in(site, "ministry:FIN")
    long_title = "Verhuizing " + "x" * 600
    answer = client.post(
        "/plan-melden",
        data={
            "csrf_token": csrf, "organisation": "BD", "case_type": "groei", "fte": "10",
            "location": "Groningen", "confidentiality": "intern", "title": long_title,
            "stage": "plan",
        },
    )  # fmt: skip
    assert answer.status_code == 422
    assert "te lang" in _field_error(answer.text, "title")
    assert long_title in answer.text  # what was typed is kept, not silently cut


def _case_with_action(client: httpx.Client, event: str) -> int:
    for case_id in range(1, 40):
        if f"/zaken/{case_id}/acties/{event}" in client.get(f"/zaken/{case_id}").text:
            return case_id
    raise AssertionError(f"no case offers {event}")


def test_a_consideration_answered_other_than_yes_or_no_gets_a_dutch_message_next_to_it(
    site,
) -> None:
    client, csrf = _signed_in(site, "bzk")
    case_id = _case_with_action(client, "issue_advice")
    before = client.get(f"/zaken/{case_id}").text.count("<tr")
    answer = client.post(
        f"/zaken/{case_id}/acties/issue_advice",
        data={"csrf_token": csrf, "location": "Groningen", "rationale": "Past bij de regio",
              "considerations.primary_process": "misschien",
              "considerations.legal_location": "nee", "considerations.housing_cost": "nee"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert _field_error(answer.text, "considerations") == "Kies bij elke afweging ja of nee."
    assert "expected" not in answer.text  # no English service line
    assert client.get(f"/zaken/{case_id}").text.count("<tr") == before  # nothing written


def test_a_form_read_before_someone_else_changed_the_case_says_so_in_dutch(site) -> None:
    client, csrf = _signed_in(site, "bzk")
    case_id = _case_with_action(client, "suspend")
    answer = client.post(
        f"/zaken/{case_id}/acties/suspend",
        data={"csrf_token": csrf, "reason": "wacht op business case", "version": "0"},
    )
    assert answer.status_code == 409
    assert "intussen gewijzigd" in answer.text
    assert "changed since you read it" not in answer.text


def test_a_page_address_with_the_wrong_method_answers_a_dutch_page_not_json(site) -> None:
    client, _csrf = _signed_in(site, "bzk")
    for method, path in (("GET", "/inloggen"), ("GET", "/uitloggen"), ("POST", "/zaken")):
        answer = client.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["content-type"].startswith("text/html"), (method, path)
        assert "Startpagina" in answer.text or "startpagina" in answer.text


def test_a_form_that_cannot_be_read_answers_a_dutch_page_not_json(site) -> None:
    client, _csrf = _signed_in(site, "ministry:FIN")
    answer = client.post(
        "/leveringen",
        content=b"geen multipart",
        headers={"content-type": "multipart/form-data; boundary=zz"},
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "Het formulier kon niet worden gelezen" in answer.text
    assert "Invalid multipart" not in answer.text


def _accounts_form(site: Server) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=site.url, timeout=30)
    token = TOKEN.search(client.get("/").text).group(1)
    answer = client.post(
        "/inloggen",
        data={"email": site.emails["beheer"], "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 303
    return client, TOKEN.search(client.get("/beheer").text).group(1)


def test_beheer_refuses_a_bad_account_with_a_dutch_message_at_each_field(site) -> None:
    client, csrf = _accounts_form(site)
    before = client.get("/beheer").text.count("<tr>")
    answer = client.post(
        "/beheer", data={"csrf_token": csrf, "email": "geen-adres", "name": "", "role": "god"}
    )
    assert answer.status_code == 422
    assert "geen e-mailadres" in _field_error(answer.text, "email")
    assert _field_error(answer.text, "name") == "Vul de naam in."
    assert _field_error(answer.text, "role") == "Kies een rol uit de lijst."  # a select now
    assert "--name" not in answer.text and "unknown role" not in answer.text

    taken = client.post(
        "/beheer",
        data={"csrf_token": csrf, "email": site.emails["bzk"], "name": "X", "role": "bzk"},
    )
    assert taken.status_code == 422
    assert "bestaat al" in _field_error(taken.text, "email")

    long_name = "Naam " + "x" * 300
    cut = client.post(
        "/beheer",
        data={"csrf_token": csrf, "email": "lang@test.example", "name": long_name, "role": "mr"},
    )
    assert cut.status_code == 422
    assert "te lang" in _field_error(cut.text, "name")
    assert client.get("/beheer").text.count("<tr>") == before  # nothing was added


def _error_rows(html: str) -> list[list[str]]:
    table = html.split("<table", 1)[1].split("</table>", 1)[0] if "Fouten in" in html else ""
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[-1], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[" ".join(c.split()) for c in row] for row in cells]


def test_an_empty_or_binary_delivery_names_no_made_up_value_and_loads_nothing(site) -> None:
    client, _ = _signed_in(site, "ministry:FIN")
    csrf = TOKEN.search(client.get("/leveringen").text).group(1)
    for name, content in (("leeg.csv", b""), ("binair.csv", bytes(range(128, 256)) * 4)):
        answer = client.post(
            "/leveringen",
            data={"csrf_token": csrf, "year": "2020"},
            files={"file": (name, content)},
        )
        assert answer.status_code == 422, name
        assert "er is niets geladen" in answer.text
        rows = _error_rows(answer.text)
        assert len(rows) == 1, (name, rows)
        assert rows[0][1:3] == ["", ""], (name, rows)  # no column, so no value of a cell


def test_zaken_takes_a_wrong_page_number_or_a_long_search_without_calling_it_niet_gevonden(
    site,
) -> None:
    client, _ = _signed_in(site, "bzk")
    for page in ("-1", "abc", "0", "99999999999"):
        answer = client.get(f"/zaken?pagina={page}")
        assert answer.status_code == 200, page
        assert "<h1>Zaken</h1>" in answer.text, page
    answer = client.get("/zaken?zoek=" + "a" * 300)
    assert answer.status_code == 422
    assert "<h1>Zaken</h1>" in answer.text
    assert "te lang" in _field_error(answer.text, "zoek")


def test_an_action_refuses_a_text_too_long_for_the_trail_and_writes_nothing(site) -> None:
    client, csrf = _signed_in(site, "bzk")
    case_id = _case_with_action(client, "suspend")
    before = client.get(f"/zaken/{case_id}").text.count("<tr")
    answer = client.post(
        f"/zaken/{case_id}/acties/suspend",
        data={"csrf_token": csrf, "reason": "<b>wacht</b> " + "y" * 200_000},
    )
    assert answer.status_code == 422
    assert "te lang" in _field_error(answer.text, "reason")
    assert "<b>wacht</b>" not in answer.text  # escaped when shown back
    assert client.get(f"/zaken/{case_id}").text.count("<tr") == before  # nothing written


def test_a_link_cannot_make_a_case_page_claim_an_action_that_was_not_taken(site) -> None:
    client, _ = _signed_in(site, "ministry:FIN")
    case_id = site.cases[("FIN", "openbaar")]
    page = client.get(f"/zaken/{case_id}?gedaan=record_mr_decision")
    assert page.status_code == 200
    assert "Vastgelegd:" not in page.text


def test_a_delivery_with_a_repeated_row_names_the_row_and_both_columns(site) -> None:
    client, _ = _signed_in(site, "ministry:FIN")
    csrf = TOKEN.search(client.get("/leveringen").text).group(1)
    answer = client.post(
        "/leveringen",
        data={"csrf_token": csrf, "year": "2020"},
        files={"file": ("dubbel.csv", b"organisatie;gemeente;fte\nBD;Den Haag;1\nBD;Den Haag;2\n")},
    )
    assert answer.status_code == 422
    rows = _error_rows(answer.text)
    assert rows[0][:2] == ["3", "organisatie en gemeente"], rows


def test_niet_gevonden_and_niet_toegestaan_keep_uitloggen_for_a_signed_in_account(site) -> None:
    client, _ = _signed_in(site, "viewer")
    for path, status in (("/zaken/999999", 404), ("/bestaat-niet", 404), ("/beheer", 403)):
        answer = client.get(path)
        assert answer.status_code == status, path
        assert "Uitloggen" in answer.text, path
        assert 'action="/uitloggen"' in answer.text, path


def test_plan_melden_refuses_an_fte_whose_separators_could_mean_two_numbers(site) -> None:
    client, csrf = _signed_in(site, "ministry:FIN")
    plan = {
        "csrf_token": csrf, "organisation": "BD", "case_type": "groei", "location": "Groningen",
        "confidentiality": "intern", "stage": "plan",
    }  # fmt: skip
    for fte in ("1.234", "1,234.5", "1,2,3", "1e3", "nan"):
        answer = client.post("/plan-melden", data={**plan, "fte": fte})
        assert answer.status_code == 422, fte
        assert _field_error(answer.text, "fte"), fte
    form = re.search(r'name="formulier" value="([^"]+)"', client.get("/plan-melden").text)
    accepted = client.post("/plan-melden", data={**plan, "fte": "1.234,5", "formulier": form[1]})
    assert accepted.status_code == 303
    page = client.get(accepted.headers["location"])
    assert "1.234,5" in page.text


def test_a_viewer_sending_an_action_another_role_may_take_gets_403_and_nothing_changes(
    site,
) -> None:
    bzk, _ = _signed_in(site, "bzk")
    case_id = site.cases[("FIN", "openbaar")]
    assert f"/zaken/{case_id}/acties/suspend" in bzk.get(f"/zaken/{case_id}").text
    viewer, csrf = _signed_in(site, "viewer")
    before = viewer.get(f"/zaken/{case_id}").text.count("<tr")
    answer = viewer.post(
        f"/zaken/{case_id}/acties/suspend", data={"csrf_token": csrf, "reason": "zomaar"}
    )
    assert answer.status_code == 403
    assert "Niet toegestaan" in answer.text and "uw rol" in answer.text
    assert viewer.get(f"/zaken/{case_id}/acties/suspend").status_code == 403
    assert viewer.get(f"/zaken/{case_id}").text.count("<tr") == before


def test_a_delivery_above_the_upload_limit_answers_a_dutch_page_and_loads_nothing(site) -> None:
    client, _ = _signed_in(site, "ministry:FIN")
    csrf = TOKEN.search(client.get("/leveringen").text).group(1)
    before = client.get("/leveringen").text.count("<tr")
    size = (site.settings.accounts.max_upload_mb + 5) * 1024 * 1024
    answer = client.post(
        "/leveringen",
        data={"csrf_token": csrf, "year": "2020"},
        files={"file": ("groot.csv", b"organisatie;gemeente;fte\n" + b"x" * size)},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "Bestand te groot" in answer.text
    assert f"{site.settings.accounts.max_upload_mb} MB" in answer.text
    assert client.get("/leveringen").text.count("<tr") == before
