"""Each locale's word lists (locales/<locale>/words.toml) compiled once for matching.

``lexicon(locale)`` is what the answer parser reads for one conversation: the locale's lists,
then the lists of the locale it falls back to (pt_BR -> pt). ``everywhere()`` holds what is
matched in every language at once: commands, danger cues, country and place names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from dialogs.lexicon import PhraseIndex
from locales.negotiate import SUPPORTED
from locales.text import normalize, tokens
from locales.words import CUE_GAP, ORDINARY, Words, parse_pattern, words

__all__ = ["POLARITY", "Everywhere", "Lexicon", "chain", "everywhere", "lexicon"]

# Labels of [answers] entries; a question's own values are labelled "v:<value>".
POLARITY = ("yes", "no", "unsure", "decline", "none")
_RANK = {"ignore": 0, "negation": 1, "but": 1, **dict.fromkeys(POLARITY, 2)}
QUESTION_RANK = 3  # a question's own words win over the general ones of the same length


def chain(locale: str) -> tuple[str, ...]:
    """The locales whose lists a conversation in ``locale`` reads, most specific first."""
    return ("pt_BR", "pt") if locale == "pt_BR" else (locale,)


def _key(entry: str) -> str:
    return normalize(entry.lstrip("=").replace("*", ""))


def _single_units(entries: Iterable[str]) -> set[str]:
    """The entries that are one unit (a word, or one Chinese character)."""
    return {units[0] for e in entries if len(units := tokens(_key(e))) == 1}


@dataclass
class Lexicon:
    """One conversation language's lists, compiled (built once per locale, then shared)."""

    locale: str
    sources: tuple[Words, ...]
    ignore_units: frozenset[str] = frozenset()
    negation_units: frozenset[str] = frozenset()
    polar_units: frozenset[str] = frozenset()  # single words that are yes/no/negation
    function_units: frozenset[str] = frozenset()  # "but", politeness: never name an option
    answer_words: dict[str, str] = field(default_factory=dict)  # one-word answers: "sim" -> yes
    negation_after: bool = False
    _ignore_keys: frozenset[str] = frozenset()
    numbers: PhraseIndex = field(default_factory=lambda: PhraseIndex(()))
    _indexes: dict[str, PhraseIndex] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ignore, negation, polar, ignore_keys = set(), set(), set(), set()
        for w in self.sources:
            ignore |= _single_units(w.answers.get("ignore", ()))
            ignore_keys |= {_key(e) for e in w.answers.get("ignore", ())}
            negation |= _single_units(w.answers.get("negation", ()))
            for kind in ("yes", "no"):
                polar |= _single_units(w.answers.get(kind, ()))
            self.negation_after = self.negation_after or w.negation_after
        self.ignore_units = frozenset(ignore)
        self.negation_units = frozenset(negation)
        self.polar_units = frozenset(polar | negation)
        self.function_units = frozenset(ignore | {u for w in self.sources
                                                  for u in _single_units(w.but)})
        for w in self.sources:
            for kind in ("yes", "no", "unsure", "decline"):
                for entry in w.answers.get(kind, ()):
                    units = tokens(_key(entry))
                    if len(units) == 1 and "*" not in entry and units[0] not in ignore:
                        self.answer_words.setdefault(units[0], kind)
        self._ignore_keys = frozenset(ignore_keys)
        number_items: list[tuple[str, object]] = []
        for w in self.sources:
            for key, entries in w.numbers.items():
                label: object = int(key) if key.isdigit() else key
                number_items += [(e, label) for e in entries]
        self.numbers = PhraseIndex(number_items)

    def _answer_items(self) -> list[tuple[str, str, int]]:
        items: list[tuple[str, str, int]] = []
        for w in self.sources:
            for kind, entries in w.answers.items():
                for entry in entries:
                    label = kind
                    if kind in ("yes", "no") and _key(entry) in self._ignore_keys:
                        label = f"soft:{kind}"  # "जी": yes alone, politeness beside a "नहीं"
                    items.append((entry, label, _RANK.get(kind, 0)))
            items += [(e, "but", _RANK["but"]) for e in w.but]
        return items

    def index(self, state: str | None = None) -> PhraseIndex:
        """The general answers, with the words of question ``state`` when given."""
        key = state or ""
        found = self._indexes.get(key)
        if found is None:
            items = self._answer_items()
            for w in self.sources:
                for value, entries in w.questions.get(state or "", {}).items():
                    # A question's own "none" is its option ("No passport"), not a plain no.
                    label = value if value in POLARITY and value != "none" else f"v:{value}"
                    items += [(e, label, QUESTION_RANK) for e in entries]
            found = self._indexes[key] = PhraseIndex(items, common=self.function_units
                                                     | self.negation_units)
        return found

    def suffixes(self) -> tuple[str, ...]:
        return tuple(s for w in self.sources for s in w.suffixes)


