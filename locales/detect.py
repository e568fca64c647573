"""Guess which supported language a message is written in, and how sure we are.

The script decides first: Gurmukhi, Bengali and Han each belong to one supported language.
Within Latin, Cyrillic, Arabic and Devanagari, lingua (restricted to the languages it can tell
apart there) is combined with the small marker lists in markers.py for what it cannot see:
Nepali, romanised Hindi/Urdu/Punjabi/Nepali, Brazilian vs European Portuguese. Fewer than
three words of an ambiguous script never yield a confident answer.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from locales import markers as m
from locales.negotiate import SUPPORTED
from locales.text import normalize, tokens
from locales.words import parse_pattern, words

MIN_WORDS = 3  # below this only a unique script, or the word lists, are trusted
WORDS_CONFIDENCE = 0.8  # every word of a short message is in one language's lists only
MIXED_SCRIPT_LETTERS = 4  # letters of another script that outvote the Latin around them
UNIVERSAL = 5  # a word in this many languages' lists ("ok", "sos") says nothing
SHORT_CAP = 0.25  # confidence ceiling for short ambiguous-script text: below ADOPT, never adopted
ROMANISED_CONFIDENCE = 0.6  # enough to offer the language, never to switch silently
# Python's \w excludes combining marks, which would cut "मुझे" after its first letter: add the
# vowel signs of the Indic blocks, Arabic harakat and Latin combining accents.
_WORD = re.compile(
    r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0670\u0900-\u0a7f])+(?:['’-](?:[^\W\d_])+)*"
)
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")

# lingua only decides within Latin and Cyrillic. Everything else is settled by script and
# letters (pa, bn, zh; ar vs ur by Urdu-only letters) or by markers and py3langid (hi vs ne,
# which lingua cannot tell apart: it has no Nepali). Each preloaded language costs ~35 MB
# per worker process, so the other six are left out.
_LINGUA = {
    "PORTUGUESE": "pt", "ENGLISH": "en", "SPANISH": "es", "FRENCH": "fr", "ROMANIAN": "ro",
    "BULGARIAN": "bg", "UKRAINIAN": "uk", "RUSSIAN": "ru",
}  # fmt: skip


@dataclass(frozen=True)
class Detection:
    """locale: best guess; confidence: 0..1; method: how; alternatives: same-family variants
    (pt -> pt_BR) or sister languages (romanised hi -> ur) worth offering too."""

    locale: str
    confidence: float
    method: str
    alternatives: tuple[str, ...] = ()


class _Models:
    """Process-wide lazy singletons: the lingua detector and py3langid (Nepali vs Hindi)."""

    _lock = threading.Lock()
    lingua: Any = None
    langid: Any = None

    @classmethod
    def get_lingua(cls) -> Any:
        if cls.lingua is None:
            with cls._lock:
                if cls.lingua is None:
                    from lingua import Language, LanguageDetectorBuilder

                    langs = [getattr(Language, name) for name in _LINGUA]
                    cls.lingua = (
                        LanguageDetectorBuilder.from_languages(*langs)
                        .with_preloaded_language_models()
                        .build()
                    )
        return cls.lingua

    @classmethod
    def get_langid(cls) -> Any:
        if cls.langid is None:
            with cls._lock:
                if cls.langid is None:
                    from py3langid import langid

                    ident = langid.LanguageIdentifier.from_modelpath(
                        langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
                    )
                    ident.set_languages(["hi", "ne", "mr"])
                    cls.langid = ident
        return cls.langid


def preload() -> None:
    """Load the models now (web/worker startup), not on the first person's message."""
    _Models.get_lingua()
    _Models.get_langid()


