"""Load the .po catalogs at first use and translate with a real fallback chain.

The .po files are read directly (no .mo compile step that could go stale) once per process.
Each Translator holds one dict already merged along its fallback chain (pt_BR -> pt ->
English msgid; every other locale -> English msgid), so a lookup is a single dict hit.
Fuzzy and empty entries are left out: an unreviewed guess is worse than the English source.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from locales.formatting import plural_function
from locales.negotiate import SOURCE_LOCALE, SUPPORTED, negotiate
from locales.pofile import po_path, read_catalog

_Key = tuple[str | None, str]  # (context, msgid); plural entries keyed by the singular msgid
_Plural = tuple[tuple[str, ...], Callable[[int], int]]

# Most specific first; English is implicit at the end (it is the msgid itself).
FALLBACKS: dict[str, tuple[str, ...]] = {loc: (loc,) for loc in SUPPORTED}
FALLBACKS["pt_BR"] = ("pt_BR", "pt")
FALLBACKS[SOURCE_LOCALE] = ()


def default_catalog_dir() -> Path:
    """The locales/ package folder, where <locale>/LC_MESSAGES/messages.po live."""
    return Path(__file__).resolve().parent


class Translator:
    """gettext-style lookups for one locale; missing entries return the English source."""

    __slots__ = ("_plurals", "_singulars", "locale")

    def __init__(self, locale: str, singulars: dict[_Key, str], plurals: dict[_Key, _Plural]):
        self.locale = locale
        self._singulars = singulars
        self._plurals = plurals

    def gettext(self, msgid: str) -> str:
        return self._singulars.get((None, msgid), msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        return self._singulars.get((context, msgid), msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._plural(None, singular, plural, n)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._plural(context, singular, plural, n)

    def has(self, msgid: str, context: str | None = None) -> bool:
        """True if this locale (or a locale in its chain) really translates msgid."""
        key = (context, msgid)
        return key in self._singulars or key in self._plurals

    def _plural(self, context: str | None, singular: str, plural: str, n: int) -> str:
        entry = self._plurals.get((context, singular))
        if entry is not None:
            forms, index_of = entry
            index = index_of(n)
            if 0 <= index < len(forms):
                return forms[index]
        return singular if n == 1 else plural  # English rule for the source text

    def __repr__(self) -> str:
        return f"<Translator {self.locale}: {len(self._singulars) + len(self._plurals)} entries>"


class CatalogSet:
    """All catalogs under one directory, parsed lazily and cached (thread-safe)."""

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory is not None else default_catalog_dir()
        self._parsed: dict[str, tuple[dict[_Key, str], dict[_Key, _Plural]]] = {}
        self._translators: dict[str, Translator] = {}
        self._lock = threading.Lock()

    def translator(self, locale: str | None) -> Translator:
        """The Translator for a supported locale; other codes are negotiated, then English."""
        code = locale if locale in FALLBACKS else (negotiate(locale) or SOURCE_LOCALE)
        found = self._translators.get(code)
        if found is not None:
            return found
        with self._lock:
            if code not in self._translators:
                singulars: dict[_Key, str] = {}
                plurals: dict[_Key, _Plural] = {}
                for step in reversed(FALLBACKS[code]):  # least specific first, then override
                    s, p = self._parse(step)
                    singulars.update(s)
                    plurals.update(p)
                self._translators[code] = Translator(code, singulars, plurals)
            return self._translators[code]

    def load_all(self) -> CatalogSet:
        """Parse every catalog now (at startup) instead of on the first message."""
        for locale in SUPPORTED:
            self.translator(locale)
        return self

    def _parse(self, locale: str) -> tuple[dict[_Key, str], dict[_Key, _Plural]]:
        if locale in self._parsed:
            return self._parsed[locale]
        singulars: dict[_Key, str] = {}
        plurals: dict[_Key, _Plural] = {}
        path = po_path(self.directory, locale)
        if path.is_file():  # a missing catalog is reported by check, not fatal at runtime
            catalog = read_catalog(path, locale)
            index_of = plural_function(catalog.plural_expr)
            for message in catalog:
                if not message.id or message.fuzzy:
                    continue
                if isinstance(message.id, (list, tuple)):
                    forms = tuple(message.string or ())
                    if forms and all(forms):
                        plurals[(message.context, message.id[0])] = (forms, index_of)
                elif isinstance(message.string, str) and message.string:
                    singulars[(message.context, message.id)] = message.string
        self._parsed[locale] = (singulars, plurals)
        return self._parsed[locale]


_default: CatalogSet | None = None
_default_lock = threading.Lock()


def _catalogs() -> CatalogSet:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = CatalogSet()
    return _default


def catalog_dir() -> Path:
    """Where the process-wide catalogs are read from."""
    return _catalogs().directory


def load_catalogs(directory: Path | str | None = None) -> CatalogSet:
    """Replace the process-wide catalogs (tests point this at fixtures) and load them all."""
    global _default
    fresh = CatalogSet(directory).load_all()
    with _default_lock:
        _default = fresh
    return fresh


def translator(locale: str | None) -> Translator:
    """The process-wide Translator for a locale (any code; unknown ones get English)."""
    return _catalogs().translator(locale)
