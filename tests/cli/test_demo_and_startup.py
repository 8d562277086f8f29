"""The demo set-up and the command line's start-up, as a user meets them."""

import subprocess
import sys

import pytest

from spreiding.flows import FLOWS


def test_init_demo_creates_demo_cases_once_in_different_states(configured, cli):
    assert cli("init", "--demo").exit_code == 0
    cases = cli("case", "list", "--as", "bzk", "--json").json()
    states = {c["state"] for c in cases}
    assert {"decided", "mr_escalation", "out_of_scope", "suspended", "registered"} <= states
    assert all(c["title"].startswith("[SYNTHETISCH]") for c in cases)
    assert cli("init", "--demo").exit_code == 0
    assert len(cli("case", "list", "--as", "bzk", "--json").json()) == len(cases)
    assert cli("case", "verify", "--all").exit_code == 0
    listing = cli("case", "list", "--as", "bzk")
    assert "[SYNTHETISCH]" in listing.stdout


@pytest.mark.parametrize(
    "args", [["org", "list"], ["lifecycle", "check"], ["case", "list"], ["flows", "list"]]
)
def test_commands_that_run_no_flow_do_not_import_prefect(args, tmp_path):
    """Prefect costs seconds at start-up; only commands that run flows may import it."""
    code = (
        "import sys\n"
        "from spreiding.cli.main import main\n"
        f"sys.argv = ['spreiding', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PREFECT' if 'prefect' in sys.modules else 'NO-PREFECT', file=sys.stderr)\n"
    )
    env = {"SPREIDING_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stderr.strip().endswith("NO-PREFECT"), done.stderr


def test_an_unknown_flow_is_one_line_exit_2(cli):
    result = cli("flows", "run", "nonsense")
    assert result.exit_code == 2
    assert "unknown flow 'nonsense'" in result.stderr


def test_every_flow_in_the_registry_can_be_found_and_has_a_schedule():
    from spreiding.cli.flows import flow_arguments
    from spreiding.flows import load_flow

    for name, spec in FLOWS.items():
        flow = load_flow(name)
        assert flow.name == name
        assert len(spec.cron.split()) == 5
    flow = load_flow("annual-inventory")
    with pytest.raises(Exception, match="does not take colour"):
        flow_arguments(flow, {"colour": "blauw"})
    assert flow_arguments(flow, {"year": 2023, "out": None}) == {"year": 2023}
