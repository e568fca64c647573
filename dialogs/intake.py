"""The screening conversation: the screening flow run with consent, safety and the outcome.

This is the Dialog registered as ``DIALOGS["screening"]``. The flow itself (questions and
transitions) is data in ``screening.py``; the decisions are in ``rules.py``; the words shown
at the end are in ``outcome.py`` and the content file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dialogs import messages as m
from dialogs.base import N_, Choice, Context, Given, Reply, Step, Text
from dialogs.content import item
from dialogs.danger import Alarm
from dialogs.engine import Question, register
from dialogs.outcome import details, explain, needs_handoff
from dialogs.rules import decide
from dialogs.runner import FlowDialog, split_state
from dialogs.screening import BY_SMS, EXPLOITATION, FLOW, NEEDS_NUMBER
from dialogs.understand import Reading

__all__ = ["ScreeningDialog"]

# The trafficking indicator a danger concept tells (the record's codes, DESIGN.md §3).
INDICATOR_OF = {
    "confinement": "movement_restricted",
    "documents_taken": "documents_withheld",
    "violence": "threats_or_violence",
    "threats": "threats_or_violence",
    "sexual_violence": "threats_or_violence",
    "forced_work": "forced_activity",
}

_DECLINED = N_("OK. We have not kept your answers. If you need help, you can call:")
# After the end, what is true: a case was opened (a caseworker will write) or it was not.
_DONE = N_("Thank you. Our team has your answers and a caseworker will contact you. Write "
           "'person' to talk to someone, or 'restart' to start again.")
_DONE_NO_CASE = N_("Thank you. Your answers were not passed to a caseworker. Write 'person' to "
                   "talk to someone, 'info' to read about the programmes, or 'restart' to "
                   "start again.")


class ScreeningDialog(FlowDialog):
    """Screens a person for return and protection programmes and hands them to a caseworker."""

    name = "screening"

    def __init__(self) -> None:
        super().__init__(register(FLOW))

    def begin(self, record: Any, ctx: Context, given: Given | None = None) -> Step:
        # Nothing is kept from before consent but the danger already heard.
        kept = {"in_danger_now": True} if record.get("in_danger_now") is True else {}
        return super().begin(kept, ctx, given)

    def ask(self, q: Question, data: dict[str, Any], first: bool = True,
            state: str | None = None, options: tuple[Choice, ...] | None = None,
            ctx: Context | None = None) -> Step:
        if q.state == "contact_preference" and ctx is not None and ctx.priced_per_segment:
            # Where each segment is paid, "here in this chat" already is an SMS: one option
            # fewer, a shorter menu.
            options = tuple(o for o in (q.options if options is None else options)
                            if o.value != BY_SMS)
        return super().ask(q, data, first, state, options, ctx)

    def store(self, q: Question, data: dict[str, Any], value: Any, ctx: Context,
              replies: list[Reply], actions: list[str]) -> None:
        if q.state == "consent":
            data["consent"] = {"given": value is True, "notice_version": m.NOTICE_VERSION,
                               "at": datetime.now(UTC).isoformat(timespec="seconds")}
            data["language"] = ctx.language
            return
        if q.state == "work_safety":  # the gate of the indicator block: the list starts empty
            if value is not None and value != "skip":
                items = list(data.get("trafficking_indicators") or [])
                if value is True and EXPLOITATION not in items:
                    # A yes here counts even if every detail after it is skipped.
                    items.append(EXPLOITATION)
                data["trafficking_indicators"] = items
            return
        if value == "same_as_nationality":
            value = data.get("nationality")
        if q.state == "contact_preference":
            if value == BY_SMS and ctx.priced_per_segment:
                value = "this_chat"  # they write by SMS already
            if value in NEEDS_NUMBER and ctx.phone_address:
                data["contact_phone"] = "this_number"  # the number they write from
        if q.state == "contact_phone" and value is None:
            data["contact_preference"] = "this_chat"  # no number given: we write here
        super().store(q, data, value, ctx, replies, actions)
        if q.state == "travel_document" and value == "held_by_other":
            # Someone else keeping a person's passport is a trafficking indicator.
            items = list(data.get("trafficking_indicators") or [])
            data["trafficking_indicators"] = [*items, "documents_withheld"] if \
                "documents_withheld" not in items else items
        if q.state == "in_danger_now" and value is True:
            replies.append(m.emergency_reply())
            actions.append("urgent")
        if q.state == "is_minor_alone" and value is True:
            actions.append("urgent")  # a child alone: a person must see this at once

    def danger(self, state: str, data: dict[str, Any], ctx: Context,
               alarm: Alarm | None = None, given: Given | None = None) -> Step:
        if split_state(state)[0] == "in_danger_now":  # "help me" answers the safety question
            return self.advance(state, data, Given(kind="choice", choice="yes"), ctx)
        indicator = INDICATOR_OF.get(alarm.concept) if alarm is not None else None
        if indicator and (data.get("consent") or {}).get("given"):
            # What they told us is kept for the caseworker, as if they had answered it.
            items = list(data.get("trafficking_indicators") or [])
            data["trafficking_indicators"] = [*items, indicator] if indicator not in items else items
        return super().danger(state, data, ctx, alarm, given)

    def answer_from_danger(self, q: Question, alarm: Alarm) -> Reading | None:
        indicator = INDICATOR_OF.get(alarm.concept)
        if q.state == "in_danger_now" or (indicator and q.code == indicator):
            return Reading(True)
        if q.state == "work_safety" and indicator:
            return Reading(True)
        if q.state == "travel_document" and alarm.concept == "documents_taken":
            return Reading("held_by_other")
        return None

    def finish(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        if state == "ended":  # consent refused: keep nothing but the refusal itself
            record = {"consent": {"given": False, "notice_version": m.NOTICE_VERSION}}
            helplines = (Text(_DECLINED), item("helplines.emergency"),
                         item("helplines.trafficking"), item("helplines.migrants"))
            return Step(state="ended", record=record, replies=[Reply(helplines, kind="info")])
        outcome = decide(data)
        replies = explain({**outcome, "vulnerabilities": data.get("vulnerabilities") or ()},
                          ctx.priced_per_segment, data.get("contact_preference"))
        actions = ("handoff",) if needs_handoff(outcome) else ()
        return Step(state="done", record=data, replies=replies, outcome=outcome, actions=actions)

    def more_info(self, state: str, data: dict[str, Any]) -> list[Reply]:
        # At the end the outcome is decided again from the record: the same rules, the same
        # answer, without the dialog having to keep it.
        return details(decide(data) if state == "done" else None)

    def at_end(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        if state == "done":
            said = _DONE if needs_handoff(decide(data)) else _DONE_NO_CASE
            return Step(state="done", record=data, replies=[Reply((Text(said),), kind="info")])
        return self.begin({}, ctx)