@cache
def lexicon(locale: str) -> Lexicon:
    locale = locale if locale in SUPPORTED else "en"
    return Lexicon(locale, tuple(words(loc) for loc in chain(locale)))


@dataclass
class Everywhere:
    """What is matched in every language at once."""

    commands: PhraseIndex
    danger: PhraseIndex
    ordinary: PhraseIndex                    # what only sounds like danger
    negations: dict[str, PhraseIndex]
    negation_after: frozenset[str]
    ignore_units: frozenset[str]
    but_units: frozenset[str]                # "but", "mas", "але": a negation stops there
    country_entries: list[tuple[str, str]]   # (entry, ISO code): demonyms, informal names
    place_entries: list[tuple[str, str]]     # (entry, district code)
    language_entries: list[tuple[str, str]]  # (entry, locale): language names people type
    suffixes: tuple[str, ...]


# Languages whose speakers mix or write alike: a cue of one is cancelled by the other's
# negation too ("je suis pas en danger" against the English cue "danger").
NEGATION_GROUPS = (("pt", "pt_BR", "en", "es", "fr", "ro"), ("hi", "ur", "pa", "ne", "bn"),
                   ("uk", "ru", "bg"))


def _flat(pairs: Iterable[tuple[str, Iterable[str]]]) -> list[tuple[str, str]]:
    return [(entry, label) for label, entries in pairs for entry in entries]


@lru_cache(maxsize=1)
def everywhere() -> Everywhere:
    every = [words(loc) for loc in SUPPORTED]
    commands, cues, countries, places, languages = [], [], [], [], []
    ordinary: list[tuple[str, str]] = []
    negations: dict[str, list[str]] = {}
    ignore: set[str] = set()
    for w in every:
        commands += _flat(w.commands.items())
        cues += [(parse_pattern(e), (concept, w.locale)) for concept, es in w.danger.items()
                 if concept != ORDINARY for e in es]
        ordinary += [(e, w.locale) for e in w.danger.get(ORDINARY, ())]
        countries += _flat(w.countries.items())
        places += _flat(w.places.items())
        languages += _flat(w.languages.items())
        negations[w.locale] = [e for e in w.answers.get("negation", ())]
        ignore |= _single_units(w.answers.get("ignore", ()))
    # A cue is cancelled by a negation of its own language or of a sister language people
    # write alike ("chaina" may follow a Hindi cue in a Nepali message), unless the cue's
    # language has that word for something else (Portuguese "no" is "in the").
    sisters = {loc: next((g for g in NEGATION_GROUPS if loc in g), (loc,)) for loc in SUPPORTED}
    known = {w.locale: _single_units(e for table in (w.answers, w.numbers) for kind, es in
                                     table.items() if kind != "negation" for e in es)
             for w in every}
    by_group = {
        loc: PhraseIndex(
            (e, "negation") for sister in sisters[loc] for e in negations.get(sister, ())
            if sister == loc or not (set(tokens(_key(e))) & known[loc]))
        for loc in SUPPORTED
    }
    common = frozenset(ignore | {u for w in every for kind in ("negation",)
                                 for u in _single_units(w.answers.get(kind, ()))}
                       | {u for w in every for u in _single_units(w.but)})
    return Everywhere(
        commands=PhraseIndex(commands, common=common),
        danger=PhraseIndex(cues, gap=CUE_GAP, common=common),
        ordinary=PhraseIndex(ordinary, common=common),
        negations=by_group,
        negation_after=frozenset(w.locale for w in every if w.negation_after),
        ignore_units=frozenset(ignore),
        but_units=frozenset(u for w in every for u in _single_units(w.but)),
        country_entries=countries,
        place_entries=places,
        language_entries=languages,
        suffixes=tuple(dict.fromkeys(s for w in every for s in w.suffixes)),
    )
