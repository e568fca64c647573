"""The words people type, kept as data beside each catalog: locales/<locale>/words.toml.

A translator adds "aham" or "авжеж" there without touching code. The answer parser, the
command matcher and the danger recogniser (dialogs/) compile these lists; this module reads
them, defines their syntax, and checks them (``intake locales check``).

Syntax of every entry: words separated by spaces, matched in that order on whole words,
case and accents ignored (locales.text.normalize). Inside one word, ``a|b`` means either;
a word ending in ``*`` matches any ending ("obrigad*": obrigado, obrigada); words joined by a
hyphen are one choice of several words ("se-quedó-con|tiene"). Chinese is matched
character by character, so "不想" is two units. In ``[danger]`` a cue may leave up to
``CUE_GAP`` other words between its words, and a cue starting with ``=`` counts only when it is
the whole message ("=ajuda": "ajuda!" is a plea, "preciso de ajuda com o visto" is not).
``[danger] ordinary`` lists what only sounds like danger, its words adjacent: a cue that one
of them overlaps or touches does not count ("quero morrer na minha terra" is an old man going home).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from locales.negotiate import SUPPORTED
from locales.pofile import REVIEW_STATUSES
from locales.text import normalize, tokens

__all__ = [
    "ANSWER_KINDS",
    "COMMANDS",
    "CUE_GAP",
    "DANGER_CONCEPTS",
    "ORDINARY",
    "Alternative",
    "Pattern",
    "Words",
    "check_words",
    "parse_pattern",
    "words",
    "words_path",
]

ANSWER_KINDS = ("yes", "no", "unsure", "decline", "none", "ignore", "negation")
COMMANDS = ("help", "restart", "language", "person", "stop", "erase", "exit", "info", "privacy", "withdraw")
DANGER_CONCEPTS = ("confinement", "documents_taken", "violence", "threats", "sexual_violence",
                   "forced_work", "child_alone", "plea", "immediate")
# "eu e ..." counts me; "a minha mulher" one more; "4 pessoas": the number is everyone;
# "de 4 anos": an age, not a count.
NUMBER_KEYS = ("self", "person", "people", "age")
CUE_GAP = 3  # other words a danger cue allows between two of its words
ORDINARY = "ordinary"  # [danger] key: phrases that only sound like danger
_SECTIONS = ("review", "answers", "numbers", "questions", "countries", "places", "grammar",
             "commands", "danger", "languages", "consent")
# [consent]: about sharing a person's details with an organisation. withdraw: cues that take
# back an agreement, anywhere in a message ("I changed my mind, don't send my data"); share:
# the words people agree with, beside their yes ("sim, podem partilhar").
CONSENT_KEYS = ("withdraw", "share")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PLACE = re.compile(r"^PT-\d\d$")


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way to fill a word slot: its units, the last of which may be a prefix."""

    units: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed entry: word slots in order, each a tuple of alternatives."""

    source: str
    slots: tuple[tuple[Alternative, ...], ...]
    whole: bool = False  # "=...": only as the whole message


def parse_pattern(raw: str) -> Pattern:
    """Parse one entry; raises ValueError when it has nothing left to match."""
    text = raw.strip()
    whole = text.startswith("=")
    if whole:
        text = text[1:]
    slots: list[tuple[Alternative, ...]] = []
    for word in text.split():
        alternatives = []
        for alt in word.split("|"):
            prefix = alt.endswith("*")
            units = tokens(normalize(alt.rstrip("*")))
            if units:
                alternatives.append(Alternative(units, prefix))
        if alternatives:
            slots.append(tuple(alternatives))
    if not slots:
        raise ValueError(f"entry {raw!r} has no words")
    return Pattern(raw, tuple(slots), whole)


def _entries(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("must be a list of strings")


@dataclass(frozen=True)
class Words:
    """One locale's word lists, as written (parse entries with ``parse_pattern``)."""

    locale: str
    review: str = ""
    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    numbers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    questions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    countries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    suffixes: tuple[str, ...] = ()      # case endings to try without ("नेपालबाट" -> "नेपाल")
    but: tuple[str, ...] = ()           # "yes, but no": what follows the last of these decides
    negation_after: bool = False        # the negation follows the verb ("सहमत नहीं")
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    danger: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    languages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    consent: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def words_path(locale: str, directory: Path | None = None) -> Path:
    base = directory if directory is not None else Path(__file__).resolve().parent
    return base / locale / "words.toml"


def _table(data: Mapping[str, Any], name: str) -> dict[str, tuple[str, ...]]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"[{name}] must be a table")
    out = {}
    for key, value in table.items():
        try:
            out[str(key)] = _entries(value)
        except ValueError as exc:
            raise ValueError(f"[{name}] {key}: {exc}") from None
    return out