def script_counts(text: str) -> dict[str, int]:
    """Letters per script; digits, punctuation and emoji are ignored."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        script = "Other"
        for first, last, name in m.SCRIPT_RANGES:
            if first <= code <= last:
                script = name
                break
        counts[script] = counts.get(script, 0) + 1
    return counts


def _script(counts: dict[str, int]) -> str | None:
    """The script a text is written in: most of its letters', unless a few letters of another
    script sit among Latin ones ("Hello, I'm from Ukraine, мені треба додому": English words
    around the person's own script, which says more than the borrowed words)."""
    if not counts:
        return None
    script = max(counts, key=lambda s: counts[s])
    if script == "Latn":
        native = max((s for s in counts if s != "Latn"), key=lambda s: counts[s], default=None)
        if native is not None and counts[native] >= MIXED_SCRIPT_LETTERS:
            return native
    return script


def written_in(text: str) -> str | None:
    """The script a text is written in (None: no letters)."""
    return _script(script_counts(text))


def could_be(locale: str, script: str | None) -> bool:
    """Whether text in ``script`` (written_in) could be ``locale``: any language may be
    romanised, but Cyrillic is never English and Devanagari never Russian."""
    return script is None or script == "Latn" or m.NATIVE_SCRIPT.get(locale) == script


def detect(text: str | None) -> Detection | None:
    """The most likely supported language of text, or None if there is nothing to go on."""
    if not text:
        return None
    # The first 1,000 characters say as much as a pasted letter would, at bounded cost.
    cleaned = _NOISE.sub(" ", text[:1000])
    counts = script_counts(cleaned)
    if not counts:
        return None
    script = _script(counts)
    if script is not None and counts[script] < max(counts.values()):
        # Only the native words go on: lingua, given the English around them, says English.
        cleaned = " ".join(w for w in _WORD.findall(cleaned) if written_in(w) == script)
    if script in m.UNIQUE_SCRIPT:
        if script == "Hani" and ("Kana" in counts or "Hang" in counts):
            return None  # Japanese or Korean mixed with Han characters
        return Detection(m.UNIQUE_SCRIPT[script], 0.99, "script")
    words = [w.lower() for w in _WORD.findall(cleaned)]
    if len(words) < MIN_WORDS:
        listed = by_word_lists(cleaned)
        if listed is not None:
            return listed
    if script == "Latn":
        found = _arabizi(cleaned, words) or _romanised(words) or _cyrillic_latin(words) \
            or _latin(cleaned, words)
    elif script == "Cyrl":
        found = _cyrillic(cleaned, words)
    elif script == "Arab":
        found = _arabic(cleaned)
    elif script == "Deva":
        found = _devanagari(cleaned, words)
    else:
        return None
    if (found is not None and len(words) < MIN_WORDS and found.confidence > SHORT_CAP
            and found.method.startswith(("lingua", "py3langid"))):
        # lingua on one or two words is a guess; a script or a marker word is not.
        found = Detection(found.locale, SHORT_CAP, found.method, found.alternatives)
    return found


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, frozenset[str]]:
    """Each word of the locales' word lists (words.toml) -> the locales that list it."""
    found: dict[str, set[str]] = {}
    for locale in SUPPORTED:
        w = words(locale)
        tables = [w.answers, w.commands, w.numbers, w.danger, *w.questions.values()]
        for table in tables:
            for entries in table.values():
                for entry in entries:
                    for slot in parse_pattern(entry).slots:
                        for alt in slot:
                            for unit in alt.units if not alt.prefix else alt.units[:-1]:
                                found.setdefault(unit, set()).add(locale)
    return {unit: frozenset(locales) for unit, locales in found.items()}


_SOUTH_ASIAN = frozenset({"hi", "ur", "pa", "ne", "bn"})
_LATIN_NATIVE = frozenset({"pt", "pt_BR", "en", "es", "fr", "ro"})


