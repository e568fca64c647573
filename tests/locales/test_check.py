"""`intake locales check` logic: a good fixture passes, each kind of breakage is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from locales import (
    SUPPORTED,
    check_catalogs,
    placeholders,
    plural_forms,
    review_statuses,
    update_catalog,
)
from locales.pofile import read_catalog

from .conftest import FIXTURES

TEMPLATE = FIXTURES / "template.pot"
LOCALES = ("pt", "pt_BR", "uk", "ar", "en")


@pytest.fixture()
def broken(tmp_path: Path):
    """Copy the good fixture and return an editor: edit(locale, old, new)."""
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)

    def edit(locale: str, old: str, new: str) -> Path:
        path = tmp_path / locale / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {locale}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return tmp_path

    return edit


def test_good_fixture_passes() -> None:
    assert check_catalogs(TEMPLATE, FIXTURES / "good", locales=LOCALES) == []


def test_good_fixture_passes_without_template() -> None:
    assert check_catalogs(None, FIXTURES / "good", locales=LOCALES) == []


BREAKAGES = [
    ("pt", 'msgstr "Olá, {name}!"', 'msgstr "Olá!"', "placeholder {name} missing"),
    ("pt", 'msgstr "Olá, {name}!"', 'msgstr "Olá, {nome}!"', "placeholder {nome} not in msgid"),
    ("pt_BR", "caso é %(case)s.", "caso é %(caso)s.", "placeholder %(case) missing"),
    ("uk", 'msgstr[2] "Залишилося {n} днів."', 'msgstr[2] "Залишилося днів."', "{n} missing (form 2)"),
    ("pt", 'msgctxt "button"', '#, fuzzy\nmsgctxt "button"', "fuzzy"),
    ("pt_BR", 'msgstr "Sim"', 'msgstr ""', "untranslated"),
    ("ar", '"X-Review-Status: machine-drafted, needs native review\\n"\n', "", "X-Review-Status"),
    ("ar", "X-Review-Status: machine-drafted, needs native review", "X-Review-Status: done", "X-Review-Status"),
    ("uk", 'msgstr[2] "Залишилося {n} днів."\n', "", "untranslated"),  # a missing form is empty
    ("uk", 'msgstr[2] "Залишилося {n} днів."\n', 'msgstr[2] "днів."\nmsgstr[3] "x"\n', "more translations"),
    ("pt", "nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n > 1);", "disagrees with CLDR"),
    ("pt", 'msgctxt "button"', 'msgid "Gone"\nmsgstr "Foi"\n\nmsgctxt "button"', "'Gone': obsolete"),
    ("pt", 'msgctxt "button"', '#~ msgid "Old"\n#~ msgstr "Velho"\n\nmsgctxt "button"', "obsolete entry"),
    ("uk", 'msgctxt "button"\nmsgid "Yes"\nmsgstr "Так"\n', "", "'Yes' (context 'button'): missing"),
    ("uk", 'msgid "Hello {name}!"', 'this is not PO syntax\nmsgid "Hello {name}!"', "cannot be read"),
]  # fmt: skip


@pytest.mark.parametrize(("locale", "old", "new", "expected"), BREAKAGES)
def test_broken_catalog_fails(broken, locale: str, old: str, new: str, expected: str) -> None:
    directory = broken(locale, old, new)
    problems = check_catalogs(TEMPLATE, directory, locales=LOCALES)
    assert problems, "a broken catalog must fail the check"
    assert any(expected in p and p.startswith(locale + "/") for p in problems), problems


def test_missing_catalog_fails() -> None:
    problems = check_catalogs(TEMPLATE, FIXTURES / "good", locales=("pt", "fr"))
    assert problems == ["fr/LC_MESSAGES/messages.po: catalog missing"]


def test_english_source_may_stay_empty_but_others_not(broken) -> None:
    directory = broken(
        "en", 'msgstr ""\n\n#, python-brace-format', 'msgstr ""\n\n#, python-brace-format'
    )
    assert check_catalogs(TEMPLATE, directory, locales=("en",)) == []


def test_segment_budget_hook_sees_every_translation() -> None:
    seen: list[tuple[str, str, str]] = []

    def budget(locale: str, msgid: str, text: str) -> str | None:
        seen.append((locale, msgid, text))
        return "3 SMS segments, budget 2" if locale == "ar" and msgid == "Hello {name}!" else None

    problems = check_catalogs(
        TEMPLATE, FIXTURES / "good", locales=("pt", "ar"), segment_budget=budget
    )
    assert len(problems) == 1 and problems[0].startswith("ar/LC_MESSAGES/messages.po:")
    assert problems[0].endswith(": 'Hello {name}!': 3 SMS segments, budget 2")
    assert ("pt", "You have {n} day left.", "Faltam {n} dias.") in seen  # plural forms too


def test_update_catalog_merges_and_keeps_status(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    template = read_catalog(TEMPLATE)
    template.add("A new prompt")
    template.delete("Yes", context="button")
    update_catalog(template, "pt", {"A new prompt": "Uma nova pergunta"}, catalog_dir=tmp_path)
    catalog = read_catalog(tmp_path / "pt" / "LC_MESSAGES" / "messages.po", "pt")
    assert catalog.review_status == "native-reviewed"  # kept, not overwritten
    assert catalog.get("A new prompt").string == "Uma nova pergunta"
    assert catalog.get("Hello {name}!").string == "Olá, {name}!"  # existing kept
    assert catalog.get("Yes", context="button") is None and not catalog.obsolete
    assert check_catalogs(template, tmp_path, locales=("pt",)) == []
    with pytest.raises(KeyError):
        update_catalog(template, "pt", {"Not in template": "x"}, catalog_dir=tmp_path)


def test_new_catalog_gets_reviewed_plural_header(tmp_path: Path) -> None:
    update_catalog(TEMPLATE, "ne", {}, catalog_dir=tmp_path)
    text = (tmp_path / "ne" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "nplurals=2; plural=(n != 1);" in text
    assert "X-Review-Status: machine-drafted, needs native review" in text
    problems = check_catalogs(TEMPLATE, tmp_path, locales=("ne",))
    assert problems and all("untranslated" in p for p in problems)


def test_plural_headers_agree_with_cldr() -> None:
    for locale in SUPPORTED:
        assert plural_forms(locale).agrees_with_cldr, locale
    # The classic mistake: the Brazilian rule in a European Portuguese catalog, and back.
    assert not plural_forms("pt", "nplurals=2; plural=(n > 1);").agrees_with_cldr
    assert not plural_forms("pt_BR", "nplurals=2; plural=(n != 1);").agrees_with_cldr
    assert not plural_forms("uk", "nplurals=2; plural=(n != 1);").agrees_with_cldr


def test_placeholders() -> None:
    assert placeholders("Hi {name}, {0} {count:d} {{literal}}") == (
        frozenset({"{name}", "{0}", "{count}"}), 0)  # fmt: skip
    assert placeholders("%(case)s and %s and %d but not 100%%") == (frozenset({"%(case)"}), 2)


def test_review_statuses() -> None:
    statuses = review_statuses(FIXTURES / "good", locales=("pt", "ar", "fr"))
    assert statuses == {
        "pt": "native-reviewed",
        "ar": "machine-drafted, needs native review",
        "fr": None,
    }
