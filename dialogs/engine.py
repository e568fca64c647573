"""The dialog engine: flows declared as data, validated at load, run on one shared
``transitions`` Machine per flow.

A flow is a list of questions (one per asking state), a few ending states, and the transitions
between them with named guards. The Machine (``model=None``, ``auto_transitions=False``) is the
declared source of truth and draws the diagrams; at turn time the next state is read from a
table precomputed from the Machine's own events, because attaching a model per turn costs
~10x the rest of the turn (TECH_NOTES.md §7).

    FlowError   raised by FlowEngine on an inconsistent flow; check_flows lists the problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.extract import extract
from transitions import Machine

from dialogs.base import Choice, Expecting, FlowError
from dialogs.parsers import PARSERS

__all__ = ["FLOWS", "Flow", "FlowEngine", "Guard", "Question", "check_flows", "graph",
           "register", "validate"]

Guard = Callable[[Mapping[str, Any], Any], bool]   # (record after the answer, parsed value)

TRIGGER = "answer"
PROMPT_MAX = 120        # English prompt: leaves room for translations within 2 SMS segments
INFO_MAX = 290          # English explanation: about 4 SMS segments once translated


@dataclass(frozen=True, slots=True)
class Question:
    """An asking state: the record field it fills, how its answer is parsed, what it says."""

    state: str
    field: str
    answer: str                     # a key of parsers.PARSERS
    prompt: str                     # message id, marked with N_ in the flow module
    hint: str                       # message id of the re-ask, with examples
    options: tuple[Choice, ...] = ()
    code: str | None = None         # the item of a list field this yes/no question asks about
    intro: str | None = None        # an explanation shown once before the prompt
    allow_unknown: bool = False     # an "I don't know" button is offered
    required: bool = False          # cannot go without an answer (consent): says why, offers a person
    why: str | None = None          # message id: why a required question needs an answer
    # Choices that a plain negation answers: "não tenho passaporte" names the passport (a
    # ``plain`` value) but says there is none (``negative``); "no, it expired" stays expired.
    negative: str | None = None
    plain: tuple[str, ...] = ()
    # SMS, where every segment is paid for: a shorter intro that shares the prompt's message
    # (instead of ``intro`` in its own), and a shorter prompt where the menu is long.
    sms_intro: str | None = None
    sms_prompt: str | None = None
    under_age: int | None = None    # a yes/no question about age: a typed age answers it

    def expecting(self, options: tuple[Choice, ...] | None = None) -> Expecting:
        kind = PARSERS.get(self.answer, "text")
        opts = self.options if options is None else options
        return Expecting(self.field, kind, self.code, opts)


@dataclass(frozen=True)
class Flow:
    """A flow as data: its questions, ending states and guarded transitions."""

    name: str
    initial: str
    questions: tuple[Question, ...]
    endings: tuple[str, ...]
    transitions: tuple[dict[str, Any], ...]
    guards: Mapping[str, Guard]
    source: str | None = None       # the Python file that declares it, for the N_ check
    by_state: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_state", {q.state: q for q in self.questions})

    @property
    def states(self) -> list[str]:
        return [q.state for q in self.questions] + list(self.endings)

    def messages(self) -> list[str]:
        """Every message id the flow's questions show."""
        out: list[str] = []
        for q in self.questions:
            out += [q.prompt, q.hint] + [t for t in (q.intro, q.sms_intro, q.sms_prompt, q.why) if t]
            out += [o.label.msgid for o in q.options]
        return out


def _names(spec: Any) -> list[str]:
    if spec is None:
        return []
    return [spec] if isinstance(spec, str) else list(spec)


def _wrapped(source: str) -> set[str]:
    """Message ids marked with N_ in a Python file (what Babel's extractor will find)."""
    with open(source, "rb") as fh:
        return {msg for _, msg, _, _ in extract("python", fh, keywords={"N_": None})
                if isinstance(msg, str)}


def validate(flow: Flow, has_translation: Callable[[str], bool] | None = None) -> list[str]:
    """Problems of a flow definition; empty when it is consistent."""
    problems: list[str] = []
    states = flow.states
    where = f"flow {flow.name}"
    if len(set(states)) != len(states):
        problems.append(f"{where}: duplicate state names")
    if flow.initial not in states:
        problems.append(f"{where}: initial state {flow.initial!r} is not declared")
    edges: dict[str, list[tuple[str, bool]]] = {s: [] for s in states}
    for t in flow.transitions:
        src, dest = t.get("source"), t.get("dest")
        if src not in states:
            problems.append(f"{where}: transition from unknown state {src!r}")
            continue
        if dest not in states:
            problems.append(f"{where}: transition {src} -> unknown target {dest!r}")
            continue
        guards = _names(t.get("conditions")) + _names(t.get("unless"))
        problems += [f"{where}: {src} -> {dest}: unknown guard {g!r}"
                     for g in guards if g not in flow.guards]
        edges[src].append((dest, not guards))
    seen, todo = {flow.initial}, [flow.initial]
    while todo:
        for dest, _ in edges.get(todo.pop(), []):
            if dest not in seen:
                seen.add(dest)
                todo.append(dest)
    problems += [f"{where}: state {s!r} is unreachable" for s in states if s not in seen]
    for q in flow.questions:
        if q.answer not in PARSERS:
            problems.append(f"{where}: {q.state}: no parser for answer type {q.answer!r}")
        if not edges.get(q.state) or not edges[q.state][-1][1]:
            problems.append(f"{where}: {q.state}: no unguarded last transition (a dead end)")
        for kind, text in (("prompt", q.prompt), ("hint", q.hint), ("sms_prompt", q.sms_prompt),
                           ("sms_intro", q.sms_intro)):
            if text and len(text) > PROMPT_MAX:
                problems.append(f"{where}: {q.state}: {kind} longer than {PROMPT_MAX} characters")
        if q.intro and len(q.intro) > INFO_MAX:
            problems.append(f"{where}: {q.state}: intro longer than {INFO_MAX} characters")
    if flow.source:
        marked = _wrapped(flow.source)
        problems += [f"{where}: message not wrapped in N_(): {m!r}"
                     for m in dict.fromkeys(flow.messages()) if m not in marked]
    if has_translation is not None:
        problems += [f"{where}: no translation for {m!r}"
                     for m in dict.fromkeys(flow.messages()) if not has_translation(m)]
    return problems