def by_word_lists(text: str, prefer: str | None = None) -> Detection | None:
    """A short message whose every word only one language (or one family) lists: "olá",
    "ajuda", "hola", "привіт", "haan ji". ``prefer``: the language we already speak with
    the person, kept when its lists have every word too ("हो" is Nepali and Hindi)."""
    vocabulary = _vocabulary()
    units = [u for u in tokens(normalize(text)) if not u.isdigit()]
    sets = [vocabulary.get(u) for u in units]
    if not units or any(s is None for s in sets):
        return None
    if prefer is not None and all(s is not None and prefer in s for s in sets):
        return Detection(prefer, WORDS_CONFIDENCE, "words")
    telling = [s for s in sets if s is not None and len(s) < UNIVERSAL]
    if not telling:
        return None
    common = frozenset.intersection(*telling)
    if common & _LATIN_NATIVE and all(u.isascii() for u in units):
        common = common & _LATIN_NATIVE  # "hello", "hola": not romanised Hindi or Bengali
    families = {"pt" if loc == "pt_BR" else loc for loc in common}
    if len(families) == 1:
        family = families.pop()
        if family == "pt":  # "oi" is Brazilian, "olá" either: the markers decide
            found = _portuguese(text, [u for u in units], WORDS_CONFIDENCE)
            return Detection(found.locale, WORDS_CONFIDENCE, "words", found.alternatives)
        return Detection(family, WORDS_CONFIDENCE, "words")
    if common and common <= _SOUTH_ASIAN:  # romanised: "nahi ji" is Hindi, Urdu or Punjabi
        ordered = [loc for loc in ("hi", "ur", "pa", "ne", "bn") if loc in common]
        return Detection(ordered[0], ROMANISED_CONFIDENCE, "romanised", tuple(ordered[1:]))
    return None


def _lingua(text: str, allowed: tuple[str, ...]) -> tuple[str, float] | None:
    """lingua's best locale among `allowed`, renormalised to those candidates."""
    values = _Models.get_lingua().compute_language_confidence_values(text)
    scores = {_LINGUA[v.language.name]: v.value for v in values if _LINGUA.get(v.language.name)}
    scores = {k: v for k, v in scores.items() if k in allowed}
    total = sum(scores.values())
    if total <= 0:
        return None
    best = max(scores, key=lambda k: scores[k])
    return best, scores[best] / total


def _exclusive(words: list[str], among: tuple[str, ...],
               unless: frozenset[str] = frozenset()) -> dict[str, float]:
    """Votes from the word lists: a word listed by exactly one of ``among`` (and by none of
    ``unless``: "da" is Romanian too) is a vote for it."""
    vocabulary = _vocabulary()
    votes = dict.fromkeys(among, 0.0)
    for w in words:
        where = vocabulary.get(w)
        if where is None or where & unless or len(w) < 3:
            continue
        mine = [loc for loc in among if loc in where]
        if len(mine) == 1:
            votes[mine[0]] += 1
    return votes


@lru_cache(maxsize=1)
def _romanised_vocabulary() -> dict[str, frozenset[str]]:
    """Latin-letter words of the South Asian word lists that no Latin-script language lists."""
    vocabulary = _vocabulary()
    out = {}
    for unit, where in vocabulary.items():
        south = where & _SOUTH_ASIAN
        if (south and not where & _LATIN_NATIVE and unit.isascii() and unit.isalpha()
                and len(unit) >= 3):
            out[unit] = frozenset(south)
    return out


def _marked(word: str) -> bool:
    return any(word in group for group in (m.HINDI, m.URDU, m.PUNJABI, m.NEPALI, m.BENGALI))


