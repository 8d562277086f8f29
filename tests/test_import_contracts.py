"""The import contracts of pyproject.toml (import-linter): kept today, and a break is named.

``make test`` runs ``lint-imports`` on the real tree. Here a copy of the package gets one
forbidden import (Typer in ``spreiding.core``) and the same contracts must fail, naming the
contract and the import, as CI would show it to whoever added it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run lint-imports on the copy in tmp: the editable install's finder would find the real tree.
LINT_COPY = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
sys.path.insert(0, sys.argv[1])
from importlinter.cli import lint_imports_command
sys.argv = ["lint-imports", "--no-cache", "--config", sys.argv[2]]
lint_imports_command()
"""


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT_COPY, str(tree), str(tree / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=tree,
        timeout=120,
    )


def copy_of_the_project(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.csv", "*.topojson", "*.png")
    shutil.copytree(ROOT / "spreiding", tmp_path / "spreiding", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_for_the_package_as_it_is(tmp_path):
    done = lint(copy_of_the_project(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_forbidden_import_fails_naming_the_contract_and_the_import(tmp_path):
    tree = copy_of_the_project(tmp_path)
    dutch = tree / "spreiding" / "core" / "dutch.py"
    dutch.write_text(dutch.read_text(encoding="utf-8") + "\nimport typer  # noqa\n")
    done = lint(tree)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Only cli imports Typer and rich BROKEN" in done.stdout
    assert "spreiding.core.dutch -> typer" in done.stdout
