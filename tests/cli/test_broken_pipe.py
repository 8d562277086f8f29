"""A reader that stops early (``spreiding case register ... | head -1``) never undoes a write.

The command runs as a real process whose stdout is a real pipe, closed by its reader before
the command prints anything: every write to it fails with EPIPE. The write commands commit
before they print, and a closed pipe ends the command quietly (exit 1, as Python, Click and
rich do; nothing on stderr).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spreiding.cli.common import BROKEN_PIPE_EXIT

SPREIDING = Path(sys.executable).parent / "spreiding"  # the installed entry point
REGISTER = (
    "case", "register", "--org", "BD", "--type", "groei", "--fte", "150",
    "--location", "Den Haag", "--as", "bzk", "--actor", "Anna",
)  # fmt: skip


def run_into_closed_pipe(*args: str) -> tuple[int, str]:
    """Run ``spreiding ARGS`` with stdout a pipe whose reader has gone: (exit code, stderr)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader closes before the command writes its first byte
    try:
        done = subprocess.run(
            [str(SPREIDING), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "200"},
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def case_count(cli) -> int:
    listed = cli("case", "list", "--as", "bzk", "--json")
    assert listed.exit_code == 0, listed.stderr
    return len(listed.json())


@pytest.mark.parametrize("json_option", [(), ("--json",)], ids=["table", "json"])
def test_register_into_a_closed_pipe_keeps_the_case_and_ends_quietly(demo_db, cli, json_option):
    before = case_count(cli)
    code, stderr = run_into_closed_pipe(*REGISTER, *json_option)
    assert (code, stderr) == (BROKEN_PIPE_EXIT, "")
    assert case_count(cli) == before + 1


def test_a_read_command_into_a_closed_pipe_ends_quietly(demo_db):
    assert run_into_closed_pipe("case", "list", "--as", "bzk") == (BROKEN_PIPE_EXIT, "")
