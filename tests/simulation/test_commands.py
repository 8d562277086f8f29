"""``spreiding simulate`` and ``spreiding scenario``, as a user runs them.

Until ``spreiding/cli.py`` calls :func:`register`, the commands run on a fresh Typer app with
the same error handling as :func:`spreiding.cli.main.main` (a domain error: one line on stderr,
exit code 2); once it does, they run through the real entry point.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from spreiding.cli.simulation import register
from spreiding.core.errors import SpreidingError
from spreiding.core.settings import get_settings
from spreiding.simulation.parameters import load_scenario
from tests.conftest import CliResult, Database

Run = Callable[..., CliResult]


def _wired() -> bool:
    try:
        from spreiding.cli.main import app
    except ImportError:  # a colleague's module half-written: test the commands on their own
        return False
    return any(c.name == "simulate" for c in app.registered_commands)


@pytest.fixture
def spreiding(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Run:
    """Run ``spreiding ARGS...``: the real CLI when wired, else the commands on their own."""
    if _wired():
        return request.getfixturevalue("cli")

    def run(*args: str) -> CliResult:
        app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
        app.command("noop", hidden=True)(lambda: None)
        register(app)
        get_settings.cache_clear()
        capsys.readouterr()
        monkeypatch.setattr("sys.argv", ["spreiding", *args])
        monkeypatch.setenv("COLUMNS", "200")
        code = 0
        try:
            app()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except SpreidingError as exc:
            sys.stderr.write(f"error: {exc}\n")
            code = 2
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def test_scenario_list_names_the_shipped_scenarios(spreiding: Run) -> None:
    result = spreiding("scenario", "list")
    assert result.exit_code == 0
    for name in ("trend", "nieuwe-aanpak", "strikt"):
        assert name in result.stdout
    assert "Referentiewerelden" in result.stdout
    for name in ("hoog", "midden", "laag"):
        assert name in result.stdout


def test_scenario_show_prints_a_documented_scenario_to_copy(spreiding: Run, tmp_path: Path) -> None:
    result = spreiding("scenario", "show", "strikt")
    assert result.exit_code == 0
    strict = load_scenario("strikt")
    assert strict.hash in result.stdout
    assert "# Chance that the council of ministers (MR)" in result.stdout
    assert "[lifecycle.branch]" in result.stdout
    copy = tmp_path / "mijn-strikt.toml"
    copy.write_text(result.stdout, encoding="utf-8")
    assert load_scenario(copy).hash == strict.hash


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["optimistisch"], "scenario 'optimistisch'"),
        (["trend", "--target", "buiten-randstad>0.45@2030"], "'buiten-randstad>0.45@2030'"),
        (["trend", "--replications", "0"], "--replications must be at least 1"),
        (["trend", "--years", "0"], "--years must be between 1 and 50"),
        (
            ["trend", "--replications", "100000000"],
            "--replications must be at most 100000, got 100000000",
        ),
        (["trend", "--years", "1000"], "--years must be between 1 and 50, got 1000"),
        (["trend", "--workers", "100000"], "--workers must be between 1 and 256, got 100000"),
    ],
)
def test_a_mistake_is_one_line_and_exit_code_2(spreiding: Run, args: list[str], words: str) -> None:
    result = spreiding("simulate", *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_the_bounds_are_in_the_help(spreiding: Run) -> None:
    result = spreiding("simulate", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "(1 to 100000)" in text
    assert "(1 to 50)" in text
    assert "(1 to 256)" in text


def _unusable_outs(tmp_path: Path) -> list[tuple[str, str]]:
    a_file = tmp_path / "een-bestand.txt"
    a_file.write_text("geen map\n", encoding="utf-8")
    return [
        (str(a_file), f"uitvoermap {a_file}: is een bestand, geen map"),
        (str(a_file / "sub"), f"{a_file} is een bestand, geen map"),
        ("", "de uitvoermap is leeg"),
        ("  ", "de uitvoermap is leeg"),
    ]


def test_an_unusable_out_folder_is_refused_before_any_work(
    spreiding: Run, configured: Database, tmp_path: Path
) -> None:
    # The database is empty: had the command read the store or computed first, it would
    # have said "spreiding init" instead of naming the folder.
    for out, words in _unusable_outs(tmp_path):
        result = spreiding("simulate", "trend", "--replications", "2", "--out", out)
        assert result.exit_code == 2, out
        assert words in result.stderr, out
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_an_out_folder_without_write_permission_is_refused(
    spreiding: Run, configured: Database, tmp_path: Path
) -> None:
    locked = tmp_path / "dicht"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = spreiding("simulate", "trend", "--out", str(locked / "uit"))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2
    assert f"in {locked} mag niets worden geschreven" in result.stderr


def test_a_bad_scenario_file_names_the_file_and_the_key(spreiding: Run, tmp_path: Path) -> None:
    path = tmp_path / "fout.toml"
    path.write_text("[rvb]\ncapacity = -3\n", encoding="utf-8")
    result = spreiding("simulate", "trend", str(path))
    assert result.exit_code == 2
    assert str(path) in result.stderr.replace("\n", "")
    assert "rvb.capacity" in result.stderr


def test_simulate_on_the_demo_data_writes_the_outputs(
    spreiding: Run, demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "uit"
    result = spreiding(
        "simulate",
        "trend",
        "strikt",
        "--replications",
        "4",
        "--years",
        "2",
        "--seed",
        "11",
        "--workers",
        "1",
        "--target",
        "buiten-randstad>=0.41@2025",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert "SYNTHETISCHE DEMODATA" in result.stdout
    assert "strikt" in result.stdout
    assert "aandeel buiten de Randstad ten minste 41% in 2025" in result.stdout
    for name in (
        "summary.csv",
        "provinces.csv",
        "targets.csv",
        "bijsluiter.md",
        "bijsluiter.html",
        "waaier-buiten-randstad.svg",
        "kaart-strikt.png",
    ):
        assert (out / name).is_file(), name
    bijsluiter = (out / "bijsluiter.md").read_text(encoding="utf-8")
    assert "--seed 11" in bijsluiter  # how to compute it again


def test_simulate_on_an_empty_database_says_what_to_do(
    spreiding: Run, configured: Database
) -> None:
    result = spreiding("simulate", "trend", "--replications", "2", "--workers", "1")
    assert result.exit_code == 2
    assert "spreiding init" in result.stderr


def test_the_commands_load_no_heavy_library_until_they_run() -> None:
    code = (
        "import sys, typer\n"
        "from spreiding.cli.simulation import register\n"
        "register(typer.Typer())\n"
        "print(sorted(m for m in ('numpy', 'simpy', 'matplotlib', 'prefect') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
