"""The engine: flow validation (and loud failure on broken flows), diagrams, content, speed."""

from __future__ import annotations

import dataclasses
import io
import xml.dom.minidom

import pytest

from dialogs import DIALOGS
from dialogs.base import Context, FlowError, Given
from dialogs.content import ITEMS
from dialogs.engine import FlowEngine, Question, check_flows, diagram_path, graph, validate
from dialogs.extract import extract_content
from dialogs.screening import FLOW


def test_check_flows_passes():
    assert check_flows() == []


def _broken(**changes):
    return dataclasses.replace(FLOW, **changes)


def test_check_flows_fails_loudly_on_a_broken_flow():
    bad_target = _broken(transitions=(*FLOW.transitions, {"source": "district", "dest": "nowhere"}))
    orphan = Question("orphan", "orphan", "yes_no", FLOW.questions[1].prompt, FLOW.questions[1].hint)
    unreachable = _broken(questions=(*FLOW.questions, orphan),
                          transitions=(*FLOW.transitions, {"source": "orphan", "dest": "done"}))
    no_parser = _broken(questions=(dataclasses.replace(FLOW.questions[1], answer="telepathy"),
                                   *FLOW.questions[2:], FLOW.questions[0]))
    unwrapped = _broken(questions=(dataclasses.replace(FLOW.questions[0], prompt="Not marked?"),
                                   *FLOW.questions[1:]))
    unknown_guard = _broken(transitions=({"source": "consent", "dest": "ended",
                                          "conditions": ["nope"]}, *FLOW.transitions))
    cases = [(bad_target, "unknown target 'nowhere'"), (unreachable, "'orphan' is unreachable"),
             (no_parser, "no parser for answer type 'telepathy'"),
             (unwrapped, "not wrapped in N_()"), (unknown_guard, "unknown guard 'nope'")]
    for flow, problem in cases:
        problems = check_flows(flows=[flow])
        assert any(problem in p for p in problems), problems
        with pytest.raises(FlowError, match="flow screening"):
            FlowEngine(flow)


def test_missing_translations_are_reported():
    problems = check_flows(has_translation=lambda msgid: not msgid.startswith("Are you"))
    assert any("no translation for 'Are you in Portugal now?'" in p for p in problems)
    assert check_flows(has_translation=lambda msgid: True) == []


def test_mermaid_diagram_beside_the_flow_is_current():
    current = graph("screening")
    assert "stateDiagram-v2" in current and "consent --> in_danger_now" in current
    assert diagram_path("screening").read_text() == current, (
        "dialogs/screening.mmd is stale: run `intake flows graph > dialogs/screening.mmd`")


def test_svg_diagram_is_standalone_svg():
    svg = graph("screening", fmt="svg")
    doc = xml.dom.minidom.parseString(svg)
    assert doc.documentElement.tagName == "svg" and "tip_debt" in svg
    with pytest.raises(ValueError):
        graph("screening", fmt="png")


def test_content_items_have_provenance_and_are_extracted():
    assert {"helplines.emergency", "helplines.trafficking", "programmes.arvore"} <= set(ITEMS)
    for entry in ITEMS.values():
        assert entry.source.startswith("http") and entry.last_reviewed.year >= 2026
    raw = diagram_path("screening").with_name("content").joinpath("programmes.toml").read_bytes()
    found = list(extract_content(io.BytesIO(raw), ["N_"], [], {}))
    assert {msg for _, _, msg, _ in found} == {e.text for e in ITEMS.values()}
    assert all(lineno > 0 and func == "N_" for lineno, func, _, _ in found)


def test_next_state_comes_from_the_shared_machine():
    dialog = DIALOGS["screening"]
    machine = dialog.engine.machine
    assert machine.models == [] and not machine.auto_transitions
    assert dialog.engine.next_state("nationality", {"nationality": "FR"}, "FR") == "wants_to_return"
    assert dialog.engine.next_state("nationality", {"nationality": "BR"}, "BR") == "eu_family_member"


def test_a_screening_runs_again_and_again_to_the_same_end():
    # How cheap a turn is, is measured by `make bench` (bench/engine.py), not timed here.
    dialog, ctx = DIALOGS["screening"], Context(language="pt")
    says = ["sim", "não", "sim", "Lisboa", "Brasil", "não", "sim", "não", "1", "1", "não", "1",
            "não", "não", "não", "nenhum", "1"]
    ends = set()
    for _ in range(3):
        step = dialog.begin({}, ctx)
        for say in says:
            step = dialog.advance(step.state, step.record, Given(text=say), ctx)
        ends.add((step.state, step.outcome["programme"]))
    assert ends == {("done", "arvore")}


def test_validate_returns_no_problems_for_the_real_flow():
    assert validate(FLOW) == []


def test_graph_of_an_unknown_flow_says_which_exist():
    with pytest.raises(FlowError, match="screening"):
        graph("nope")
