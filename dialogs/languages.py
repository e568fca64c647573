"""The language menu: each supported locale named in its own script, and free-text matching of
language names ("português", "hindi", "ukrainian", "ਪੰਜਾਬੀ") to locale codes.
"""

from __future__ import annotations

from babel import Locale

from dialogs._normal import normalize
from dialogs.base import Choice, Text
from dialogs.places import LOCALES

__all__ = ["LANGUAGE_NAMES", "LANGUAGE_OPTIONS", "parse_language"]

# Names are shown as they are in every language (not translated), so they are not N_-marked.
LANGUAGE_NAMES: dict[str, str] = {
    "pt": "Português (Portugal)",
    "pt_BR": "Português (Brasil)",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ro": "Română",
    "bg": "Български",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "hi": "हिन्दी",
    "pa": "ਪੰਜਾਬੀ",
    "ne": "नेपाली",
    "bn": "বাংলা",
    "ur": "اردو",
    "zh_Hans": "中文（简体）",
}
# Portuguese first: most people who ask about return are Brazilian (DOMAIN.md §6).
LANGUAGE_OPTIONS = tuple(Choice(code, Text(LANGUAGE_NAMES[code])) for code in LOCALES)

_INDEX: dict[str, str] = {}
for _code in LOCALES:
    _INDEX.setdefault(normalize(_code), _code)
    _INDEX.setdefault(normalize(LANGUAGE_NAMES[_code]), _code)
for _code in LOCALES:
    for _shown_in in (_code, "en", "pt"):
        _name = Locale.parse(_code).get_display_name(Locale.parse(_shown_in)) or ""
        _INDEX.setdefault(normalize(_name), _code)
        _INDEX.setdefault(normalize(_name.split("(")[0]), _code)  # "português (brasil)" -> pt
for _alias, _code in (("brasileiro", "pt_BR"), ("brazilian", "pt_BR"), ("br", "pt_BR"),
                      ("chinese", "zh_Hans"), ("mandarin", "zh_Hans"), ("中文", "zh_Hans"),
                      ("punjabi", "pa"), ("panjabi", "pa"), ("bangla", "bn"), ("bengali", "bn"),
                      ("portugues", "pt"), ("inglês", "en"), ("ukrainian", "uk")):
    _INDEX.setdefault(normalize(_alias), _code)


def parse_language(text: str) -> str | None:
    """The locale code a language name or code names, or None."""
    return _INDEX.get(normalize(text))
