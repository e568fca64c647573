"""Which of our sixteen locales a code, a phone number or a menu entry stands for.

Everything here is pure lookup over Babel's CLDR data and phonenumbers' metadata: no catalogs,
no detection. Codes arrive in many spellings (Telegram "pt-br", browsers "zh-CN", gettext
"pa_Guru"); they are normalised to Babel's underscore form before any comparison because
Babel's own negotiation is separator-sensitive (TECH_NOTES §4.2).
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.languages import get_official_languages

# Order is the language-menu order: Portuguese first (most ARVoRe users are Brazilian),
# then the largest communities, then the rest.
SUPPORTED: tuple[str, ...] = (
    "pt", "pt_BR", "en", "es", "fr", "ro", "bg", "uk", "ru",
    "ar", "hi", "pa", "ne", "bn", "ur", "zh_Hans",
)  # fmt: skip
SOURCE_LOCALE = "en"  # msgids are English source text
OFFICE_LOCALE = "pt"  # what the caseworkers read
RTL: frozenset[str] = frozenset({"ar", "ur"})

# The script each catalog is written in. A code whose script differs (pa_Arab = Shahmukhi,
# zh_Hant, hi_Latn) must not land on a catalog its reader may not read.
_CATALOG_SCRIPT = {"pa": "Guru", "zh_Hans": "Hans"}

# Each language's own name in its own script, for the language menu. Hand-written rather than
# Babel's display names: Babel gives "português" (lower case, and no way to tell the two
# Portuguese catalogs apart) and "中文 (简体)" with ASCII brackets.
_NATIVE_NAMES = {
    "pt": "Português (Portugal)", "pt_BR": "Português (Brasil)", "en": "English",
    "es": "Español", "fr": "Français", "ro": "Română", "bg": "Български",
    "uk": "Українська", "ru": "Русский", "ar": "العربية", "hi": "हिन्दी",
    "pa": "ਪੰਜਾਬੀ", "ne": "नेपाली", "bn": "বাংলা", "ur": "اردو", "zh_Hans": "中文（简体）",
}  # fmt: skip

# Phone regions whose most likely reader is clear. Portugal (+351) is deliberately absent:
# everyone in the programme has a Portuguese number, so it says nothing about the person.
_REGION_LOCALE = {
    "BR": "pt_BR",
    **dict.fromkeys(("AO", "MZ", "CV", "GW", "ST", "TL"), "pt"),
    "UA": "uk", "RU": "ru", "BY": "ru", "KZ": "ru", "KG": "ru",
    "RO": "ro", "MD": "ro", "BG": "bg",
    "IN": "hi", "NP": "ne", "BD": "bn", "PK": "ur", "CN": "zh_Hans", "SG": "en",
    **dict.fromkeys(("ES", "AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "MX",
                     "NI", "PA", "PE", "PR", "PY", "SV", "UY", "VE", "GQ"), "es"),
    **dict.fromkeys(("FR", "BE", "LU", "MC", "SN", "CI", "ML", "BF", "NE", "GN", "TG", "BJ",
                     "CM", "GA", "CG", "CD", "CF", "TD", "MG", "HT", "BI", "RW", "DJ", "KM"), "fr"),
    **dict.fromkeys(("MA", "DZ", "TN", "LY", "EG", "SD", "MR", "SA", "AE", "QA", "KW", "BH",
                     "OM", "YE", "JO", "LB", "SY", "IQ", "PS"), "ar"),
    **dict.fromkeys(("GB", "IE", "US", "CA", "AU", "NZ", "NG", "GH", "KE", "UG", "TZ", "ZA",
                     "ZW", "ZM", "SL", "LR", "GM", "JM", "TT", "PH", "MT"), "en"),
}  # fmt: skip


def is_rtl(locale: str | None) -> bool:
    """True for right-to-left locales (Arabic, Urdu): renderers add dir="rtl" / isolation marks."""
    return locale in RTL


def native_name(locale: str) -> str:
    """The language's name in its own script, e.g. "Українська" for uk."""
    try:
        return _NATIVE_NAMES[locale]
    except KeyError:
        raise ValueError(f"unsupported locale {locale!r}") from None


def english_name(locale: str) -> str:
    """English name for caseworker screens and logs, e.g. "Portuguese (Brazil)"."""
    if locale not in _NATIVE_NAMES:
        raise ValueError(f"unsupported locale {locale!r}")
    return Locale.parse(locale).get_display_name("en") or locale


def _script_of(language: str, script: str | None, territory: str | None) -> str | None:
    """The script a code implies: explicit, else CLDR likely subtags (zh_TW -> Hant)."""
    if script:
        return script
    likely = get_global("likely_subtags")
    for key in (f"{language}_{territory}" if territory else None, language):
        if key and key in likely:
            parts = str(likely[key]).split("_")
            if len(parts) >= 3:
                return parts[1]
    return None


@lru_cache(maxsize=512)
def negotiate(code: str | None) -> str | None:
    """Map a language tag in any common spelling to a supported locale, or None.

    None means "we have no catalog this person can be assumed to read": the caller falls
    through to the next clue or shows the language menu.
    """
    if not code:
        return None
    # Drop encodings/modifiers ("pt_BR.UTF-8", "sr@latin") and unify separators.
    norm = code.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not norm:
        return None
    try:
        loc = Locale.parse(norm)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    language, territory = loc.language, loc.territory
    if language == "pt":
        candidate = "pt_BR" if territory == "BR" else "pt"
    elif language == "zh":
        candidate = "zh_Hans"
    elif language in SUPPORTED:
        candidate = language
    else:
        return None
    expected = _CATALOG_SCRIPT.get(candidate)
    if expected is not None:
        if _script_of(language, loc.script, territory) != expected:
            return None
    elif loc.script and loc.script != _script_of(language, None, None):
        # e.g. hi_Latn: romanised Hindi readers may not read Devanagari; ask instead.
        return None
    return candidate


def language_for_phone(e164: str | None) -> str | None:
    """The most likely supported locale for a phone number's country, or None.

    Accepts "+2449...", "tel:+...", "whatsapp:+...". Portuguese numbers return None.
    """
    if not e164:
        return None
    raw = e164.strip()
    for prefix in ("whatsapp:", "tel:", "sms:"):
        if raw.lower().startswith(prefix):
            raw = raw[len(prefix) :]
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif not raw.startswith("+"):
        return None  # a national number could be from anywhere; don't guess
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(raw, None))
    except phonenumbers.NumberParseException:
        return None
    if not region or region == "PT":
        return None
    if region in _REGION_LOCALE:
        return _REGION_LOCALE[region]
    # Elsewhere only trust the country's main official language (CLDR order by speakers).
    official = get_official_languages(region, de_facto=True)
    return negotiate(f"{official[0]}_{region}") if official else None
