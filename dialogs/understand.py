"""What a person's typed answer means, for any question, in the conversation's language.

One order for every question:

1. The message's words are found in the language's lists (longest entry first). Politeness
   and filler never decide: they are set aside unless nothing else was said ("जी नहीं" is a
   no; "जी" alone is a yes). "I don't know" and "I'd rather not say" win over everything else.
2. The question's own option labels, as the person saw them (their language, and English):
   the whole label, a part of one label only, or a word only one label has. A negation must
   agree: "tenho" is not "Não tenho passaporte".
3. The question's own words and the general yes/no words, with negation ("não concordo",
   "not ok") and "but" ("yes, but no": what follows decides).
4. Fuzzy matching of labels and words, for typos.

Only the conversation's language (and the one it falls back to) and English are read:
"no" must not decide "no estoy seguro", nor "na" decide "na verdade, sim". When they find
nothing, the other languages written in the message's script may decide, if they all agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from dialogs.base import Choice
from dialogs.lexicon import Found
from dialogs.words import QUESTION_RANK, Lexicon, lexicon
from locales import translator
from locales.negotiate import SUPPORTED
from locales.text import has_han, normalize, tokens
from locales.words import parse_pattern

__all__ = ["Asked", "Reading", "labels_of", "read", "read_polarity", "units_of"]

ENGLISH = "en"
FUZZY_MIN = 86          # rapidfuzz ratio (0-100) for a typo'd label or word
FUZZY_SHORTEST = 4      # shorter words are never guessed ("nao" is not "não"-fuzzy, it is exact)
_NUMBER = re.compile(r"\d+")
# Where another language may decide: a script few languages share ("да" in a Portuguese
# conversation). Never Latin: too many languages write "si", "na" or "da" for other things.
_SCRIPT_OF = {"Cyrl": ("uk", "ru", "bg"), "Arab": ("ar", "ur"), "Deva": ("hi", "ne")}


class Asked(Protocol):
    """What the parser needs of a question (dialogs.engine.Question)."""

    @property
    def state(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def options(self) -> tuple[Choice, ...]: ...
    @property
    def negative(self) -> str | None: ...
    @property
    def plain(self) -> tuple[str, ...]: ...
    @property
    def under_age(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Reading:
    """An understood answer: a value, or the person does not know, or prefers not to say."""

    value: Any = None
    kind: str = "value"  # value | unsure | decline


UNSURE, DECLINE = Reading(None, "unsure"), Reading(None, "decline")
_DIGIT = parse_pattern("0")


CLAUSE = ","  # between clauses: no entry matches across it ("não, pagaram sempre")
_CLAUSES = re.compile(r"[,.;:!?…\n，。！？；：、،؛؟۔]+")


def units_of(text: str) -> tuple[str, ...]:
    """The message's units, with a CLAUSE mark where punctuation ends a clause."""
    return _units(text)


