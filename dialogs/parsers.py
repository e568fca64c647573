"""Answer parsers: turn what a person sent (a button, a menu number, free text in any of the
16 supported locales) into the value stored in the intake record.

Every parser takes the text and the question's options and returns an ``Answer`` or ``None``
(not understood: the dialog re-asks with examples). ``PARSERS`` maps the answer kinds a flow
may declare to the parser and to the ``expecting.type`` shown to channels.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dialogs._normal import has_cjk, normalize
from dialogs._words import DONT_KNOW, NO, NONE, NUMBER_WORDS, OPTION_WORDS, SKIP, YES
from dialogs.base import Choice, Given
from dialogs.places import parse_country, parse_district

__all__ = ["PARSERS", "Answer", "Parser", "menu_choice", "parse_number", "parse_yes_no"]


@dataclass(frozen=True, slots=True)
class Answer:
    """A parsed answer; ``value`` may be None when the person said they don't know."""

    value: Any


Parser = Callable[[str, tuple[Choice, ...]], "Answer | None"]

UNKNOWN_VALUES = ("unsure", "unknown")
_CJK_YES = ("是", "对", "好", "有", "可以")
_CJK_NO = ("不", "没", "否")
_DIGITS = re.compile(r"\d+")


def menu_choice(given: Given, options: tuple[Choice, ...]) -> str | None:
    """The option a button press or a numbered-menu reply ("2") picks, if any."""
    values = [o.value for o in options]
    if given.choice is not None and given.choice in values:
        return given.choice
    norm = normalize(given.text)
    if norm.isdigit() and 1 <= int(norm) <= len(options):
        return values[int(norm) - 1]
    if norm in values:
        return norm
    return None


def parse_yes_no(text: str) -> Answer | None:
    """True/False, or Answer(None) for "I don't know"; None when it is none of these."""
    norm = normalize(text)
    if not norm:
        return None
    if norm in DONT_KNOW:
        return Answer(None)
    if norm in YES:
        return Answer(True)
    if norm in NO:
        return Answer(False)
    words = norm.split()
    # "sim, quero", "no thanks", "não sei bem": the longest known phrase at the start decides.
    for size in (3, 2, 1):
        head = " ".join(words[:size])
        if len(words) > size - 1 and head in DONT_KNOW:
            return Answer(None)
    if words[0] in YES:
        return Answer(True)
    if words[0] in NO:
        return Answer(False)
    if has_cjk(norm):
        if any(norm.startswith(w) for w in ("不知道", "不清楚", "不确定")):
            return Answer(None)
        if norm.startswith(_CJK_NO):
            return Answer(False)
        if norm.startswith(_CJK_YES):
            return Answer(True)
    return None


def _yes_no(text: str, options: tuple[Choice, ...]) -> Answer | None:
    return parse_yes_no(text)


def _yes_no_skip(text: str, options: tuple[Choice, ...]) -> Answer | None:
    if normalize(text) in SKIP:
        return Answer("skip")
    return parse_yes_no(text)


def parse_number(text: str) -> int | None:
    """A small whole number in digits of any script or in words ("3 pessoas", "três", "два")."""
    norm = normalize(text)
    found = _DIGITS.search(norm)
    if found:
        return int(found.group())
    if norm in NUMBER_WORDS:
        return NUMBER_WORDS[norm]
    for word in norm.split():
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    if has_cjk(norm):
        for word, n in NUMBER_WORDS.items():
            if has_cjk(word) and word in norm:
                return n
    return None


def _number(text: str, options: tuple[Choice, ...]) -> Answer | None:
    n = parse_number(text)
    # Household sizes and counts of children: anything above 30 is a typo or another number.
    return Answer(n) if n is not None and 0 <= n <= 30 else None


