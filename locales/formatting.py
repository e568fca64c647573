"""Locale-aware names, numbers, dates and plural rules, all through Babel's CLDR data.

Plural rules come in two dialects: the gettext "Plural-Forms" header a catalog carries (what
ngettext uses at runtime) and CLDR's categories (what linguists reviewed). plural_forms()
puts the two side by side so the check can flag a header that disagrees with CLDR.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale, dates, numbers

# Hand-reviewed gettext headers (the classic GNU gettext rules). Babel 2.19 derives headers
# from CLDR 47, which adds a "many" form for exact millions in pt/es/fr ("1 milhão de") that
# no message of ours needs, and has no entry at all for ne/ur (it falls back to a default).
# ne and ur below were checked against CLDR: one = exactly 1, other = everything else.
PLURAL_HEADERS: dict[str, str] = {
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ro": "nplurals=3; plural=(n == 1 ? 0 : (n == 0 || (n % 100 > 0 && n % 100 < 20)) ? 1 : 2);",
    "bg": "nplurals=2; plural=(n != 1);",
    "uk": "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5);",
    "hi": "nplurals=2; plural=(n > 1);",
    "pa": "nplurals=2; plural=(n > 1);",
    "ne": "nplurals=2; plural=(n != 1);",
    "bn": "nplurals=2; plural=(n > 1);",
    "ur": "nplurals=2; plural=(n != 1);",
    "zh_Hans": "nplurals=1; plural=0;",
}

# Our "pt" is European Portuguese; CLDR's bare "pt" is the Brazilian rule (0 is singular).
_CLDR_LOCALE = {"pt": "pt_PT", "pt_BR": "pt"}
# Counts a message can plausibly show (people, days, documents); exact millions are out.
_SAMPLE = range(0, 1001)


@dataclass(frozen=True)
class PluralForms:
    """A gettext plural header compared with the CLDR rule for the same locale."""

    locale: str
    nplurals: int
    expression: str
    cldr_categories: tuple[str, ...]
    agrees_with_cldr: bool


def parse_plural_header(header: str) -> tuple[int, str]:
    """'nplurals=3; plural=(...);' -> (3, '(...)')."""
    fields = dict(part.strip().split("=", 1) for part in header.split(";") if "=" in part)
    return int(fields.get("nplurals", "2")), fields.get("plural", "(n != 1)").strip()


@lru_cache(maxsize=64)
def plural_function(expression: str) -> Callable[[int], int]:
    """Compile a C plural expression once (stdlib gettext's own, safe, parser)."""
    return gettext.c2py(expression)


def plural_forms(locale: str, header: str | None = None) -> PluralForms:
    """The header (ours by default) and whether it partitions 0..1000 like CLDR does.

    Agreement means a one-to-one mapping between gettext form indexes and CLDR categories
    over realistic counts: hi's "(n > 1)" agrees with CLDR's "0 and 1 are one".
    """
    nplurals, expression = parse_plural_header(header or PLURAL_HEADERS[locale])
    rule = Locale.parse(_CLDR_LOCALE.get(locale, locale)).plural_form
    index_of = plural_function(expression)
    forward: dict[int, str] = {}
    backward: dict[str, int] = {}
    agrees = True
    for n in _SAMPLE:
        index, category = index_of(n), rule(n)
        if index >= nplurals or forward.setdefault(index, category) != category:
            agrees = False
        if backward.setdefault(category, index) != index:
            agrees = False
    return PluralForms(locale, nplurals, expression, tuple(sorted(rule.tags | {"other"})), agrees)


def _babel_locale(locale: str) -> Locale:
    return Locale.parse(_CLDR_LOCALE.get(locale, locale))


def country_name(alpha2: str, locale: str) -> str:
    """Country name in the person's language, e.g. ("PK", "pt") -> "Paquistão"."""
    code = alpha2.upper()
    return _babel_locale(locale).territories.get(code, code)


def format_number(n: int | float | Decimal, locale: str) -> str:
    """Grouping and decimal marks per locale. Digits stay Latin for every locale (CLDR's
    default numbering system for ar/hi/ne/bn/ur here is latn, which SMS keeps GSM-7)."""
    return numbers.format_decimal(n, locale=_babel_locale(locale))


def format_date(d: dt.date, locale: str, format: str = "medium") -> str:
    return dates.format_date(d, format=format, locale=_babel_locale(locale))


def format_time(t: dt.time | dt.datetime, locale: str, format: str = "short") -> str:
    return dates.format_time(t, format=format, locale=_babel_locale(locale))


def format_datetime(d: dt.datetime, locale: str, format: str = "medium") -> str:
    return dates.format_datetime(d, format=format, locale=_babel_locale(locale))
