"""Runs a flow turn by turn: danger words and global commands first, then the answer to the
question the person is in, re-asks with examples, and the ending.

The persisted state is the flow state, optionally with a failure count ("district#2") or an
interruption that resumes a state ("language>district", "confirm_erase>district"), so nothing
about the turn lives outside the state string and the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs import messages as m
from dialogs.base import N_, Choice, Context, Expecting, Given, Reply, Step, Text
from dialogs.commands import is_danger, match_command
from dialogs.engine import FlowEngine, Question
from dialogs.languages import LANGUAGE_OPTIONS, parse_language
from dialogs.parsers import PARSERS, Answer, menu_choice, parse_yes_no

__all__ = ["FlowDialog"]

MAX_FAILURES = 3
PERSON = Choice("talk_to_person", Text(N_("Talk to a person")))
_YES_NO = (Choice("yes", Text(N_("Yes"))), Choice("no", Text(N_("No"))))
_OPTION_VALUES = {"yes": True, "no": False, "unknown": None}
_INTERRUPTS = ("language", "confirm_erase")


def split_state(state: str) -> tuple[str, str | None, int]:
    """(state, resume state of an interruption, failures so far)."""
    base, _, fails = state.partition("#")
    base, _, resume = base.partition(">")
    return base, resume or None, int(fails) if fails.isdigit() else 0


class FlowDialog:
    """A Dialog over a FlowEngine; subclasses add the flow's own storing and ending."""

    name = "flow"

    def __init__(self, engine: FlowEngine) -> None:
        self.engine = engine
        self.flow = engine.flow

    # -- the Dialog protocol ---------------------------------------------------------------
    def begin(self, record: Mapping[str, Any], ctx: Context) -> Step:
        if not ctx.language:  # nothing tells the person's language yet: let them pick it
            step = self._language_menu(self.flow.initial, dict(record))
            step.replies = [Reply((Text(m.CHOOSE_LANGUAGE_ANY),), options=LANGUAGE_OPTIONS)]
            return step
        return self.ask(self.flow.by_state[self.flow.initial], dict(record), ctx=ctx)

    def advance(self, state: str, record: Mapping[str, Any], given: Given, ctx: Context) -> Step:
        data = dict(record)
        base, resume, fails = split_state(state)
        text = given.text if given.choice is None else ""
        if text and is_danger(text):
            return self.danger(state, data, ctx)
        command = match_command(text) if text else None
        if command:
            return self.command(command, state, data, ctx)
        if base == "language":
            return self._language(given, resume or self.flow.initial, data, ctx)
        if base == "confirm_erase":
            return self._confirm_erase(given, resume or self.flow.initial, data, ctx)
        if base in self.flow.endings:
            return self.at_end(base, data, ctx)
        question = self.flow.by_state.get(base)
        if question is None:  # a state renamed since the conversation started: start over
            return self.begin({}, ctx)
        if given.choice is None and not given.text.strip():
            # A photo, a location or a sticker: say what we can read, without counting a failure.
            step = self.resume(state, data, ctx)
            step.replies.insert(0, Reply((Text(m.TEXT_ONLY),), kind="info"))
            return step
        answer = self.parse(question, given, fails)
        if answer is None or (answer.value is None and not question.allow_unknown):
            return self.reask(question, data, fails + 1)
        if answer.value == PERSON.value:
            return self.command("person", state, data, ctx)
        replies: list[Reply] = []
        actions: list[str] = []
        self.store(question, data, answer.value, ctx, replies, actions)
        dest = self.engine.next_state(question.state, data, answer.value)
        if dest in self.flow.endings:
            step = self.finish(dest, data, ctx)
        else:
            step = self.ask(self.flow.by_state[dest], data, ctx=ctx)
        step.replies[:0] = replies
        step.actions = tuple(dict.fromkeys([*actions, *step.actions]))
        return step

    # -- asking and parsing ------------------------------------------------------------------
    def ask(self, q: Question, data: dict[str, Any], first: bool = True,
            state: str | None = None, options: tuple[Choice, ...] | None = None,
            ctx: Context | None = None) -> Step:
        opts = q.options if options is None else options
        sms = ctx is not None and ctx.channel == "sms"
        prompt = q.sms_prompt if sms and q.sms_prompt else q.prompt
        if first and sms and q.sms_intro:
            # One message instead of an intro and a question: a segment, not three.
            replies = [Reply((Text(q.sms_intro), Text(prompt)), options=opts)]
        else:
            replies = [Reply((Text(q.intro),), kind="info")] if first and q.intro else []
            replies.append(Reply((Text(prompt),), options=opts))
        return Step(state=state or q.state, record=data, replies=replies,
                    expecting=q.expecting(opts))

    def reask(self, q: Question, data: dict[str, Any], fails: int) -> Step:
        """A short re-ask with examples (the hint, not the whole question again: SMS costs the
        person money); from the third failure on, offer a person too."""
        parts = [Text(m.NOT_UNDERSTOOD), Text(q.hint)]
        options = q.options
        if fails >= MAX_FAILURES:
            parts.append(Text(m.OFFER_PERSON))
            options = (*q.options, PERSON)
        step = self.ask(q, data, first=False, state=f"{q.state}#{fails}", options=options)
        step.replies = [Reply(tuple(parts), options=options)]
        return step

    def parse(self, q: Question, given: Given, fails: int) -> Answer | None:
        options = (*q.options, PERSON) if fails >= MAX_FAILURES else q.options
        picked = menu_choice(given, options)
        if picked is not None:
            if q.answer == "multi_choice":
                return Answer([] if picked == "none" else [picked])
            if q.answer.startswith("yes_no"):
                return Answer(_OPTION_VALUES.get(picked, picked))
            if picked == "unknown" and q.answer != "choice":  # an "I don't know" button
                return Answer(None)
            return Answer(picked)
        if given.choice is not None and not given.text:
            return None
        parser = PARSERS[q.answer][0]
        return parser(given.text, q.options)

    def store(self, q: Question, data: dict[str, Any], value: Any, ctx: Context,
              replies: list[Reply], actions: list[str]) -> None:
        """Put the answer in the record; list fields collect the codes answered yes."""
        if value == "skip":
            return
        if q.code is not None:
            items = list(data.get(q.field) or [])
            if value is True and q.code not in items:
                items.append(q.code)
            data[q.field] = items
        else:
            data[q.field] = value

    # -- what the subclass decides -----------------------------------------------------------
    def finish(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        return Step(state=state, record=data)

    def at_end(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        return self.begin({}, ctx)

    def more_info(self, state: str, data: dict[str, Any]) -> list[Reply]:
        """What 'info' sends (the flow's own content); by default, the list of commands."""
        return [m.help_reply()]

    def danger(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        step = self.resume(state, data, ctx)
        step.replies.insert(0, m.emergency_reply())
        step.actions = ("urgent", *step.actions)
        return step

    # -- global commands ---------------------------------------------------------------------
    def resume(self, state: str, data: dict[str, Any], ctx: Context) -> Step:
        """Ask again whatever the person was answering, keeping the state as it was."""
        base, resume, fails = split_state(state)
        if base == "language":
            return self._language_menu(resume or self.flow.initial, data)
        if base == "confirm_erase":
            return self._confirm_menu(resume or self.flow.initial, data)
        q = self.flow.by_state.get(base)
        if q is None:
            return Step(state=state, record=data)
        options = (*q.options, PERSON) if fails >= MAX_FAILURES else q.options
        return self.ask(q, data, first=False, state=state, options=options, ctx=ctx)

    def command(self, command: str, state: str, data: dict[str, Any], ctx: Context) -> Step:
        base, resume, _ = split_state(state)
        back = resume if base in _INTERRUPTS and resume else base
        if command == "restart":
            step = self.begin({}, ctx)
            step.actions = ("restart",)
            return step
        if command == "language":
            return self._language_menu(back, data)
        if command == "erase":
            return self._confirm_menu(back, data)
        if command == "stop":
            return Step(state="ended", record=data, replies=[Reply((Text(m.STOPPED),), kind="info")],
                        actions=("stop",))
        if command == "exit":
            return Step(state="ended", record=data, actions=("quick_exit",))
        if command == "person":
            return Step(state=state, record=data, actions=("handoff",),
                        replies=[Reply((Text(m.PERSON_COMING),), kind="info")])
        if command == "info":
            infos = self.more_info(base, data)
        else:
            infos = [m.help_reply()] if command == "help" else m.privacy_replies()
        step = self.resume(state, data, ctx)
        step.replies[:0] = infos
        return step

    def _language_menu(self, back: str, data: dict[str, Any]) -> Step:
        reply = Reply((Text(m.CHOOSE_LANGUAGE),), options=LANGUAGE_OPTIONS)
        return Step(state=f"language>{back}", record=data, replies=[reply],
                    expecting=Expecting("language", "choice", options=LANGUAGE_OPTIONS))

    def _language(self, given: Given, back: str, data: dict[str, Any], ctx: Context) -> Step:
        code = menu_choice(given, LANGUAGE_OPTIONS) or parse_language(given.text)
        if code is None:
            return self._language_menu(back, data)
        ctx = Context(language=code, channel=ctx.channel, source=ctx.source)
        step = self.resume(back, data, ctx)
        if split_state(back)[0] == self.flow.initial and not data:
            # The menu came first: now the greeting and the first question, in that language.
            step = self.ask(self.flow.by_state[self.flow.initial], data, ctx=ctx)
        if not step.replies:
            step.replies = [Reply((Text(m.LANGUAGE_SET),), kind="info")]
        step.language = code
        if "language" in step.record:
            step.record["language"] = code
        return step

    def _confirm_menu(self, back: str, data: dict[str, Any]) -> Step:
        reply = Reply((Text(m.CONFIRM_ERASE),), options=_YES_NO)
        return Step(state=f"confirm_erase>{back}", record=data, replies=[reply],
                    expecting=Expecting("confirm_erase", "yes_no", options=_YES_NO))

    def _confirm_erase(self, given: Given, back: str, data: dict[str, Any], ctx: Context) -> Step:
        picked = menu_choice(given, _YES_NO)
        answer = _OPTION_VALUES.get(picked) if picked else None
        if picked is None:
            parsed = parse_yes_no(given.text)
            answer = parsed.value if parsed else None
        if answer is True:
            return Step(state="ended", record={}, actions=("erase",),
                        replies=[Reply((Text(m.ERASED),), kind="info")])
        if answer is False:
            step = self.resume(back, data, ctx)
            step.replies.insert(0, Reply((Text(m.NOT_ERASED),), kind="info"))
            return step
        return self._confirm_menu(back, data)
