"""The demo set-up and the command line's start-up, as a user meets them."""

import json
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


# Heavy libraries that a command which runs no flow must not import: Prefect (seconds),
# matplotlib, Jinja2, openpyxl, Alembic's runtime with the dialects of every database it
# supports (the schema check reads alembic_version with plain SQLAlchemy), and the holiday
# tables (only a deadline computation needs them).
HEAVY = (
    "prefect", "matplotlib", "jinja2", "openpyxl", "alembic", "sqlalchemy.dialects.postgresql",
    "holidays",
)  # fmt: skip


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> dict[str, str]:
    """The environment of a user whose SQLite database was made by ``spreiding init --demo``."""
    folder = tmp_path_factory.mktemp("startup")
    env = {
        "SPREIDING_DATA_DIR": str(folder),
        "PREFECT_HOME": str(folder / "prefect"),
        "PATH": "/usr/bin:/bin",
    }
    code = "from spreiding.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "init", "--demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return env


@pytest.mark.parametrize(
    "args",
    [
        ["org", "list"],
        ["lifecycle", "check"],
        ["case", "list", "--as", "bzk"],
        ["flows", "list"],
        ["ministry", "list"],
    ],
)
def test_commands_that_run_no_flow_import_no_heavy_library(args, initialised):
    """Prefect costs seconds at start-up; only commands that run flows may import it."""
    code = (
        "import json, sys\n"
        "from spreiding.cli.main import main\n"
        f"sys.argv = ['spreiding', *{args!r}]\n"
        "try:\n    main()\n    exit_code = 0\n"
        "except SystemExit as exc:\n    exit_code = exc.code\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps({'exit_code': exit_code, 'heavy': heavy}), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=initialised, timeout=120
    )
    outcome = json.loads(done.stderr.strip().splitlines()[-1])
    assert outcome["exit_code"] in (0, None), done.stderr  # the command really ran
    assert outcome["heavy"] == [], f"{' '.join(args)} imported {outcome['heavy']}"


def test_an_unknown_flow_is_one_line_exit_2(cli):
    result = cli("flows", "run", "nonsense")
    assert result.exit_code == 2
    assert "unknown flow 'nonsense'" in result.stderr


def test_every_flow_in_the_registry_can_be_found_and_has_a_schedule():
    from spreiding.flows import crons, load_flow
    from spreiding.flows.serving import flow_arguments

    for name, spec in FLOWS.items():
        flow = load_flow(name)
        assert flow.name == name
        assert crons(spec) and all(len(cron.split()) == 5 for cron in crons(spec))
    flow = load_flow("annual-inventory")
    with pytest.raises(Exception, match="does not take colour"):
        flow_arguments(flow, {"colour": "blauw"})
    assert flow_arguments(flow, {"year": 2023, "out": None}) == {"year": 2023}