# Options that mean "none of it", and options whose keywords are too plain to beat a "no".
NEGATIVE_VALUES = ("none", "no")
GENERIC_VALUES = frozenset({"valid_passport"})
_NEGATION_WORDS = NO | frozenset({"sem", "sin", "sans", "fara", "fără", "без", "немає", "нема",
                                  "ليس", "ما", "بدون", "bina", "बिना", "ਬਿਨਾਂ", "বিনা", "بغیر",
                                  "无", "沒"})


def _negated(norm: str) -> bool:
    words = norm.split()
    if any(w in _NEGATION_WORDS for w in words):
        return True
    return has_cjk(norm) and any(n in norm for n in _CJK_NO)


def _option_for(text: str, options: tuple[Choice, ...]) -> str | None:
    """Match free text against option codes, English labels and OPTION_WORDS keywords."""
    norm = normalize(text)
    values = [o.value for o in options]
    for option in options:
        if norm in (normalize(option.value.replace("_", " ")), normalize(option.label.msgid)):
            return option.value
    for option in options:  # whole-answer keyword, then any keyword inside the answer
        if norm in OPTION_WORDS.get(option.value, ()):
            return option.value
    matches = [
        option.value
        for option in options
        if any(w and (f" {w} " in f" {norm} " or (has_cjk(w) and w in norm))
               for w in OPTION_WORDS.get(option.value, frozenset()))
    ]
    negative = next((v for v in values if v in NEGATIVE_VALUES), None)
    if negative is not None and matches and _negated(norm):
        # "não tenho passaporte" names the passport but says there is none: a negation beats
        # a bare keyword, though not a specific one ("no, it expired" is still expired).
        specific = [m for m in matches if m not in GENERIC_VALUES]
        return specific[0] if specific else negative
    if matches:
        return matches[0]
    # Yes / no / don't know questions written as choices (wants_to_return, legal_impediment).
    if "yes" in values and "no" in values:
        answer = parse_yes_no(text)
        if answer is not None:
            if answer.value is None:
                return next((v for v in values if v in UNKNOWN_VALUES), None)
            return "yes" if answer.value else "no"
    return None


def _choice(text: str, options: tuple[Choice, ...]) -> Answer | None:
    value = _option_for(text, options)
    return Answer(value) if value is not None else None


def _multi_choice(text: str, options: tuple[Choice, ...]) -> Answer | None:
    norm = normalize(text)
    values = [o.value for o in options]
    if norm in NONE or norm in NO or norm == "none":
        return Answer([])
    picked: list[str] = []
    for part in re.split(r"[ ,;]+| and | e | y | et ", norm):
        if part.isdigit() and 1 <= int(part) <= len(values):
            picked.append(values[int(part) - 1])
    if not picked:
        whole = _option_for(text, options)
        picked = [whole] if whole else []
        picked += [v for v in values if v not in picked and any(
            f" {w} " in f" {norm} " for w in OPTION_WORDS.get(v, ()))]
    picked = [v for v in dict.fromkeys(picked) if v != "none"]
    if not picked and "none" in [normalize(p) for p in norm.split()]:
        return Answer([])
    return Answer(picked) if picked else None


def _country(text: str, options: tuple[Choice, ...]) -> Answer | None:
    code = parse_country(text)
    return Answer(code) if code else None


def _district(text: str, options: tuple[Choice, ...]) -> Answer | None:
    if normalize(text) in DONT_KNOW:
        return Answer(None)
    code = parse_district(text)
    return Answer(code) if code else None


def _text(text: str, options: tuple[Choice, ...]) -> Answer | None:
    clean = " ".join(text.split())
    return Answer(clean[:500]) if clean else None


# answer kind -> (parser, expecting.type shown to channels)
PARSERS: dict[str, tuple[Parser, str]] = {
    "yes_no": (_yes_no, "yes_no"),
    "yes_no_skip": (_yes_no_skip, "yes_no"),
    "choice": (_choice, "choice"),
    "multi_choice": (_multi_choice, "multi_choice"),
    "number": (_number, "number"),
    "country": (_country, "country"),
    "district": (_district, "text"),  # 20 districts are too many for an SMS menu
    "text": (_text, "text"),
}
