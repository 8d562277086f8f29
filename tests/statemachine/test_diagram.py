"""Lifecycle diagrams: Dutch labels, the current state highlighted, real Graphviz output."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from spreiding.core.errors import InvalidInput
from spreiding.statemachine import diagram
from spreiding.statemachine.chart import EVENT_LABELS, STATE_LABELS, transitions
from spreiding.statemachine.diagram import render


def test_mermaid_draws_every_transition_with_dutch_labels() -> None:
    text = render("mermaid")
    assert text.startswith("---\ntitle: Levensloop van een locatiezaak")
    for sid, label in STATE_LABELS.items():
        assert f'state "{label}" as {sid}' in text
    for source, target, event, _guards in transitions():
        assert f"{source} --> {target} : {EVENT_LABELS[event]}" in text
    assert "Gezamenlijk overleg openen [binnen reikwijdte]" in text
    assert "class " not in text


def test_mermaid_highlights_the_current_state() -> None:
    text = render("mermaid", current="mr_escalation")
    assert "classDef current fill:#40E0D0" in text
    assert text.rstrip().endswith("class mr_escalation current")


def test_markdown_table_has_dutch_labels_roles_and_the_current_state() -> None:
    text = render("md", current="agreed")
    assert "Huidige toestand: **Overeenstemming** (`agreed`)" in text
    assert "| **Overeenstemming** | Besluit nemen (`decide`) |  | Besloten | ministerie |" in text
    assert "| Voorgelegd aan de ministerraad | MR-besluit vastleggen" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(transitions())


def test_dot_marks_current_and_final_states() -> None:
    text = render("dot", current="screening")
    assert 'screening [label="In beoordeling"' in text
    assert 'fillcolor="#40E0D0"' in text.split("screening [", 1)[1].split("]", 1)[0]
    assert "peripheries=2" in text.split("decided [", 1)[1].split("]", 1)[0]


def test_svg_is_valid_xml_drawn_by_graphviz_with_dutch_labels() -> None:
    assert shutil.which("dot"), "Graphviz must be installed (make installs it) to draw svg"
    svg = render("svg", current="consultation")
    assert isinstance(svg, str)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Gezamenlijk overleg", "Besloten", "Intrekken"} <= texts
    assert "#40e0d0" in svg.lower()


def test_png_is_a_png() -> None:
    assert shutil.which("dot"), "Graphviz must be installed (make installs it) to draw png"
    png = render("png")
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_without_graphviz_svg_and_png_say_what_still_works(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagram.shutil, "which", lambda _name: None)
    with pytest.raises(InvalidInput, match=r"Graphviz .* niet geïnstalleerd.*mermaid en md wel"):
        render(fmt)
    assert isinstance(render("mermaid"), str)


def test_unknown_format_and_state_are_refused() -> None:
    with pytest.raises(
        InvalidInput, match="Onbekend formaat 'pdf' voor het diagram; kies uit: mermaid"
    ):
        render("pdf")
    with pytest.raises(InvalidInput, match="Onbekende toestand 'klaar'; kies uit"):
        render("md", current="klaar")


def test_compact_drawing_draws_suspend_withdraw_and_resume_once() -> None:
    edges, boxes = diagram.compact_edges()
    labels = [e.label for e in edges]
    for event in ("suspend", "withdraw", "resume"):
        assert labels.count(EVENT_LABELS[event]) == 1, event
    assert "vanuit elke lopende toestand" in boxes.values()
    assert "terug naar de toestand van vóór “Opschorten”" in boxes.values()
    # reconsider (from the advice, a counter-proposal and an agreement) is drawn once too.
    assert labels.count(EVENT_LABELS["reconsider"]) == 1
    # Every other arrow of the chart is drawn as it is.
    grouped = {"suspend", "withdraw", "resume", "reconsider"}
    for source, target, event, _guards in transitions():
        if event not in grouped:
            assert any(e.source == source and e.target == target for e in edges), event


def test_compact_drawing_is_read_from_the_graph_not_from_names() -> None:
    """A new running state that can be suspended and withdrawn joins the boxes by itself."""
    extra = [
        ("agreed", "review", "reconsider", ()),
        ("review", "decided", "decide", ()),
        ("review", "withdrawn", "withdraw", ()),
        ("review", "suspended", "suspend", ()),
        ("suspended", "review", "resume", ("returns_to_target",)),
    ]
    states = {**STATE_LABELS, "review": "Nadere toets"}
    edges, boxes = diagram.compact_edges([*transitions(), *extra], states=states)
    labels = [e.label for e in edges]
    assert labels.count(EVENT_LABELS["suspend"]) == 1
    assert labels.count(EVENT_LABELS["resume"]) == 1
    assert "vanuit elke lopende toestand" in boxes.values()
    assert len(boxes) == 2  # reconsider now also leads to review: drawn arrow by arrow
    assert any(e.source == "review" and e.target == "decided" for e in edges)
    # Without the new state's suspend arrow, suspend no longer comes from every running state.
    partial = [t for t in extra if t[2] != "suspend"]
    _edges, boxes = diagram.compact_edges([*transitions(), *partial], states=states)
    assert any(label.startswith("vanuit Voornemen, Aangemeld, ") for label in boxes.values())


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_compact_svg_is_narrow_and_the_full_one_unchanged() -> None:
    compact = ET.fromstring(render("svg", compact=True))
    full = ET.fromstring(render("svg"))
    width = lambda svg: float(svg.get("width", "0").removesuffix("pt"))  # noqa: E731
    assert width(compact) < width(full)
    texts = [t.text for t in compact.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(EVENT_LABELS["suspend"]) == 1
    full_texts = [t.text for t in full.iter("{http://www.w3.org/2000/svg}text")]
    assert full_texts.count(EVENT_LABELS["suspend"]) == 8
