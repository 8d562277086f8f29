"""The living specification at /specificatie: the report ``make spec`` writes, for signed-in
accounts, under a policy without script or arbitrary inline style; a Dutch page saying how to
make it while it is not there."""

from __future__ import annotations

from pathlib import Path

import httpx

from spreiding.spec import report as specreport
from tests.pages.conftest import sign_in
from tests.pages.test_accessibility import _check as axe_check

FEATURES = Path(__file__).resolve().parents[2] / "features"


def test_the_specification_is_for_signed_in_accounts_only(site) -> None:
    answer = httpx.get(f"{site.url}/specificatie", timeout=30)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/?volgende=%2Fspecificatie"


def test_the_specification_is_served_under_a_policy_without_script(page, site) -> None:
    spec = site.settings.spec_dir / "index.html"
    spec.unlink(missing_ok=True)
    sign_in(page, site.emails["ministry:FIN"])
    page.get_by_role("contentinfo").get_by_role("link", name="Levende specificatie").click()
    page.get_by_role("heading", name="Levende specificatie nog niet gemaakt").wait_for()
    assert "make spec" in page.get_by_role("main").inner_text()
    axe_check(page, "specificatie-nog-niet-gemaakt")

    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(specreport.render_html(specreport.build(FEATURES)), encoding="utf-8")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        answer = page.goto("/specificatie")
        assert answer is not None and answer.status == 200
        policy = answer.headers["content-security-policy"]
        assert "script-src 'none'" in policy and "unsafe-inline" not in policy
        assert answer.headers["x-frame-options"] == "DENY"  # the other headers stay
        page.get_by_role("heading", name="Levende specificatie", exact=False).first.wait_for()
        # the report's own stylesheet applies: its body is at most 1100px wide
        width = page.evaluate("getComputedStyle(document.body).maxWidth")
        assert width == "1100px"
        assert refused == []
        axe_check(page, "levende-specificatie")  # axe's own script runs outside the CSP
    finally:
        spec.unlink()
