"""Country names, numbers and dates in the person's locale, through Babel."""

from __future__ import annotations

import datetime as dt

import pytest

from locales import SUPPORTED, country_name, format_date, format_number, format_time


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [("PK", "pt", "Paquistão"), ("PT", "uk", "Португалія"), ("BR", "pt_BR", "Brasil"),
     ("NP", "ne", "नेपाल"), ("BD", "bn", "বাংলাদেশ"), ("CN", "zh_Hans", "中国"),
     ("IN", "pa", "ਭਾਰਤ"), ("pk", "ur", "پاکستان"), ("XX", "en", "XX")],
)  # fmt: skip
def test_country_names(code: str, locale: str, name: str) -> None:
    assert country_name(code, locale) == name


def test_every_locale_formats() -> None:
    for locale in SUPPORTED:
        assert format_number(1234.5, locale)
        assert "2026" in format_date(dt.date(2026, 11, 28), locale)
        assert format_time(dt.time(14, 5), locale)


def test_numbers_and_dates_follow_the_locale() -> None:
    assert format_number(1234567.5, "en") == "1,234,567.5"
    assert format_number(1234567.5, "pt_BR") == "1.234.567,5"
    assert format_number(1234567.5, "hi") == "12,34,567.5"  # Indian grouping
    assert format_date(dt.date(2026, 11, 28), "pt") == "28/11/2026"  # European, not Brazilian
    assert format_time(dt.time(14, 5), "pt") == "14:05"
