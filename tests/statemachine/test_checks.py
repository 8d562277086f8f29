"""The lifecycle checks pass on the real machine and fail, each, on a machine broken for it."""

from __future__ import annotations

import json

from statemachine import Event, State, StateChart

from spreiding.statemachine.chart import (
    CURRENT_EVENTS,
    EVENT_LABELS,
    RULES,
    STATE_LABELS,
    CaseLifecycle,
    CaseLifecycleV1,
)
from spreiding.statemachine.checks import check_lifecycle


def failed(cls: type[StateChart], **labels: dict[str, str]) -> dict[str, str]:
    """The checks that failed, with their details."""
    result = check_lifecycle(cls, **labels)
    return {r.name: r.details for r in result.results if not r.ok}


def test_the_real_lifecycle_passes_every_check() -> None:
    result = check_lifecycle()
    assert result.ok, result.to_json()
    assert result.states == list(STATE_LABELS)
    assert result.events == list(CURRENT_EVENTS)
    # Version 1 runs on for the cases started under it: it passes too.
    assert check_lifecycle(CaseLifecycleV1).ok


def test_the_report_is_json() -> None:
    report = json.loads(json.dumps(check_lifecycle().to_json()))
    assert set(report) >= {"states", "events", "checks"}
    assert [c["name"] for c in report["checks"]] == [
        "reachable",
        "no_trap_states",
        "reaches_final",
        "labels",
        "rules",
    ]
    assert all(set(c) == {"name", "ok", "details"} for c in report["checks"])


# Small broken machines. Each switches off the library's own definition-time check for the
# fault it carries, since the library would otherwise refuse to define the class at all.


class Unreachable(StateChart):
    validate_disconnected_states = False

    begin = State("Aanvang", initial=True)
    end = State("Einde", final=True)
    orphan = State("Wees")

    go = Event(begin.to(end, validators=RULES), name="Gaan")
    leave = Event(orphan.to(end, validators=RULES), name="Weggaan")

    def check_rules(self) -> None:
        pass


class Trap(StateChart):
    validate_trap_states = False
    validate_final_reachability = False

    begin = State("Aanvang", initial=True)
    stuck = State("Vast")
    end = State("Einde", final=True)

    go = Event(begin.to(stuck, validators=RULES) | begin.to(end, validators=RULES), name="Gaan")

    def check_rules(self) -> None:
        pass


class Loop(StateChart):
    validate_final_reachability = False

    begin = State("Aanvang", initial=True)
    ping = State("Heen")
    pong = State("Terug")
    end = State("Einde", final=True)

    go = Event(begin.to(ping, validators=RULES) | begin.to(end, validators=RULES), name="Gaan")
    bounce = Event(ping.to(pong, validators=RULES) | pong.to(ping, validators=RULES), name="Kaats")

    def check_rules(self) -> None:
        pass


class Unlabelled(StateChart):
    begin = State("Aanvang", initial=True)
    halfway = State()  # the library names it "Halfway" after its id
    end = State("Einde", final=True)

    go = Event(begin.to(halfway, validators=RULES), name="Gaan")
    finish = Event(halfway.to(end, validators=RULES))

    def check_rules(self) -> None:
        pass


class Unguarded(StateChart):
    begin = State("Aanvang", initial=True)
    end = State("Einde", final=True)

    start_screening = Event(begin.to(end), name="Beoordeling starten")


def test_an_unreachable_state_fails_reachable() -> None:
    assert "orphan" in failed(Unreachable)["reachable"]


def test_a_trap_state_fails_no_trap_states() -> None:
    failures = failed(Trap)
    assert "stuck" in failures["no_trap_states"]
    assert "stuck" in failures["reaches_final"]


def test_a_loop_without_exit_fails_reaches_final() -> None:
    failures = failed(Loop)
    assert failures["reaches_final"].endswith("ping, pong")
    assert "no_trap_states" not in failures  # each state has a way out, just not to an end


def test_missing_labels_fail_labels() -> None:
    details = failed(Unlabelled)["labels"]
    assert "state halfway" in details
    assert "event finish" in details
    assert "state begin" not in details


def test_a_label_set_without_a_state_or_event_fails_labels() -> None:
    states = {k: v for k, v in STATE_LABELS.items() if k != "agreed"}
    events = {**EVENT_LABELS, "decide": ""}
    details = failed(CaseLifecycle, state_labels=states, event_labels=events)["labels"]
    assert details == "no Dutch label for: event decide, state agreed"


def test_a_transition_that_skips_the_rules_fails_rules() -> None:
    details = failed(Unguarded)["rules"]
    assert "begin -> end lacks check_rules" in details
    assert "rule decide has no event" in details


def test_a_broken_machine_fails_only_what_it_breaks_and_the_rules_of_another_machine() -> None:
    # "rules" fails for any machine but CaseLifecycle: its events have no rule in EVENT_RULES.
    assert set(failed(Unreachable)) == {"reachable", "rules"}
    assert set(failed(Loop)) == {"reaches_final", "rules"}
    assert set(failed(Unlabelled)) == {"labels", "rules"}
