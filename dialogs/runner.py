"""Runs a flow turn by turn: danger first, then global commands, then the answer to the
question the person is in, re-asks with examples, and the ending.

No question is asked more than three times in a row: after the third answer we could not read,
the question is left unanswered and the flow goes on (one that cannot go without an answer,
consent, ends politely instead). "I don't know" and "I'd rather not say" are answers, accepted
wherever a question can go without one. A person in danger is never asked the same question
twice.

The persisted state is the flow state, optionally with a failure count ("district#2") or an
interruption that resumes a state ("language>district", "confirm_erase>district"), so nothing
about the turn lives outside the state string and the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs import messages as m
from dialogs.base import N_, Choice, Context, Expecting, Given, Reply, Step, Text
from dialogs.commands import match_command
from dialogs.danger import Alarm, danger
from dialogs.engine import FlowEngine, Question
from dialogs.languages import LANGUAGE_OPTIONS, language_options, parse_language
from dialogs.parsers import menu_choice, parse
from dialogs.understand import DECLINE, UNSURE, Reading, read_polarity

__all__ = ["CONFIRM_ERASE", "MAX_ASKS", "FlowDialog", "confirming_erasure", "split_state"]

MAX_ASKS = 3            # times a question is asked in a row, at most
SHORT_ANSWER = 3        # words: "sim, claro" answers a question; a sentence starts a conversation
OFFER_PERSON_AFTER = 2  # failures after which "talk to a person" is offered
PERSON = Choice("talk_to_person", Text(N_("Talk to a person")))
SKIP = "skip"           # a declined question of an optional block skips the rest of it
_YES_NO = (Choice("yes", Text(N_("Yes"))), Choice("no", Text(N_("No"))))
_OPTION_VALUES = {"yes": True, "no": False, "unknown": None}
CONFIRM_ERASE = "confirm_erase"
_INTERRUPTS = ("language", CONFIRM_ERASE)


def split_state(state: str) -> tuple[str, str | None, int]:
    """(state, resume state of an interruption, failures so far)."""
    base, _, fails = state.partition("#")
    base, _, resume = base.partition(">")
    return base, resume or None, int(fails) if fails.isdigit() else 0


def confirming_erasure(state: str) -> bool:
    """Whether the dialog waits for the person to confirm erasing their data (their answer must
    reach it even while a caseworker has the case)."""
    base, resume, _ = split_state(state)
    return base == CONFIRM_ERASE and resume is not None


def in_danger(data: Mapping[str, Any]) -> bool:
    return data.get("in_danger_now") is True


class FlowDialog:
    """A Dialog over a FlowEngine; subclasses add the flow's own storing and ending."""

    name = "flow"

    def __init__(self, engine: FlowEngine) -> None:
        self.engine = engine
        self.flow = engine.flow

    # -- the Dialog protocol ---------------------------------------------------------------
    def begin(self, record: Mapping[str, Any], ctx: Context, given: Given | None = None) -> Step:
        data = dict(record)
        alarm = given is not None and given.choice is None and danger(given.text) is not None
        if alarm:
            data["in_danger_now"] = True
        if not ctx.language:  # nothing tells the person's language yet: let them pick it
            step = self._language_menu(self.flow.initial, data, ctx.languages)
            step.replies = [Reply((Text(m.CHOOSE_LANGUAGE_ANY),),
                                  options=language_options(ctx.languages))]
        else:
            step = self.ask(self.flow.by_state[self.flow.initial], data, ctx=ctx)
            if ctx.offer and ctx.offer != ctx.language:
                step.replies.append(m.offer_language(ctx.offer))
        if alarm:
            # The helplines come first, before consent and before any question, in the best
            # language known (a weak guess is better than none).
            best = ctx.language or ctx.offer or next(iter(ctx.languages), None)
            step.replies.insert(0, m.emergency_reply(best))
            step.actions = ("urgent", *step.actions)
        return step

    def advance(self, state: str, record: Mapping[str, Any], given: Given, ctx: Context) -> Step:
        data = dict(record)
        base, resume, fails = split_state(state)
        text = given.text if given.choice is None else ""
        alarm = danger(text) if text else None
        if alarm is not None:
            return self.danger(state, data, ctx, alarm, given)
        command = match_command(text) if text else None
        if command:
            return self.command(command, state, data, ctx)
        if base == "language":
            return self._language(given, resume or self.flow.initial, data, ctx)
        if base == CONFIRM_ERASE:
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
        if base == self.flow.initial and text and not data.get("consent"):
            switched = parse_language(text)
            if switched is not None and switched != ctx.language:
                # "português", "اردو", "BR" before the first answer: the person picks the
                # language the greeting offered, or their own.
                return self._language(Given(kind="choice", choice=switched), base, data, ctx)
        if ctx.relanguaged and base == self.flow.initial and len(text.split()) > SHORT_ANSWER:
            # A sentence in another language than the greeting: greet again, in theirs.
            return self.begin(data, ctx, given)
        reading = self.parse(question, given, fails, ctx)
        if reading is None:
            return self.not_understood(question, data, fails + 1, ctx)
        if reading.value == PERSON.value:
            return self.command("person", state, data, ctx)
        replies: list[Reply] = []
        if reading.kind != "value":
            if question.required:
                return self.not_understood(question, data, fails + 1, ctx, why=True)
            return self.skip(question, data, ctx, reading.kind)
        actions: list[str] = []
        self.store(question, data, reading.value, ctx, replies, actions)
        return self.go_on(question, data, reading.value, ctx, replies, actions)

    def go_on(self, question: Question, data: dict[str, Any], value: Any, ctx: Context,
              replies: list[Reply], actions: list[str]) -> Step:
        """After an answer (or none): the next question, or the ending."""
        dest = self.engine.next_state(question.state, data, value)
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
        sms = ctx is not None and ctx.priced_per_segment
        prompt = q.sms_prompt if sms and q.sms_prompt else q.prompt
        # The greeting says who runs the service (after its neutral first line); on SMS only
        # when there is a name to give, each segment being paid for.
        operator = ctx.operator if ctx else ""
        who = (m.run_by(operator),) if first and q.state == self.flow.initial \
            and (q.intro or q.sms_intro) and (operator or not sms) else ()
        if first and sms and q.sms_intro:
            # One message instead of an intro and a question: a segment, not three.
            replies = [Reply((Text(q.sms_intro), *who, Text(prompt)), options=opts)]
        else:
            replies = [Reply((Text(q.intro), *who), kind="info")] if first and q.intro else []
            replies.append(Reply((Text(prompt),), options=opts))
        return Step(state=state or q.state, record=data, replies=replies,
                    expecting=q.expecting(opts))

    def reask(self, q: Question, data: dict[str, Any], fails: int, why: bool = False,
              ctx: Context | None = None) -> Step:
        """A short re-ask with examples (the hint, not the whole question again: SMS costs the
        person money); after two failures, or when a required question says why, a person is
        offered too."""
        parts = [Text(m.NOT_UNDERSTOOD), Text(q.hint)]
        options = q.options
        if why and q.why:
            parts = [Text(q.why), Text(q.prompt)]
        if why or fails >= OFFER_PERSON_AFTER:
            if not why:
                parts.append(Text(m.OFFER_PERSON))
            options = (*q.options, PERSON)
        step = self.ask(q, data, first=False, state=f"{q.state}#{fails}", options=options, ctx=ctx)
        step.replies = [Reply(tuple(parts), options=options)]
        return step

    def not_understood(self, q: Question, data: dict[str, Any], fails: int, ctx: Context,
                       why: bool = False) -> Step:
        """Ask again, at most three times in all; then leave the question unanswered."""
        if q.required:
            if fails >= MAX_ASKS or (in_danger(data) and fails > 1):
                return self.give_up(q, data, ctx)
            return self.reask(q, data, fails, why=why or fails == 1, ctx=ctx)
        if fails >= MAX_ASKS or in_danger(data):
            return self.skip(q, data, ctx, "unanswered")
        return self.reask(q, data, fails, ctx=ctx)

    def skip(self, q: Question, data: dict[str, Any], ctx: Context, why: str) -> Step:
        """Go on without an answer: "unsure" (stored as unknown), "decline" (noted as declined)
        or "unanswered" (we could not read it three times)."""
        replies: list[Reply] = []
        if why == "decline":
            data["declined"] = [*dict.fromkeys([*(data.get("declined") or []), q.field])]
            replies.append(Reply((Text(m.NO_PROBLEM),), kind="info"))
        elif why == "unanswered":
            data["unanswered"] = [*dict.fromkeys([*(data.get("unanswered") or []), q.field])]
            replies.append(Reply((Text(m.NOT_UNDERSTOOD), Text(m.MOVING_ON)), kind="info"))
        value: Any = None
        if q.answer == "yes_no_skip" and why == "decline":
            value = SKIP  # "rather not say" in the optional block skips the rest of it
        self.store(q, data, value, ctx, replies, [])
        return self.go_on(q, data, value, ctx, replies, [])

    def give_up(self, q: Question, data: dict[str, Any], ctx: Context) -> Step:
        """A question that cannot go without an answer, not answered: end politely."""
        return self.finish(self.flow.endings[-1], data, ctx)

    def interpret(self, q: Question, data: Mapping[str, Any], given: Given, fails: int,
                  ctx: Context) -> Reading | str | None:
        """What a message typed at question ``q`` is, in the order ``advance`` acts on it:
        danger (an answer too when it says what the question asks), a command, a language
        named before the first answer, or the answer."""
        text = given.text if given.choice is None else ""
        if text:
            alarm = danger(text)
            if alarm is not None:
                answer = None if q.required else self._danger_answer(q, alarm, given, fails, ctx)
                return answer or "danger"
            command = match_command(text)
            if command:
                return f"command:{command}"
            if q.state == self.flow.initial and not data.get("consent"):
                switched = parse_language(text)
                if switched is not None and switched != ctx.language:
                    return f"language:{switched}"
        return self.parse(q, given, fails, ctx)

    def _danger_answer(self, q: Question, alarm: Alarm, given: Given, fails: int,
                       ctx: Context) -> Reading | None:
        """What a danger message also answers: what it says, or else what the danger tells
        ("they locked me in" to "are you stopped from leaving?"). What it says comes first: a
        "nobody threatened me" that an alarm heard as a threat still answers no."""
        reading = self.parse(q, given, fails, ctx)
        if reading is not None and reading.kind == "value" and reading.value != PERSON.value:
            return reading
        return self.answer_from_danger(q, alarm)

    def answer_from_danger(self, q: Question, alarm: Alarm) -> Reading | None:
        """Danger that answers the question asked ("they locked me in" to "are you stopped
        from leaving?"); None when it does not. The flow decides (see ScreeningDialog)."""
        return None

    def parse(self, q: Question, given: Given, fails: int, ctx: Context) -> Reading | None:
        options = (*q.options, PERSON) if fails >= OFFER_PERSON_AFTER or (q.required and fails) \
            else q.options
        picked = menu_choice(given, options)
        if picked is not None:
            if picked == PERSON.value:
                return Reading(picked)
            if q.answer == "multi_choice":
                return Reading([] if picked == q.negative else [picked])
            if q.answer.startswith("yes_no"):
                if picked == "skip":
                    return DECLINE
                value = _OPTION_VALUES.get(picked, picked)
                return UNSURE if value is None else Reading(value)
            if picked == "unknown" and q.answer != "choice":  # an "I don't know" button
                return UNSURE
            return Reading(picked)
        if given.choice is not None and not given.text:
            return None
        return parse(q, given.text, ctx.language or "en")

    def store(self, q: Question, data: dict[str, Any], value: Any, ctx: Context,
              replies: list[Reply], actions: list[str]) -> None:
        """Put the answer in the record; list fields collect the codes answered yes."""
        if value == SKIP:
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

    def danger(self, state: str, data: dict[str, Any], ctx: Context,
               alarm: Alarm | None = None, given: Given | None = None) -> Step:
        """Emergency numbers first, an urgent case, and the flow carries on: the question the
        person was in is asked again only if the message did not answer it and they were not
        known to be in danger already."""
        again = in_danger(data)
        data["in_danger_now"] = True
        base, resume, fails = split_state(state)
        q = self.flow.by_state.get(base) if resume is None else None
        answer = None
        if q is not None and not q.required and alarm is not None and given is not None:
            answer = self._danger_answer(q, alarm, given, fails, ctx)
        if q is not None and answer is not None:
            replies: list[Reply] = []
            actions: list[str] = []
            self.store(q, data, answer.value, ctx, replies, actions)
            step = self.go_on(q, data, answer.value, ctx, replies, actions)
        elif again and q is not None and not q.required:
            step = self.skip(q, data, ctx, "danger")
        else:
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
        if base == CONFIRM_ERASE:
            return self._confirm_menu(resume or self.flow.initial, data)
        q = self.flow.by_state.get(base)
        if q is None:
            return Step(state=state, record=data)
        options = (*q.options, PERSON) if fails >= OFFER_PERSON_AFTER else q.options
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
        if command == "withdraw":
            # Said at once, then whatever they were answering is asked again; the referrals
            # side ends their agreements (the action) and names who was asked to delete.
            step = self.resume(state, data, ctx)
            step.replies.insert(0, Reply((Text(m.WITHDRAWN),), kind="info"))
            step.actions = ("withdraw_consent", *step.actions)
            return step
        if command == "info":
            infos = self.more_info(base, data)
        else:
            infos = [m.help_reply()] if command == "help" else m.privacy_replies(ctx.operator)
        step = self.resume(state, data, ctx)
        step.replies[:0] = infos
        return step

    def _language_menu(self, back: str, data: dict[str, Any],
                       shortlist: tuple[str, ...] = ()) -> Step:
        options = language_options(shortlist)
        reply = Reply((Text(m.CHOOSE_LANGUAGE),), options=options)
        return Step(state=f"language>{back}", record=data, replies=[reply],
                    expecting=Expecting("language", "choice", options=options))

    def _language(self, given: Given, back: str, data: dict[str, Any], ctx: Context) -> Step:
        code = menu_choice(given, LANGUAGE_OPTIONS) or parse_language(given.text)
        if code is None:
            return self._language_menu(back, data)
        ctx = Context(language=code, source=ctx.source,
                      priced_per_segment=ctx.priced_per_segment, phone_address=ctx.phone_address,
                      operator=ctx.operator)
        step = self.resume(back, data, ctx)
        if split_state(back)[0] == self.flow.initial and not data.get("consent"):
            # Before the first answer: the greeting and the first question, in that language.
            step = self.ask(self.flow.by_state[self.flow.initial], data, ctx=ctx)
        if not step.replies:
            step.replies = [Reply((Text(m.LANGUAGE_SET),), kind="info")]
        step.language = code
        if "language" in step.record:
            step.record["language"] = code
        return step

    def _confirm_menu(self, back: str, data: dict[str, Any]) -> Step:
        reply = Reply((Text(m.CONFIRM_ERASE),), options=_YES_NO)
        return Step(state=f"{CONFIRM_ERASE}>{back}", record=data, replies=[reply],
                    expecting=Expecting(CONFIRM_ERASE, "yes_no", options=_YES_NO))

    def _confirm_erase(self, given: Given, back: str, data: dict[str, Any], ctx: Context) -> Step:
        picked = menu_choice(given, _YES_NO)
        answer = _OPTION_VALUES.get(picked) if picked else None
        if picked is None:
            polarity = read_polarity(given.text, ctx.language or "en")
            answer = {"yes": True, "no": False}.get(polarity or "")
        if answer is True:
            return Step(state="ended", record={}, actions=("erase",),
                        replies=[Reply((Text(m.ERASED),), kind="info")])
        if answer is False:
            step = self.resume(back, data, ctx)
            step.replies.insert(0, Reply((Text(m.NOT_ERASED),), kind="info"))
            return step
        return self._confirm_menu(back, data)