def _romanised(words: list[str]) -> Detection | None:
    """Hindi, Urdu, Punjabi, Nepali or Bengali written in Latin letters (lingua sees noise).

    The best guess comes first; every other language with evidence is an alternative (the
    short SMS menu lists them; elsewhere the first is offered in one line)."""
    strong = {"hi": 0.0, "ur": 0.0, "pa": 0.0, "ne": 0.0, "bn": 0.0}
    shared = weak = punjabi = 0.0
    listed = _romanised_vocabulary()
    for w in words:
        where = listed.get(w)
        if where and w not in m.HINDUSTANI and w not in m.ROMAN_WEAK and not _marked(w):
            # A word the language's own lists write in Latin letters, and no Latin language
            # does: a vote for it when it is the only one; for Hindustani when Hindi or Urdu
            # lists it (one spoken language: which list happens to have "agar" says nothing).
            if where <= {"hi", "ur"}:
                shared += 1
            elif len(where) == 1:
                strong[next(iter(where))] += 1
            continue
        if w in m.PUNJABI_WEAK:
            punjabi += 0.5
        if w in m.HINDUSTANI:
            shared += 1
        elif w in m.HINDI:
            strong["hi"] += 1
        elif w in m.URDU:
            strong["ur"] += 1
        elif w in m.PUNJABI:
            strong["pa"] += 1
        elif w in m.NEPALI:
            strong["ne"] += 1
        elif w in m.BENGALI:
            strong["bn"] += 1
        elif w in m.PLACES:
            strong[m.PLACES[w]] += 0.5
        elif w in m.ROMAN_WEAK:
            weak += 0.5
    distinctive = shared + sum(v for v in strong.values() if v >= 1)
    mixed = max(strong.values()) >= 2  # "hi, i want to go back nepal, kasari apply garne?"
    if distinctive < 2 or (distinctive + weak < 0.3 * len(words) and distinctive < 3
                           and not mixed):
        return None
    strong["pa"] += punjabi if strong["pa"] else 0.0
    # Punjabi, Nepali and Bengali have their own words; Hindi vs Urdu only a few greetings.
    scores = dict(strong)
    scores["hi"] += shared / 2
    scores["ur"] += shared / 2
    ranked = sorted(scores, key=lambda k: (-scores[k], ("hi", "ur", "pa", "ne", "bn").index(k)))
    best = ranked[0]
    hindustani = strong["hi"] + strong["ur"] + shared / 2
    for locale in sorted(("pa", "ne", "bn"), key=lambda k: -strong[k]):
        if strong[locale] >= 1 and strong[locale] >= hindustani:
            best = locale
            break
    else:
        best = "ur" if strong["ur"] > strong["hi"] else "hi"
    others = [k for k in ranked if k != best and scores[k] > 0]
    if best in ("hi", "ur"):  # Hindustani: the other script's reader is always plausible
        sister = "ur" if best == "hi" else "hi"
        others = [sister, *(k for k in others if k != sister)]
    return Detection(best, ROMANISED_CONFIDENCE, "romanised", tuple(others))


_ALNUM = re.compile(r"[a-z0-9']+")


def _arabizi(text: str, words: list[str]) -> Detection | None:
    """Arabic in Latin letters: digits for the letters Latin lacks, dialect words."""
    raw = _ALNUM.findall(text.lower())
    digits = sum(any(c in m.ARABIZI_DIGITS for c in w) and any(c.isalpha() for c in w)
                 for w in raw)
    marked = sum(w in m.ARABIZI for w in words) + _exclusive(words, ("ar",), _LATIN_NATIVE)["ar"]
    if digits + marked >= 2 and (digits or marked >= 3) and digits + marked >= 0.3 * len(words):
        return Detection("ar", ROMANISED_CONFIDENCE, "arabizi")
    return None


def _cyrillic_latin(words: list[str]) -> Detection | None:
    """Russian, Ukrainian or Bulgarian typed on a Latin keyboard ("privet, pomogite")."""
    listed = _exclusive(words, ("ru", "uk", "bg"), _LATIN_NATIVE)
    votes = {"ru": sum(w in m.RU_LATIN for w in words) + listed["ru"],
             "uk": sum(w in m.UK_LATIN for w in words) + listed["uk"],
             "bg": sum(w in m.BG_LATIN for w in words) + listed["bg"]}
    best = max(votes, key=lambda k: votes[k])
    if votes[best] >= 2 and votes[best] >= 0.15 * len(words):
        others = tuple(k for k in ("ru", "uk", "bg") if k != best and votes[k])
        return Detection(best, ROMANISED_CONFIDENCE, "translit", others)
    return None


def _latin(text: str, words: list[str]) -> Detection | None:
    best = _lingua(text, ("pt", "en", "es", "fr", "ro"))
    if best is None:
        return None
    locale, confidence = best
    if locale == "pt":
        return _portuguese(text, words, confidence)
    return Detection(locale, confidence, "lingua")


