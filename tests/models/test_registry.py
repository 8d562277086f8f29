"""Adding ministries through the command line: a name in use is refused, however it is spelt."""

import pytest


@pytest.mark.parametrize(
    "again", ["ministerie van financiën", "MINISTERIE VAN FINANCIEN", "Ministerie  van Financien"]
)
def test_a_ministry_name_in_use_is_refused_whatever_its_capitals_or_accents(configured, cli, again):
    assert cli("init").exit_code == 0
    assert (
        cli("ministry", "add", "--code", "FIN", "--name", "Ministerie van Financiën").exit_code == 0
    )
    result = cli("ministry", "add", "--code", "FIN2", "--name", again)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: een ministerie met de naam 'Ministerie van Financiën' bestaat al"
    ]
    listed = cli("ministry", "list", "--json").json()
    assert [m["code"] for m in listed] == ["FIN"]
