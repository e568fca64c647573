"""Scoring the corpora written from people's side (tests/corpora/*/<locale>.tsv).

Each corpus was written by native speakers who had not seen the parsers (README.md, "Measured
from people's side"). The tests run every line and assert the targets; ``python -m bench
understanding`` prints the same figures per locale.

    answers/<locale>.tsv         state  expected  text  style
    danger/<locale>.tsv          1|0  concept  text  style
    first_messages/<locale>.tsv  text  style

Each kind has four sets, each written by other native speakers: ``<locale>.tsv``,
``<locale>.2.tsv`` and ``<locale>.3.tsv``, which the word lists were tuned against (each one
first measured as held out, then tuned on), and ``<locale>.held_out.tsv``, written last and
never used for tuning: how well the lists do on it is how well they do on what nobody has
written yet.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
POLAR = ("yes", "no")


TUNING, HELD_OUT = ("", ".2", ".3", ".4"), (".held_out",)


def rows(kind: str, locale: str, held_out: bool = False) -> Iterator[list[str]]:
    for name in HELD_OUT if held_out else TUNING:
        path = HERE / kind / f"{locale}{name}.tsv"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                yield line.split("\t")


def locales() -> list[str]:
    from locales import SUPPORTED

    return list(SUPPORTED)


# -- answers -------------------------------------------------------------------------------

@dataclass
class AnswerScore:
    locale: str
    total: int = 0
    right: int = 0
    no_as_yes: int = 0          # a "no" understood as "yes": must never happen
    not_yes_as_yes: int = 0     # a no, "don't know" or "rather not say" understood as yes
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # state, want, got, text

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def _shown(q: Any, reading: Any) -> str:
    """A Reading as the corpus writes answers."""
    if reading is None:
        return "not_understood"
    if reading.kind != "value":
        return str(reading.kind)
    value = reading.value
    if q.answer.startswith("yes_no"):
        return {True: "yes", False: "no"}.get(value, str(value))
    if q.answer == "multi_choice":
        return "none" if value == [] else ",".join(sorted(value))
    if value in ("unknown", "unsure"):
        return "unsure"
    if value == "skip":
        return "decline"
    return str(value)


def understood(state: str, text: str, locale: str) -> str:
    """What the screening makes of ``text`` typed at ``state``, as the corpus writes it."""
    from dialogs import DIALOGS
    from dialogs.base import Context, Given

    dialog = DIALOGS["screening"]
    q = dialog.flow.by_state[state]
    ctx = Context(language=locale)
    found = dialog.interpret(q, {"consent": {"given": True}}, Given(text=text), 0, ctx)
    return found if isinstance(found, str) else _shown(q, found)


def _same(state: str, want: str, got: str) -> bool:
    if state == "vulnerabilities" and "," in want:
        want = ",".join(sorted(want.split(",")))
    if state == "consent" and want in ("unsure", "decline"):
        return got in ("unsure", "decline")  # either way: no consent, and we say why
    return want == got


def score_answers(locale: str, held_out: bool = False) -> AnswerScore:
    score = AnswerScore(locale)
    for state, want, text, _style in rows("answers", locale, held_out):
        got = understood(state, text, locale)
        score.total += 1
        if _same(state, want, got):
            score.right += 1
            continue
        score.misses.append((state, want, got, text))
        if got == "yes" and want == "no":
            score.no_as_yes += 1
        if got == "yes" and want in ("no", "unsure", "decline"):
            score.not_yes_as_yes += 1
    return score


# -- danger --------------------------------------------------------------------------------

@dataclass
class DangerScore:
    locale: str
    danger: int = 0
    heard: int = 0
    ordinary: int = 0
    false_alarms: int = 0
    seconds: float = 0.0
    misses: list[tuple[str, str]] = field(default_factory=list)  # concept, text
    alarms: list[tuple[str, str]] = field(default_factory=list)  # cue, text

    @property
    def recall(self) -> float:
        return self.heard / self.danger if self.danger else 0.0


def score_danger(locale: str, held_out: bool = False) -> DangerScore:
    from dialogs.danger import danger

    score = DangerScore(locale)
    for flag, concept, text, _style in rows("danger", locale, held_out):
        started = time.perf_counter()
        alarm = danger(text)
        score.seconds += time.perf_counter() - started
        if flag == "1":
            score.danger += 1
            if alarm is not None:
                score.heard += 1
            else:
                score.misses.append((concept, text))
        else:
            score.ordinary += 1
            if alarm is not None:
                score.false_alarms += 1
                score.alarms.append((f"{alarm.locale}:{alarm.concept}: {alarm.cue}", text))
    return score


# -- first messages --------------------------------------------------------------------------

@dataclass
class LanguageScore:
    locale: str
    total: int = 0
    exact: int = 0
    family: int = 0
    offered: int = 0     # answered in the other variant, with this one offered in a line
    sms_menu: int = 0    # on SMS: answered in it, or it is in the short menu
    misses: list[tuple[str, str]] = field(default_factory=list)  # got, text


def family_of(locale: str | None, text: str = "") -> str | None:
    """Portuguese is one family; so are Hindi and Urdu written in Latin letters: one spoken
    language (Hindustani) that only its script tells apart, and romanised text has none."""
    if locale == "pt_BR":
        return "pt"
    if locale == "ur" and all(ord(c) < 0x250 for c in text if c.isalpha()):
        return "hi"
    return locale


def device_for(locale: str) -> str:
    """A device language other than the text's (the issue's condition)."""
    return "pt-PT" if family_of(locale) == "en" else "en"


@dataclass
class _NewConversation:
    language: str | None = None
    language_source: str | None = None
    state: str = ""


def first_language(text: str, device: str, channel: str = "telegram") -> Any:
    """The language the pipeline answers a first message in, the device set to ``device``."""
    from channels.base import Inbound
    from core.language import LanguagePolicy

    address = "+351912345678" if channel == "sms" else "42"
    inbound = Inbound(channel=channel, address=address, text=text,
                      locale_hint=device if channel == "telegram" else None)
    return LanguagePolicy().choose(_NewConversation(), inbound, None)


def score_first_messages(locale: str, held_out: bool = False) -> LanguageScore:
    score = LanguageScore(locale)
    device = device_for(locale)
    for text, _style in rows("first_messages", locale, held_out):
        chosen = first_language(text, device)
        score.total += 1
        score.exact += chosen.locale == locale
        score.family += family_of(chosen.locale, text) == family_of(locale, text)
        score.offered += chosen.locale == locale or chosen.offer == locale
        sms = first_language(text, device, "sms")
        score.sms_menu += sms.locale == locale or locale in sms.shortlist
        if chosen.locale != locale:
            score.misses.append((str(chosen.locale), text))
    return score


# -- replies to the referral consent question, and withdrawals -----------------------------

@dataclass
class ReferralScore:
    """Replies to "may we share ... with APAV?" and later withdrawals, as the consent reader
    takes them: yes, no, withdraw, or other (left for the caseworker)."""

    locale: str
    total: int = 0
    right: int = 0
    false_consent: int = 0      # anything but a yes taken as agreement: must never happen
    withdrawals: int = 0
    withdrawals_heard: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # want, got, text

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def score_referral_replies(locale: str, held_out: bool = False) -> ReferralScore:
    from handoff.referrals.consent import read_answer

    score = ReferralScore(locale)
    for want, text, *_ in rows("referrals", locale, held_out):
        got = read_answer(text, None, locale, ("APAV",)) or "other"
        score.total += 1
        score.right += got == want
        score.false_consent += got == "yes" and want != "yes"
        score.withdrawals += want == "withdraw"
        score.withdrawals_heard += want == "withdraw" and got == "withdraw"
        if got != want:
            score.misses.append((want, got, text))
    return score