class FlowEngine:
    """One shared Machine for a flow, and the next-state table read from it."""

    def __init__(self, flow: Flow) -> None:
        problems = validate(flow)
        if problems:
            raise FlowError("; ".join(problems))
        self.flow = flow
        self.machine = Machine(model=None, states=flow.states, initial=flow.initial,
                               transitions=[dict(t, trigger=TRIGGER) for t in flow.transitions],
                               auto_transitions=False)
        # (source) -> [(dest, guards that must pass, guards that must fail)], in declared order.
        self._table: dict[str, list[tuple[str, tuple[Guard, ...], tuple[Guard, ...]]]] = {}
        for source, transitions in self.machine.events[TRIGGER].transitions.items():
            self._table[source] = [
                (str(t.dest), tuple(flow.guards[str(c.func)] for c in t.conditions if c.target),
                 tuple(flow.guards[str(c.func)] for c in t.conditions if not c.target))
                for t in transitions
            ]

    def next_state(self, source: str, record: Mapping[str, Any], value: Any) -> str:
        """Where an answer in ``source`` leads: the first transition whose guards pass."""
        for dest, must, must_not in self._table.get(source, ()):
            if all(g(record, value) for g in must) and not any(g(record, value) for g in must_not):
                return dest
        raise FlowError(f"no transition from {source!r}")


FLOWS: dict[str, Flow] = {}


def register(flow: Flow) -> FlowEngine:
    """Validate a flow (raising FlowError), remember it for checks and diagrams, build its engine."""
    engine = FlowEngine(flow)
    FLOWS[flow.name] = flow
    return engine


def check_flows(has_translation: Callable[[str], bool] | None = None,
                flows: Iterable[Flow] | None = None) -> list[str]:
    """Problems of every registered flow, of the programme content and of the return-safety
    list; empty means all is well."""
    import dialogs  # noqa: F401  (importing the package registers its flows)
    from dialogs import return_safety
    from dialogs.content import ITEMS

    problems: list[str] = []
    for flow in FLOWS.values() if flows is None else flows:
        problems += validate(flow, has_translation)
    if has_translation is not None:  # every other N_-marked message of the package too
        for path in sorted(Path(__file__).parent.glob("*.py")):
            problems += [f"{path.name}: no translation for {msg!r}"
                         for msg in sorted(_wrapped(str(path))) if not has_translation(msg)]
    for key, entry in ITEMS.items():
        if not entry.source.startswith(("http://", "https://")):
            problems.append(f"content {key}: source is not a URL")
        if has_translation is not None and not has_translation(entry.text):
            problems.append(f"content {key}: no translation for {entry.text!r}")
    problems += return_safety.RETURN_SAFETY.problems
    return problems


def graph(flow_name: str, fmt: str = "mermaid") -> str:
    """The flow's diagram: Mermaid stateDiagram text (from transitions) or a standalone SVG."""
    import dialogs  # noqa: F401

    if flow_name not in FLOWS:
        raise FlowError(f"unknown flow {flow_name!r} (known: {', '.join(sorted(FLOWS))})")
    flow = FLOWS[flow_name]
    if fmt == "svg":
        from dialogs._svg import render_svg

        return render_svg(flow)
    if fmt != "mermaid":
        raise ValueError(f"unknown graph format {fmt!r}")
    from transitions.extensions import GraphMachine

    gm = GraphMachine(model=None, states=flow.states, initial=flow.initial, title=flow.name,
                      transitions=[dict(t, trigger=TRIGGER) for t in flow.transitions],
                      auto_transitions=False, graph_engine="mermaid", show_conditions=True)
    model = type("Diagram", (), {})()
    gm.add_model(model)
    text: str = model.get_graph().draw(None)
    return text.rstrip() + "\n"


def diagram_path(flow_name: str) -> Path:
    """Where a flow's Mermaid diagram is kept, beside the flow."""
    return Path(__file__).with_name(f"{flow_name}.mmd")