@lru_cache(maxsize=4096)
def _units(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in _CLAUSES.split(text):
        units = tokens(normalize(part))
        if units:
            if out:
                out.append(CLAUSE)
            out.extend(units)
    return tuple(out)


def _words_only(units: Sequence[str]) -> list[str]:
    return [u for u in units if u != CLAUSE]


def labels_of(options: tuple[Choice, ...], locale: str) -> tuple[tuple[str, str, str], ...]:
    """(value, label as shown, the label's language) for the conversation's locale and English."""
    return _labels(tuple((o.value, o.label.msgid) for o in options), locale)


@lru_cache(maxsize=4096)
def _labels(options: tuple[tuple[str, str], ...], locale: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for lang in dict.fromkeys((locale, ENGLISH)):
        tr = translator(lang) if lang in SUPPORTED else None
        for value, msgid in options:
            out.append((value, tr.gettext(msgid) if tr is not None else msgid, lang))
    return tuple(out)


# -- step 1 and 3: the words -----------------------------------------------------------------

class Spans(list[Found]):
    """The deciding spans, and every unit any entry explained (politeness included)."""

    known: frozenset[int] = frozenset()


def _decisive(spans: list[Found], units: Sequence[str], lex: Lexicon) -> Spans:
    """The spans that may decide: politeness set aside when anything else was said."""
    hard = [s for s in spans if s.label != "ignore" and not str(s.label).startswith("soft:")]
    covered = sum(s.end - s.start for s in spans)
    if not hard and covered >= len(_words_only(units)):
        hard = [Found(s.start, s.end, s.label[5:], s.pattern) for s in spans
                if str(s.label).startswith("soft:")]
    out = Spans(hard)
    out.known = frozenset(i for s in spans for i in range(s.start, s.end))
    return out


def _after_but(spans: list[Found]) -> list[Found]:
    """What decides around a "but": what follows it when it takes a yes back ("yes, but I
    don't agree"); never when it follows a no ("no, I went back, but I still have things
    there" is a no: a "no" read as "yes" must never happen)."""
    words = [s for s in spans if s.label != "but"]
    buts = [i for i, s in enumerate(spans) if s.label == "but"]
    if buts:
        head = [s for s in spans[: buts[-1]] if s.label in ("yes", "no", "negation")]
        tail = [s for s in spans[buts[-1] + 1:] if s.label in ("yes", "no", "negation")]
        if tail and not any(s.label in ("no", "negation") for s in head):
            return tail
    return words


def _said(spans: list[Found], lex: Lexicon, units: Sequence[str],
          known: frozenset[int] = frozenset()) -> list[tuple[str, int, bool]]:
    """Each yes, no or none said, with its clause and whether it is the question's own word
    ("they paid me" is a no to "worked without being paid?"): a negation just before a yes
    turns it into a no ("não concordo", "don't agree"), and so does one just after it where
    the negation follows the verb ("सहमत नहीं"). A negation before the question's own no is
    not turned into a yes: "no, I am fine" is a no, and "не ни платиха" (they did not pay us)
    is the word lists' to say."""
    clause_of = [units[: s.start].count(CLAUSE) for s in spans]
    said: list[tuple[str, int, bool]] = []
    skip = set()
    for i, span in enumerate(spans):
        if i in skip:
            continue
        label, own = span.label, span.rank >= QUESTION_RANK
        before = spans[i - 1] if i else None
        negated = (before is not None and before.label in ("negation", "no")
                   and span.start - before.end <= 2 and CLAUSE not in units[before.end:span.start])
        if label == "yes":
            after = spans[i + 1] if i + 1 < len(spans) else None
            if negated:
                said[-1] = ("no", said[-1][1], own)
                continue
            closing = after is not None and after.start == span.end and (
                units[after.end:after.end + 1] in ((), (CLAUSE,)))  # "urgente não, mas..."
            if after is not None and after.label in ("negation", "no") and (
                    closing or (lex.negation_after and after.start - span.end <= 1)):
                said.append(("no", clause_of[i], own))
                skip.add(i + 1)
                continue
            if span.start and has_han(units[span.start - 1]) and span.start - 1 not in known:
                said.append(("?", clause_of[i], own))  # "布同意": unknown character, then "agree"
                continue
            said.append(("yes", clause_of[i], own))
        elif label in ("no", "negation"):
            said.append(("no", clause_of[i], own))
        elif label == "none":
            said.append(("none", clause_of[i], own))
    return said


AMBIGUOUS = "ambiguous"  # yes and no both said: ask again, and ask no other language


def _polarity(spans: list[Found], lex: Lexicon, units: Sequence[str] = ()) -> str | None:
    """yes / no / unsure / decline / none from the decisive spans, or None.

    "I don't know" and "rather not say" win, unless a clause before "rather not say"
    answered ("змушували. не хочу розповідати": yes, and no details). Otherwise the first thing
    said decides, except that "but" hands the decision to what follows it, and a later clause
    may correct an earlier one to "no" ("sim... quer dizer, não"); a later yes after a no is
    not trusted (a "no" read as "yes" is the one mistake that must never happen)."""
    labels = [s.label for s in spans]
    if "unsure" in labels:
        return "unsure"
    if "decline" in labels:
        declined = next(s for s in spans if s.label == "decline")
        answered = [s for s in spans if s.label in ("yes", "no", "negation")
                    and CLAUSE in units[s.end:declined.start]]
        if not answered:
            return "decline"
        spans = [s for s in spans if s.end <= answered[-1].end]
    known: frozenset[int] = getattr(spans, "known", frozenset())
    spans = _after_but(spans)
    said = _said(spans, lex, units, known)
    if not said:
        return None
    sure = [(what, clause, own) for what, clause, own in said if what != "?"]
    if not sure:
        return AMBIGUOUS  # "布同意": an unknown character before "agree" may be a negation
    first, first_clause, _ = sure[0]
    if first != "yes":
        return first  # "não, só quero perguntar": what follows a no explains it
    later_no = [(clause, own) for what, clause, own in sure if what != "yes"]
    if not later_no:
        return "yes"
    # A later clause takes the yes back ("sim... quer dizer, não"); in the same one ("嗯 不用了")
    # we cannot tell, and a "no" read as "yes" must never happen: we ask again.
    return "no" if any(clause > first_clause for clause, _ in later_no) else AMBIGUOUS


def read_polarity(text: str, locale: str, state: str | None = None) -> str | None:
    """yes / no / unsure / decline / none for a free-text answer, or None (not understood)."""
    units = units_of(text)
    if not units:
        return None
    found = _first_heard(units, locale, state)
    if found == AMBIGUOUS:
        return None
    return found if found is not None else _elsewhere(units, locale, state)


def _first_heard(units: Sequence[str], locale: str, state: str | None) -> str | None:
    """Polarity in the conversation's language; then in English, for the words the
    conversation's language did not know ("ye" is "this" in romanised Urdu, not "yes")."""
    primary, english = lexicon(locale if locale in SUPPORTED else ENGLISH), lexicon(ENGLISH)
    spans = primary.index(state).scan(units)
    found = _polarity(_decisive(spans, units, primary), primary, units)
    if found is not None or primary is english:
        return found
    known = {i for s in spans for i in range(s.start, s.end) if not _alone(s, units)}
    rest = tuple(u if i not in known else CLAUSE for i, u in enumerate(units))
    if not _words_only(rest):
        return None
    return _polarity(_decisive(english.index(state).scan(rest), rest, english), english, rest)


def _alone(span: Found, units: Sequence[str]) -> bool:
    """A function word that is a clause of its own is not one ("no, obrigado")."""
    return (span.label == "ignore" and span.end - span.start == 1
            and units[span.start - 1:span.start] in ((), (CLAUSE,))
            and units[span.end:span.end + 1] in ((), (CLAUSE,)))


def _lexicons(locale: str, units: Sequence[str]) -> list[Lexicon]:
    return [lexicon(loc) for loc in dict.fromkeys((locale if locale in SUPPORTED else ENGLISH,
                                                   ENGLISH))]


def _script(units: Sequence[str]) -> str:
    text = "".join(units)
    for script, first, last in (("Cyrl", 0x0400, 0x052F), ("Arab", 0x0600, 0x06FF),
                                ("Deva", 0x0900, 0x097F), ("Latn", 0x0041, 0x024F)):
        if any(first <= ord(c) <= last for c in text):
            return script
    return ""


def _elsewhere(units: Sequence[str], locale: str, state: str | None) -> str | None:
    """Another language of the message's script decides, if all that understand it agree."""
    seen = set()
    for loc in _SCRIPT_OF.get(_script(units), ()):
        if loc in (locale, ENGLISH):
            continue
        lex = lexicon(loc)
        found = _polarity(_decisive(lex.index(state).scan(units), units, lex), lex, units)
        if found is not None:
            seen.add(found)
    return seen.pop() if len(seen) == 1 else None


# -- step 2: the labels ----------------------------------------------------------------------

def _content(units: Sequence[str], lex: Lexicon) -> list[str]:
    return [u for u in units if u not in lex.ignore_units and u != CLAUSE]


def _negated(units: Sequence[str], lex: Lexicon) -> bool:
    return any(u in lex.negation_units for u in units)


def _negates(units: Sequence[str], content: frozenset[str], lex: Lexicon) -> bool:
    """A negation next to the label's own words ("pas de passeport"), not one of another
    verb ("mon passeport est chez le chef, il veut pas le rendre")."""
    marks = [i for i, u in enumerate(units) if u in lex.negation_units]
    words = [j for j, u in enumerate(units) if u in content]
    return any(0 < j - i <= 2 or (lex.negation_after and 0 < i - j <= 2)
               for i in marks for j in words)


def _distinctive(unit: str, lex: Lexicon) -> bool:
    """A word that can name an option on its own: not a function word ("but", "one"), nor
    one Chinese character (老 of 老人 is in 老公)."""
    if has_han(unit):
        return False
    return len(unit) >= (4 if unit.isascii() else 3) and unit not in lex.function_units


@dataclass(frozen=True, slots=True)
class _Label:
    """An option's label as the matcher compares it, in one language."""

    value: str
    units: tuple[str, ...]
    content: frozenset[str]
    negated: bool
    special: frozenset[str]  # words no other label of the question has


@lru_cache(maxsize=2048)
def _shaped(options: tuple[tuple[str, str], ...], locale: str, lang: str) -> tuple[_Label, ...]:
    lex = lexicon(lang)
    mine = [(value, units_of(text)) for value, text, where in _labels(options, locale)
            if where == lang]
    contents = {value: frozenset(_content(lab, lex)) for value, lab in mine}
    out = []
    for value, lab in mine:
        others = frozenset().union(*(c for v, c in contents.items() if v != value))
        special = frozenset(u for u in contents[value] if u not in others
                            and u not in lex.polar_units and _distinctive(u, lex))
        out.append(_Label(value, lab, contents[value], _negated(lab, lex), special))
    return tuple(out)


def _by_label(units: Sequence[str], options: tuple[Choice, ...], locale: str,
              weak: bool = False) -> str | None:
    """The option whose label the answer is: the whole label, a part of one label only, or
    a label within the answer; with ``weak``, only a word one label alone has ("caducado"),
    which the question's own words may outrank ("ਫੋਨ ਤੇ SMS" names the phone, but means SMS)."""
    key = tuple((o.value, o.label.msgid) for o in options)
    words = _words_only(units)
    for lang in dict.fromkeys((locale, ENGLISH)):
        lex = lexicon(lang)
        answer = _content(units, lex)
        if not answer:
            continue
        said, neg = set(answer), _negated(units, lex)
        shaped = _shaped(key, locale, lang)
        for label in shaped:
            if words == list(label.units) or (said == label.content and len(answer) == len(label.content)):
                return label.value
        agree = [label for label in shaped if label.negated == neg and label.content]
        # Part of one label ("valid" of "Yes, a valid one"); never a bare yes or no, which is
        # part of many ("不" of "不知道"): the words decide those.
        inside = {label.value for label in agree if said <= label.content} \
            if not said <= lex.polar_units else set()
        if len(inside) == 1:
            return inside.pop()
        # A label inside a longer answer: never a bare "Yes" or "No" ("no problem", "yes, but
        # I don't agree"): the words decide those, with their negations.
        holds = [(len(label.content), label.value) for label in agree
                 if label.content <= said and not label.content <= lex.polar_units
                 and (not label.negated or _negates(units, label.content, lex))]
        if holds:
            longest = max(holds)[0]
            best = {value for size, value in holds if size == longest}
            if len(best) == 1:
                return best.pop()
        if not weak:
            continue
        own = {label.value for label in agree if label.special & said}
        if len(own) == 1:
            return own.pop()
    return None


# -- the kinds of question ----------------------------------------------------------------------

def _spans(units: Sequence[str], lex: Lexicon, state: str) -> list[Found]:
    return _decisive(lex.index(state).scan(units), units, lex)


def _values(spans: list[Found]) -> list[tuple[str, Found]]:
    return [(str(s.label)[2:], s) for s in spans if str(s.label).startswith("v:")]


def _choice_from_words(units: Sequence[str], q: Asked, locale: str) -> Reading | None:
    values = {o.value for o in q.options}
    polarity = _first_heard(units, locale, q.state)
    if polarity in ("unsure", "decline"):
        return _unsure_option(q, polarity)
    for lex in _lexicons(locale, units):
        spans = _spans(units, lex, q.state)
        found = [(v, s) for v, s in _values(spans) if v in values]
        if not found:
            continue
        specific = [(v, s) for v, s in found if v not in q.plain]
        if len(specific) > 1:  # "no, it expired": the no is about having a valid one
            specific = [(v, s) for v, s in specific if v != q.negative] or specific
        if specific:
            return Reading(specific[0][0])
        value, span = found[0]
        denied = any(s.label in ("no", "negation") for s in spans if s.start < span.start)
        if denied and q.negative:
            return Reading(q.negative)  # "não tenho passaporte"
        return Reading(value)
    if polarity == AMBIGUOUS:
        return None
    if polarity is None:
        polarity = _elsewhere(units, locale, q.state)
    if polarity in ("unsure", "decline"):
        return _unsure_option(q, polarity)
    if polarity in ("yes", "no") and polarity in values:
        return Reading(polarity)
    if polarity in ("no", "none") and q.negative:
        return Reading(q.negative)
    if polarity == "yes" and q.plain:
        return Reading(q.plain[0])  # "sim" to "Do you have a passport?"
    return None


def _unsure_option(q: Asked, kind: str) -> Reading:
    if kind == "unsure":
        for value in ("unsure", "unknown"):
            if value in {o.value for o in q.options}:
                return Reading(value)
        return UNSURE
    return DECLINE


def _fuzzy(units: Sequence[str], q: Asked, locale: str) -> str | None:
    """A typo'd label or word of this question: one clear best candidate, no negation."""
    text = " ".join(_words_only(units))
    if len(text) < FUZZY_SHORTEST:
        return None
    candidates: dict[str, str] = {}
    for value, label, _ in labels_of(q.options, locale):
        candidates.setdefault(normalize(label), value)
    lex = lexicon(locale if locale in SUPPORTED else ENGLISH)
    for loc in dict.fromkeys((locale, ENGLISH)):
        for w in lexicon(loc).sources:
            for value, entries in w.questions.get(q.state, {}).items():
                for entry in entries:
                    if "*" not in entry and "|" not in entry:
                        candidates.setdefault(normalize(entry), value)
    if not candidates:
        return None
    if any(_negated(units, lexicon(loc)) for loc in dict.fromkeys((locale, ENGLISH))):
        return None
    kept = _content(units, lex)
    text = " ".join(kept) if kept else text
    # A candidate with a negation is no typo of an answer without one ("ji abhi jana hai" is
    # not "nahi jana").
    plain = [c for c in candidates if not _negated(tokens(c), lex)]
    best = process.extract(text, plain, scorer=fuzz.ratio, limit=2, score_cutoff=FUZZY_MIN)
    if not best:
        return None
    values = {candidates[b[0]] for b in best if b[1] >= best[0][1] - 2}
    return values.pop() if len(values) == 1 else None


def _yes_no(units: Sequence[str], q: Asked, locale: str) -> Reading | None:
    values = {o.value for o in q.options}
    picked = _by_label(units, q.options, locale, weak=True) if q.options else None
    if picked is not None and picked in ("yes", "no"):
        return Reading(picked == "yes")
    if picked in ("unknown", "unsure"):
        return UNSURE
    if picked == "skip":
        return DECLINE
    polarity = _first_heard(units, locale, q.state)
    age = _age(units) if q.under_age is not None else None
    # "Are you under 18?" "16": the age answers. The limit itself is no age when words
    # around it said yes or no ("未满18岁", "sub 18", "no, I'm 18").
    if age is not None and q.under_age is not None and polarity not in ("unsure", "decline") \
            and not (age == q.under_age and polarity in ("yes", "no")):
        return Reading(age < q.under_age)
    if polarity == AMBIGUOUS:
        return None
    if polarity is None:
        polarity = _elsewhere(units, locale, q.state)
    if polarity is not None:
        return _as_yes_no(polarity)
    fuzzy = _fuzzy(units, q, locale)
    if fuzzy in ("yes", "no") and fuzzy in values | {"yes", "no"}:
        return Reading(fuzzy == "yes")
    typo = _typo(units, locale)
    return _as_yes_no(typo) if typo is not None else None


def _age(units: Sequence[str]) -> int | None:
    """The one number of an answer about age ("tenho 16", "mne 16 let", "我16岁")."""
    numbers = [int(u) for u in units if u.isdigit()]
    return numbers[0] if len(numbers) == 1 and 5 <= numbers[0] <= 99 else None


def _typo(units: Sequence[str], locale: str) -> str | None:
    """One word, one typo away from one-word answers that all mean the same ("smi", "yss",
    "aceiro"); never when answers of two meanings are that close."""
    words = _words_only(units)
    if len(words) != 1 or len(words[0]) < 3:
        return None
    word = words[0]
    meanings = set()
    for loc in dict.fromkeys((locale if locale in SUPPORTED else ENGLISH, ENGLISH)):
        for known, kind in lexicon(loc).answer_words.items():
            if len(known) >= 3 and abs(len(known) - len(word)) <= 1 and \
                    DamerauLevenshtein.distance(word, known) <= 1:
                meanings.add(kind)
    return meanings.pop() if len(meanings) == 1 else None


def _as_yes_no(polarity: str) -> Reading:
    if polarity == "unsure":
        return UNSURE
    if polarity == "decline":
        return DECLINE
    return Reading(polarity == "yes")


def _choice(units: Sequence[str], q: Asked, locale: str) -> Reading | None:
    picked = _by_label(units, q.options, locale)
    if picked is None:
        found = _choice_from_words(units, q, locale)
        if found is not None:
            return found
        picked = _by_label(units, q.options, locale, weak=True)
    if picked is not None:
        return DECLINE if picked == "skip" else Reading(picked)
    fuzzy = _fuzzy(units, q, locale)
    return Reading(fuzzy) if fuzzy is not None and fuzzy in {o.value for o in q.options} else None


def _multi(units: Sequence[str], q: Asked, locale: str) -> Reading | None:
    values = [o.value for o in q.options]
    chosen = [o for o in values if o != q.negative]
    numbers = [int(u) for u in units if u.isdigit()]
    lex = lexicon(locale if locale in SUPPORTED else ENGLISH)
    rest = [u for u in units if not u.isdigit() and u not in lex.ignore_units]
    if numbers and all(1 <= n <= len(values) for n in numbers) and len(rest) <= len(numbers):
        menu = [values[n - 1] for n in numbers]
        return Reading([] if q.negative in menu else list(dict.fromkeys(menu)))
    picked: list[str] = []
    said_none = False
    polarity = _first_heard(units, locale, q.state)
    for lex in _lexicons(locale, units):
        spans = _spans(units, lex, q.state)
        for value, span in _values(spans):
            negated = any(s.label in ("no", "negation") and span.start - s.end <= 2
                          and s.end <= span.start for s in spans)
            if value == q.negative:
                said_none = True
            elif value in chosen and not negated:
                picked.append(value)
    if _no_first(units, locale, q.state, q.negative):
        return Reading([])  # "não, estamos todos bem de saúde": the no, then why
    label = _by_label(units, q.options, locale, weak=not picked)
    if label in chosen:
        picked.append(label)
    picked += _by_age(units, q, locale)
    if picked:
        return Reading(list(dict.fromkeys(picked)))
    if said_none or label == q.negative or polarity in ("no", "none"):
        return Reading([])
    if polarity in ("unsure", "decline"):
        return UNSURE if polarity == "unsure" else DECLINE
    return None


def _no_first(units: Sequence[str], locale: str, state: str, negative: str | None) -> bool:
    """The answer opens with a clause that is only a no, and no "but" follows."""
    if CLAUSE not in units:
        return False
    lex = lexicon(locale if locale in SUPPORTED else ENGLISH)
    first = units[: units.index(CLAUSE)]
    spans = lex.index(state).scan(units)
    if any(s.label == "but" for s in spans):
        return False
    head = [s for s in spans if s.end <= len(first) and s.label != "ignore"]
    return bool(head) and all(s.label in ("no", "negation", "none", f"v:{negative}") for s in head)


_AGE_LABEL = re.compile(r"(\d+)\s*\+")


def _by_age(units: Sequence[str], q: Asked, locale: str) -> list[str]:
    """An option labelled with an age ("Older person (65+)") for "tenho 71 anos"."""
    ages = [int(u) for u in units if u.isdigit() and len(u) <= 3]
    found = []
    for value, label, _ in labels_of(q.options, ENGLISH):
        least = _AGE_LABEL.search(label)
        if least and any(int(least.group(1)) <= age <= 120 for age in ages):
            found.append(value)
    return found


def count(units: Sequence[str], locale: str, with_self: bool = True) -> int | None:
    """How many people an answer counts: numbers (digits or words), "me and ...", family
    members. A number right before a family word counts those people ("two kids, 5 and 9"
    is two); when none does, every number counts ("we are 4")."""
    for lex in _lexicons(locale, units):
        spans = lex.numbers.scan(units)
        for i, u in enumerate(units):  # digits: numbers of their own
            if u.isdigit() and not any(s.start <= i < s.end for s in spans):
                spans.append(Found(i, i + 1, int(u), spans[0].pattern if spans else _DIGIT))
        spans.sort(key=lambda s: s.start)
        ages = [s for s in spans if s.label == "age"]
        numbers = [s for s in spans if isinstance(s.label, int)
                   and not any(0 <= a.start - s.end <= 1 for a in ages)]
        persons = [s for s in spans if s.label == "person"]
        everyone = [s for s in spans if s.label == "people"]
        totals = [n for n in numbers if any(0 <= p.start - n.end <= 1 for p in everyone)]
        if totals:
            return int(totals[0].label)  # "somos 4 pessoas", "两个人": the number is everyone
        me = any(s.label == "self" for s in spans)
        if not (numbers or persons or me):
            continue
        def names(n: Found, p: Found) -> bool:
            gap = units[n.end:p.start]
            return len(gap) <= 1 or (len(gap) <= 3 and gap[0] == CLAUSE)  # "one, my baby"

        quantifying = [n for n in numbers if any(p.start - n.end >= 0 and names(n, p) for p in persons)]
        counted = quantifying or numbers
        if not with_self and not quantifying and len(numbers) > 1:
            counted = numbers[:1]  # "dois, de 4 e 7 anos": the rest are ages
        alone = [p for p in persons if not any(p.start - n.end >= 0 and names(n, p) for n in numbers)]
        total = sum(int(n.label) for n in counted) + len(alone)
        if not (counted or alone):
            return None
        selves = [s.start for s in spans if s.label == "self"]
        if with_self and me and (persons or (numbers and selves[0] < numbers[0].start)):
            total += 1  # "eu e a minha mulher", "me + 2 kids": me, and them
        lead = numbers[0] if numbers and numbers[0].start == spans[0].start else None
        listed = lead is not None and len(spans) > 1 and (
            units[lead.end:lead.end + 1] == (CLAUSE,)
            or (spans[1].label == "self" and spans[1].start == lead.end))
        if lead is not None and listed:
            # "4, eu, o meu marido e 2 crianças": a total first, then who they are
            rest = count(units[lead.end:], locale, with_self)
            if rest is not None and rest <= int(lead.label):
                return int(lead.label)
        return total
    return None


def _number(units: Sequence[str], q: Asked, locale: str) -> Reading | None:
    with_self = q.state == "household_size"
    polarity = _first_heard(units, locale, q.state)
    n = count(units, locale, with_self)
    explicit = any(u.isdigit() for u in units) or any(
        isinstance(s.label, int) for lex in _lexicons(locale, units) for s in lex.numbers.scan(units))
    several = sum(u.isdigit() for u in units) > 1 or n is None
    if polarity in ("unsure", "decline") and (not explicit or several):
        # "not sure, maybe my cousin too", "não sei, 2 ou 3"
        return UNSURE if polarity == "unsure" else DECLINE
    if n is not None:
        # Households and counts of children: anything above 30 is a typo or another number.
        return Reading(n) if 0 <= n <= 30 else None
    if polarity in ("no", "none") and not with_self:
        return Reading(0)
    if polarity in ("unsure", "decline"):
        return UNSURE if polarity == "unsure" else DECLINE
    return None


def read(text: str, q: Asked, locale: str) -> Reading | None:
    """What ``text`` answers to question ``q`` in a conversation in ``locale``; None when it is
    not understood (the dialog asks again, with examples)."""
    units = units_of(text)
    if not units:
        return None
    if q.answer in ("yes_no", "yes_no_skip"):
        return _yes_no(units, q, locale)
    if q.answer == "choice":
        return _choice(units, q, locale)
    if q.answer == "multi_choice":
        return _multi(units, q, locale)
    if q.answer == "number":
        return _number(units, q, locale)
    return None



def unexplained(text: str, locale: str) -> tuple[tuple[str, ...], list[int]]:
    """A message's units, and those no answer word of its language (or English) explains: a
    "yes" with other words beside it may be a yes to something else ("vous pouvez
    m'appeler": you may call me)."""
    units = units_of(text)
    left = [i for i, u in enumerate(units) if u != CLAUSE]
    for lex in _lexicons(locale, units):
        known = {i for s in lex.index(None).scan(units) for i in range(s.start, s.end)}
        left = [i for i in left if i not in known and units[i] not in lex.ignore_units]
    return units, left