def read_words(locale: str, path: Path) -> Words:
    """Read one words.toml; raises ValueError (with the place) when it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    unknown = [k for k in data if k not in _SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(map(repr, unknown))}")
    questions = data.get("questions", {})
    if not isinstance(questions, dict) or not all(isinstance(t, dict) for t in questions.values()):
        raise ValueError("[questions.<state>] must be tables")
    grammar = data.get("grammar", {})
    if not isinstance(grammar, dict):
        raise ValueError("[grammar] must be a table")
    return Words(
        locale=locale,
        review=str(data.get("review", "")),
        answers=_table(data, "answers"),
        numbers=_table(data, "numbers"),
        questions={name: _table(questions, name) for name in questions},
        countries=_table(data, "countries"),
        places=_table(data, "places"),
        suffixes=_entries(grammar.get("suffixes", [])),
        but=_entries(grammar.get("but", [])),
        negation_after=bool(grammar.get("negation_after", False)),
        commands=_table(data, "commands"),
        danger=_table(data, "danger"),
        languages=_table(data, "languages"),
        consent=_table(data, "consent"),
    )


@cache
def words(locale: str) -> Words:
    """A supported locale's word lists (read once); an empty set where a locale has none."""
    path = words_path(locale)
    return read_words(locale, path) if path.is_file() else Words(locale)


def _phrases(entries: Iterable[str]) -> dict[str, str]:
    """normalised phrase -> the entry as written, for clash checks."""
    out = {}
    for raw in entries:
        out[normalize(raw.lstrip("=").replace("*", ""))] = raw
    return out


def _syntax(where: str, entries: Iterable[str], cues: bool = False) -> list[str]:
    problems = []
    for raw in entries:
        if raw.startswith("=") and not cues:
            problems.append(f"{where}: {raw!r}: '=' is for danger cues only")
        if re.search(r"\*[^\s|]", raw):
            problems.append(f"{where}: {raw!r}: '*' may only end a word")
        try:
            parse_pattern(raw)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def _check_one(w: Words, command_words: Mapping[str, str]) -> list[str]:
    where = f"{w.locale}/words.toml"
    problems: list[str] = []
    if w.review not in REVIEW_STATUSES:
        problems.append(f"{where}: review = {w.review!r}, want one of {REVIEW_STATUSES}")
    for section, table, known in (("answers", w.answers, ANSWER_KINDS),
                                  ("commands", w.commands, COMMANDS),
                                  ("danger", w.danger, (*DANGER_CONCEPTS, ORDINARY)),
                                  ("consent", w.consent, CONSENT_KEYS)):
        problems += [f"{where}: [{section}] unknown key {k!r}" for k in table if k not in known]
        for key, entries in table.items():
            problems += _syntax(f"{where}: [{section}] {key}", entries, cues=section == "danger")
    problems += [f"{where}: [numbers] key {k!r} is not a number or one of {NUMBER_KEYS}"
                 for k in w.numbers if not k.isdigit() and k not in NUMBER_KEYS]
    problems += [f"{where}: [countries] {k!r} is not an ISO 3166-1 alpha-2 code"
                 for k in w.countries if not _COUNTRY.match(k)]
    problems += [f"{where}: [places] {k!r} is not a district code (PT-NN)"
                 for k in w.places if not _PLACE.match(k)]
    problems += [f"{where}: [languages] {k!r} is not a supported locale"
                 for k in w.languages if k not in SUPPORTED]
    for name, table in (("numbers", w.numbers), ("countries", w.countries),
                        ("places", w.places), ("languages", w.languages)):
        for key, entries in table.items():
            problems += _syntax(f"{where}: [{name}] {key}", entries)
    for state, table in w.questions.items():
        for key, entries in table.items():
            problems += _syntax(f"{where}: [questions.{state}] {key}", entries)

    # No phrase may mean two answers: first the general yes/no/unsure/decline, then the
    # values of one question against each other.
    yes, no = _phrases(w.answers.get("yes", ())), _phrases(w.answers.get("no", ()))
    problems += [f"{where}: {yes[p]!r} is both yes and no" for p in yes if p in no]
    for kind in ("unsure", "decline"):
        other = _phrases(w.answers.get(kind, ()))
        problems += [f"{where}: {other[p]!r} is both {kind} and yes/no"
                     for p in other if p in yes or p in no]
    for state, table in w.questions.items():
        seen: dict[str, str] = {}
        for value, entries in table.items():
            for phrase, raw in _phrases(entries).items():
                if phrase in seen and seen[phrase] != value:
                    problems.append(f"{where}: [questions.{state}] {raw!r} is both "
                                    f"{seen[phrase]} and {value}")
                seen.setdefault(phrase, value)
    # Commands are matched in every language at once, before any answer: an answer that is
    # also a command (in any locale) would never reach the question.
    answer_tables = [*((k, w.answers.get(k, ())) for k in ("yes", "no", "unsure", "decline", "none")),
                     *((f"questions.{q}.{v}", e) for q, t in w.questions.items() for v, e in t.items())]
    for name, entries in answer_tables:
        for phrase, raw in _phrases(entries).items():
            if phrase in command_words:
                problems.append(f"{where}: [{name}] {raw!r} is also the command "
                                f"{command_words[phrase]}")
    return problems


def check_words(directory: Path | None = None,
                locales: Iterable[str] = SUPPORTED) -> list[str]:
    """Problems in every locale's words.toml; empty when all is well."""
    loaded: list[Words] = []
    problems: list[str] = []
    for locale in locales:
        path = words_path(locale, directory)
        if not path.is_file():
            problems.append(f"{locale}/words.toml: missing")
            continue
        try:
            loaded.append(read_words(locale, path))
        except ValueError as exc:
            problems.append(f"{locale}/words.toml: {exc}")
    command_words: dict[str, str] = {}
    for w in loaded:
        for name, entries in w.commands.items():
            for phrase in _phrases(entries):
                command_words.setdefault(phrase, name)
    for w in loaded:
        problems += _check_one(w, command_words)
    return problems
