"""One synthetic-data label, everywhere the same, and printed as text in the terminal."""

from __future__ import annotations

from rich.console import Console

from spreiding.cli.common import SYNTHETIC_NOTE, synthetic_note
from spreiding.core.synthetic import SYNTHETIC_MARK, synthetic_label
from spreiding.inventory import report
from spreiding.models import demo
from spreiding.opportunities import store


def _printed(renderable: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_every_component_uses_the_one_mark() -> None:
    assert demo.SYNTHETIC_LABEL.startswith(f"{SYNTHETIC_MARK}: ")
    assert store.SYNTHETIC_LABEL.startswith(f"{SYNTHETIC_MARK}: ")
    assert report.SYNTHETIC_MARK == SYNTHETIC_MARK
    assert _printed(SYNTHETIC_NOTE).strip() == demo.SYNTHETIC_LABEL


def test_the_terminal_note_is_text_not_markup() -> None:
    label = synthetic_label("[bold]geen opmaak[/] :smile: [/x]")
    assert _printed(synthetic_note(label)).strip() == label