def _portuguese(text: str, words: list[str], confidence: float) -> Detection:
    """Brazilian vs European markers; plain Portuguese stays "pt" with pt_BR offered."""
    lowered = f" {' '.join(words)} "
    br = sum(w in m.BR_WORDS for w in words) + sum(p in lowered for p in m.BR_PHRASES)
    pt = sum(w in m.PT_WORDS for w in words) + sum(p in lowered for p in m.PT_PHRASES)
    for before, word in zip(["", *words], words, strict=False):
        if word in m.POSSESSIVES and before not in m.ARTICLES:
            br += 1  # "meu visto" (BR) vs "o meu visto" (PT)
    # Progressive aspect: "estou precisando" (BR) vs "estou a precisar" (PT, counted above).
    br += len(re.findall(r"\b(?:estou|estava|está|esta|tô|to|tá|ta|tava)\s+\w+ndo\b", lowered))
    pt += sum(w.rpartition("-")[2] in m.PT_ENCLISIS for w in words if "-" in w)
    if abs(br - pt) >= 2:
        return Detection("pt_BR" if br > pt else "pt", confidence, "lingua+markers")
    if br != pt:  # a single marker: lean that way, but keep the other variant on offer
        lean, other = ("pt_BR", "pt") if br > pt else ("pt", "pt_BR")
        return Detection(lean, min(confidence, 0.75), "lingua+markers", (other,))
    # Nothing tells the variant: European Portuguese, with Brazilian offered in one line
    # (Brazilian writing is marked: "você", "tô", "pra", gerunds; European writing often is not).
    return Detection("pt", min(confidence, 0.7), "lingua", ("pt_BR",))


def _cyrillic(text: str, words: list[str]) -> Detection | None:
    letters = set(text)
    uk, ru = bool(letters & m.UK_LETTERS), bool(letters & m.RU_LETTERS)
    if uk and not ru:
        return Detection("uk", 0.95, "script")
    if ru and not uk:
        return Detection("ru", 0.95, "script")
    best = _lingua(text, ("uk", "ru", "bg"))
    if best is None:
        return None
    locale, confidence = best
    bg_votes = sum(w in m.BG_WORDS for w in words) + 2 * ("ъ" in letters)
    ru_votes = sum(w in m.RU_WORDS for w in words)
    if locale != "bg" and bg_votes >= 2 and bg_votes > ru_votes:
        return Detection("bg", 0.85, "lingua+markers")
    return Detection(locale, confidence, "lingua")


def _arabic(text: str) -> Detection:
    urdu = sum(ch in m.UR_STRONG for ch in text)
    weak = sum(ch in m.UR_WEAK for ch in text)
    arabic = sum(ch in m.AR_LETTERS for ch in text)
    if urdu or weak > arabic:
        return Detection("ur", 0.95 if urdu else 0.8, "script")
    if arabic:
        return Detection("ar", 0.9, "script")
    # Neither: a word or two like "سلام" that both languages write alike.
    return Detection("ar", 0.5, "script", ("ur",))


def _devanagari(text: str, words: list[str]) -> Detection:
    """lingua has no Nepali: marker words first, py3langid (hi/ne/mr) to break ties."""
    listed = _exclusive([normalize(w) for w in words], ("hi", "ne"))
    ne = sum(w in m.NE_WORDS or w.endswith(m.NE_SUFFIXES) for w in words) + listed["ne"]
    hi = sum(w in m.HI_WORDS for w in words) + listed["hi"]
    if ne != hi:
        locale = "ne" if ne > hi else "hi"
        return Detection(locale, min(0.95, 0.7 + 0.1 * abs(ne - hi)), "markers")
    label, prob = _Models.get_langid().classify(text)
    locale = "ne" if label == "ne" else "hi"
    return Detection(
        locale, min(0.7, float(prob)), "py3langid", ("ne" if locale == "hi" else "hi",)
    )
