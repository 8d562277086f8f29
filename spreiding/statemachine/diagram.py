"""Diagrams of the case lifecycle with the Dutch labels policy staff read.

Formats: ``mermaid`` (stateDiagram-v2), ``md`` (a Markdown transition table that also says
who may send each event), ``dot`` (Graphviz source), and ``svg``/``png`` drawn by the
Graphviz ``dot`` program. Every format is built here from
:func:`~spreiding.statemachine.chart.transitions` rather than by the library's renderers,
so guards get Dutch labels too and the current state is highlighted in every format,
the Markdown table included.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pydot
from statemachine.contrib.diagram import GraphvizNotFoundError, run_graphviz

from spreiding.core.errors import InvalidInput
from spreiding.statemachine import rules
from spreiding.statemachine.chart import (
    EVENT_LABELS,
    FINAL_STATES,
    GUARDS,
    INITIAL_STATE,
    STATE_LABELS,
    transitions,
)

FORMATS = ("mermaid", "md", "dot", "svg", "png")
TITLE = "Levensloop van een locatiezaak"
HIGHLIGHT = "#40E0D0"  # turquoise, as the library draws an active state


def _edge_label(event: str, guards: tuple[str, ...]) -> str:
    label = EVENT_LABELS[event]
    if guards:
        label += " [" + ", ".join(GUARDS[g][0] for g in guards) + "]"
    return label


def _mermaid(current: str | None) -> str:
    lines = ["---", f"title: {TITLE}", "---", "stateDiagram-v2", "    direction LR"]
    lines += [f'    state "{label}" as {sid}' for sid, label in STATE_LABELS.items()]
    lines.append(f"    [*] --> {INITIAL_STATE}")
    for source, target, event, guards in transitions():
        lines.append(f"    {source} --> {target} : {_edge_label(event, guards)}")
    lines += [f"    {sid} --> [*]" for sid in STATE_LABELS if sid in FINAL_STATES]
    if current:
        lines.append(f"    classDef current fill:{HIGHLIGHT},stroke:#333,stroke-width:3px")
        lines.append(f"    class {current} current")
    return "\n".join(lines) + "\n"


def _who(event: str) -> str:
    return ", ".join(rules.ROLE_LABELS[r] for r in sorted(rules.EVENT_RULES[event].roles))


def _md(current: str | None) -> str:
    lines = [f"## {TITLE}", ""]
    if current:
        lines += [f"Huidige toestand: **{STATE_LABELS[current]}** (`{current}`)", ""]
    lines += [
        "| Van | Gebeurtenis | Voorwaarde | Naar | Wie |",
        "| --- | --- | --- | --- | --- |",
    ]
    for source, target, event, guards in transitions():
        van = STATE_LABELS[source]
        if source == current:
            van = f"**{van}**"
        voorwaarde = ", ".join(GUARDS[g][0] for g in guards)
        lines.append(
            f"| {van} | {EVENT_LABELS[event]} (`{event}`) | {voorwaarde} "
            f"| {STATE_LABELS[target]} | {_who(event)} |"
        )
    return "\n".join(lines) + "\n"


def _graph(current: str | None) -> pydot.Dot:
    graph = pydot.Dot(
        "lifecycle", graph_type="digraph", rankdir="TB", label=TITLE, fontname="Helvetica"
    )
    graph.set_node_defaults(fontname="Helvetica", fontsize="10")
    graph.set_edge_defaults(fontname="Helvetica", fontsize="9")
    graph.add_node(pydot.Node("__start__", label="", shape="point", width="0.15"))
    for sid, label in STATE_LABELS.items():
        attrs = {"label": label, "shape": "box", "style": "rounded,filled", "fillcolor": "white"}
        if sid in FINAL_STATES:
            attrs["peripheries"] = "2"
        if sid == current:
            attrs.update(fillcolor=HIGHLIGHT, penwidth="3", style="rounded,filled,bold")
        graph.add_node(pydot.Node(sid, **attrs))
    graph.add_edge(pydot.Edge("__start__", INITIAL_STATE))
    for source, target, event, guards in transitions():
        graph.add_edge(pydot.Edge(source, target, label=_edge_label(event, guards)))
    return graph


def _dot(current: str | None) -> str:
    return str(_graph(current).to_string())


def _drawn(fmt: str) -> Callable[[str | None], bytes]:
    def draw(current: str | None) -> bytes:
        try:
            return run_graphviz(_dot(current), fmt)
        except GraphvizNotFoundError:
            raise InvalidInput(_NO_GRAPHVIZ) from None

    return draw


_NO_GRAPHVIZ = (
    "Graphviz (the 'dot' program) is not installed: svg/png unavailable; mermaid and md work"
)

_RENDERERS: dict[str, Callable[[str | None], str | bytes]] = {
    "mermaid": _mermaid,
    "md": _md,
    "dot": _dot,
    "svg": lambda current: _drawn("svg")(current).decode("utf-8"),
    "png": _drawn("png"),
}


def render(fmt: str, *, current: str | None = None) -> str | bytes:
    """The lifecycle diagram in ``fmt``; ``current`` (a state id) is highlighted.

    Returns text for mermaid, md, dot and svg, and bytes for png. svg and png need the
    Graphviz ``dot`` program; without it they raise InvalidInput.
    """
    if fmt not in _RENDERERS:
        raise InvalidInput(f"unknown diagram format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if current is not None and current not in STATE_LABELS:
        raise InvalidInput(
            f"unknown state {current!r} to highlight; use one of: {', '.join(STATE_LABELS)}"
        )
    if fmt in ("svg", "png") and shutil.which("dot") is None:
        raise InvalidInput(_NO_GRAPHVIZ)
    return _RENDERERS[fmt](current)
