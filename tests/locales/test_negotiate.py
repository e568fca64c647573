"""Language tags, phone numbers, RTL and menu names map onto our sixteen locales."""

from __future__ import annotations

import pytest

from locales import SUPPORTED, english_name, is_rtl, language_for_phone, native_name, negotiate

NEGOTIATION = [
    ("pt-br", "pt_BR"), ("pt-BR", "pt_BR"), ("pt_BR.UTF-8", "pt_BR"), ("pt", "pt"),
    ("pt-PT", "pt"), ("pt-AO", "pt"), ("en", "en"), ("en-US", "en"), ("en-GB", "en"),
    ("es-419", "es"), ("fr-CA", "fr"), ("ro", "ro"), ("mo", "ro"), ("bg", "bg"),
    ("uk", "uk"), ("uk-UA", "uk"), ("ru", "ru"), ("ru-RU", "ru"), ("ar", "ar"),
    ("ar-EG", "ar"), ("hi", "hi"), ("hi-IN", "hi"), ("pa", "pa"), ("pa-IN", "pa"),
    ("pa_Guru", "pa"), ("pa-Guru-IN", "pa"), ("ne", "ne"), ("ne-NP", "ne"), ("bn", "bn"),
    ("bn-IN", "bn"), ("ur", "ur"), ("ur-PK", "ur"), ("zh-hans", "zh_Hans"),
    ("zh-CN", "zh_Hans"), ("zh", "zh_Hans"), ("zh_Hans_SG", "zh_Hans"),
    # No catalog this person can be assumed to read: None, so the menu is shown.
    ("pa_Arab", None), ("pa-PK", None), ("zh-TW", None), ("zh-Hant", None),
    ("hi-Latn", None), ("nb", None), ("de", None), ("sr-latn", None), ("zz", None),
    ("", None), (None, None), ("   ", None), ("not a code", None),
]  # fmt: skip


@pytest.mark.parametrize(("code", "expected"), NEGOTIATION)
def test_negotiate(code: str | None, expected: str | None) -> None:
    assert negotiate(code) == expected


PHONES = [
    ("+5511987654321", "pt_BR"), ("whatsapp:+5511987654321", "pt_BR"),
    ("+351912345678", None),  # a Portuguese number says nothing about the person
    ("+244923456789", "pt"), ("+2389912345", "pt"), ("+245955123456", "pt"),
    ("+380501234567", "uk"), ("+79161234567", "ru"), ("+40721234567", "ro"),
    ("+37369123456", "ro"), ("+359881234567", "bg"), ("+919876543210", "hi"),
    ("+9779812345678", "ne"), ("+8801712345678", "bn"), ("+923001234567", "ur"),
    ("+8613812345678", "zh_Hans"), ("+34612345678", "es"), ("+573001234567", "es"),
    ("+584121234567", "es"), ("+33612345678", "fr"), ("+221771234567", "fr"),
    ("+2250701234567", "fr"), ("+212612345678", "ar"), ("+201001234567", "ar"),
    ("+447911123456", "en"), ("+12025550123", "en"), ("+2348031234567", "en"),
    ("+233241234567", "en"), ("0044 7911 123456", "en"), ("tel:+447911123456", "en"),
    ("+4915112345678", None), ("912345678", None), ("+1", None), ("", None), (None, None),
]  # fmt: skip


@pytest.mark.parametrize(("number", "expected"), PHONES)
def test_language_for_phone(number: str | None, expected: str | None) -> None:
    assert language_for_phone(number) == expected


def test_rtl() -> None:
    assert {loc for loc in SUPPORTED if is_rtl(loc)} == {"ar", "ur"}
    assert not is_rtl(None)


def test_native_names_in_own_script() -> None:
    expected = {
        "pt": "Português (Portugal)", "pt_BR": "Português (Brasil)", "uk": "Українська",
        "hi": "हिन्दी", "pa": "ਪੰਜਾਬੀ", "ne": "नेपाली", "ur": "اردو", "zh_Hans": "中文（简体）",
    }  # fmt: skip
    for locale, name in expected.items():
        assert native_name(locale) == name
    names = [native_name(loc) for loc in SUPPORTED]
    assert len(set(names)) == len(SUPPORTED)  # the menu never shows two identical entries
    assert english_name("pt_BR") == "Portuguese (Brazil)"
    with pytest.raises(ValueError):
        native_name("de")


def test_supported_is_the_sixteen() -> None:
    assert len(SUPPORTED) == 16 and SUPPORTED[0] == "pt"
    assert all(negotiate(loc) == loc for loc in SUPPORTED)
