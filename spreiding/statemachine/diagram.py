"""Diagrams of the case lifecycle with the Dutch labels policy staff read.

Formats: ``mermaid`` (stateDiagram-v2), ``md`` (a Markdown transition table that also says
who may send each event), ``dot`` (Graphviz source), and ``svg``/``png`` drawn by the
Graphviz ``dot`` program. With ``compact=True`` (dot, svg, png; the living specification's
drawing) an event that leads from every running state to one state (suspend, withdraw) is
drawn once, from a box "vanuit elke lopende toestand", and an event that leads from one state
back to wherever such an event came from (resume) once, to "terug naar de toestand van
daarvoor". Which events those are is read from the graph (:func:`compact_edges`), never
from a list of names, so a state added to the chart is drawn right without a change here.
Every format is built here from
:func:`~spreiding.statemachine.chart.transitions` rather than by the library's renderers,
so guards get Dutch labels too and the current state is highlighted in every format,
the Markdown table included.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    unknown_state,
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


FAN = 3
"""An event with at least this many arrows into one state (or out of one) is drawn once."""
EVERY_RUNNING = "__every_running__"
BACK = "__back__"


@dataclass(frozen=True, slots=True)
class Edge:
    """One arrow of the compact drawing: from and to a state id (or a group box), a label."""

    source: str
    target: str
    label: str


def _group_label(
    sources: frozenset[str], target: str, running: frozenset[str], states: dict[str, str]
) -> str:
    if running - {target} <= sources <= running:
        return "vanuit elke lopende toestand"
    return "vanuit " + ", ".join(states[s] for s in states if s in sources)


def _fan_in(by_event: dict[str, list[tuple[str, str]]]) -> dict[str, tuple[str, frozenset[str]]]:
    """Event -> (its one target, its sources), for events with :data:`FAN` arrows into one."""
    found = {}
    for event, arrows in by_event.items():
        targets = {t for _s, t in arrows}
        if len(arrows) >= FAN and len(targets) == 1:
            found[event] = (targets.pop(), frozenset(s for s, _t in arrows))
    return found


def _fan_out(
    by_event: dict[str, list[tuple[str, str]]], fan_in: dict[str, tuple[str, frozenset[str]]]
) -> dict[str, str]:
    """Event -> the fan-in event it undoes: out of its target, back to exactly its sources."""
    found = {}
    for event, arrows in by_event.items():
        sources = {s for s, _t in arrows}
        if event in fan_in or len(arrows) < FAN or len(sources) != 1:
            continue
        source, targets = next(iter(sources)), frozenset(t for _s, t in arrows)
        undone = [e for e, (t, srcs) in fan_in.items() if t == source and srcs == targets]
        if undone:
            found[event] = undone[0]
    return found


def compact_edges(
    edges: Sequence[tuple[str, str, str, tuple[str, ...]]] | None = None,
    *,
    states: dict[str, str] | None = None,
    finals: frozenset[str] = FINAL_STATES,
) -> tuple[list[Edge], dict[str, str]]:
    """The arrows of the compact drawing and its group boxes (id -> label), from the graph.

    An event with :data:`FAN` or more arrows into one state becomes one arrow from a group box
    (one box per set of sources); an event with as many arrows out of one state, back to the
    very states such an event came from, becomes one arrow to a box "terug naar ...".
    Every other arrow is drawn as it is. ``edges``, ``states`` (id -> label) and ``finals``
    default to the real chart's.
    """
    edges = list(transitions() if edges is None else edges)
    states = dict(STATE_LABELS if states is None else states)
    running = frozenset(s for s in states if s not in finals)
    by_event: dict[str, list[tuple[str, str]]] = {}
    for source, target, event, _guards in edges:
        by_event.setdefault(event, []).append((source, target))
    fan_in = _fan_in(by_event)
    fan_out = _fan_out(by_event, fan_in)
    boxes: dict[str, str] = {}
    drawn: list[Edge] = []
    for source, target, event, guards in edges:
        if event in fan_in:
            label = _group_label(fan_in[event][1], target, running, states)
            box = next((b for b, text in boxes.items() if text == label), None)
            if box is None:
                box = f"{EVERY_RUNNING}{len(boxes)}"
                boxes[box] = label
            edge = Edge(box, target, EVENT_LABELS[event])
        elif event in fan_out:
            boxes[BACK] = f"terug naar de toestand van vóór “{EVENT_LABELS[fan_out[event]]}”"
            edge = Edge(source, BACK, EVENT_LABELS[event])
        else:
            edge = Edge(source, target, _edge_label(event, guards))
        if edge not in drawn:
            drawn.append(edge)
    return drawn, boxes


def _graph(current: str | None, *, compact: bool = False) -> pydot.Dot:
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
    if not compact:
        for source, target, event, guards in transitions():
            graph.add_edge(pydot.Edge(source, target, label=_edge_label(event, guards)))
        return graph
    edges, boxes = compact_edges()
    for box, label in boxes.items():
        graph.add_node(
            pydot.Node(box, label=label, shape="box", style="dashed,rounded", color="#5f6368")
        )
    for edge in edges:
        attrs = {"label": edge.label}
        if edge.source in boxes or edge.target in boxes:
            attrs.update(style="dashed", color="#5f6368")
        graph.add_edge(pydot.Edge(edge.source, edge.target, **attrs))
    return graph


def _dot(current: str | None, *, compact: bool = False) -> str:
    return str(_graph(current, compact=compact).to_string())


@lru_cache(maxsize=128)
def _graphviz(fmt: str, current: str | None, compact: bool) -> bytes:
    # One Graphviz run per drawing, not per request: the picture depends on these alone.
    try:
        return run_graphviz(_dot(current, compact=compact), fmt)
    except GraphvizNotFoundError:
        raise InvalidInput(_NO_GRAPHVIZ) from None


def _drawn(fmt: str) -> Callable[..., bytes]:
    def draw(current: str | None, *, compact: bool = False) -> bytes:
        return _graphviz(fmt, current, compact)

    return draw


_NO_GRAPHVIZ = (
    "Graphviz (het programma 'dot') is niet geïnstalleerd: svg en png kunnen niet; mermaid "
    "en md wel"
)

_RENDERERS: dict[str, Callable[..., str | bytes]] = {
    "mermaid": lambda current, compact=False: _mermaid(current),
    "md": lambda current, compact=False: _md(current),
    "dot": _dot,
    "svg": lambda current, compact=False: _drawn("svg")(current, compact=compact).decode("utf-8"),
    "png": _drawn("png"),
}


def render(fmt: str, *, current: str | None = None, compact: bool = False) -> str | bytes:
    """The lifecycle diagram in ``fmt``; ``current`` (a state id) is highlighted.

    Returns text for mermaid, md, dot and svg, and bytes for png. svg and png need the
    Graphviz ``dot`` program; without it they raise InvalidInput. ``compact`` draws the
    events from every running state once (dot, svg, png; mermaid and md list every arrow).
    """
    if fmt not in _RENDERERS:
        raise InvalidInput(
            f"Onbekend formaat {fmt!r} voor het diagram; kies uit: {', '.join(FORMATS)}"
        )
    if current is not None and current not in STATE_LABELS:
        raise InvalidInput(unknown_state(current))
    if fmt in ("svg", "png") and shutil.which("dot") is None:
        raise InvalidInput(_NO_GRAPHVIZ)
    return _RENDERERS[fmt](current, compact=compact)
