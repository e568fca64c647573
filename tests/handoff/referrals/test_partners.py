"""The partner directory: the seed is valid; each kind of mistake is named; the command."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bot.cli import main
from handoff.referrals.partners import SEED, load, parse, problems, read

GOOD = {
    "id": "apav", "name": "APAV", "kind": "victim_support", "languages": ["pt"], "regions": ["PT-11"],
    "accepts": ["victim_support"], "delivery": "email", "email": "a@apav.test",
    "source": "https://example.org", "reviewed": date(2026, 12, 1), "verified": True,
}


def test_the_seed_is_valid_and_says_it_is_not_verified():
    errors, warnings = problems(read(SEED), today=date(2026, 12, 4))
    assert errors == []
    directory = load()
    assert len(directory) >= 8 and all(not p.verified for p in directory)
    assert len(warnings) == len(directory)  # each one flagged until someone confirms it
    # Seeds with no confirmed address go on paper, never to a guessed inbox.
    assert {p.delivery for p in directory} <= {"paper", "email"}


@pytest.mark.parametrize(("change", "said"), [
    ({"id": "Bad Id"}, "id must be"),
    ({"kind": "bank"}, "kind must be"),
    ({"regions": ["Lisbon"]}, "regions must be"),
    ({"accepts": ["money"]}, "accepts must list"),
    ({"delivery": "fax"}, "delivery must be"),
    ({"email": "not-an-address"}, "valid email"),
    ({"delivery": "webhook", "webhook": "http://partner.example/hook", "secret_env": "X"}, "https://"),
    ({"delivery": "webhook", "webhook": "https://partner.example/hook"}, "secret_env"),
    ({"source": "a friend"}, "source must be"),
    ({"reviewed": "last week"}, "reviewed must be a date"),
    ({"languages": []}, "languages must be"),
])
def test_each_mistake_is_named(change, said):
    errors, _ = problems({"partner": [{**GOOD, **change}]})
    assert any(said in e for e in errors), errors


def test_duplicates_stale_reviews_and_unknown_files():
    errors, warnings = problems({"partner": [GOOD, GOOD]}, today=date(2026, 12, 4))
    assert any("used twice" in e for e in errors)
    _, warnings = problems({"partner": [{**GOOD, "reviewed": date(2024, 1, 1)}]}, today=date(2026, 12, 4))
    assert any("over a year ago" in w for w in warnings)
    assert problems({}) == (["the file has no [[partner]] entries"], [])
    assert parse({"partner": [GOOD]}).get("apav").serves("PT-11")
    assert not parse({"partner": [GOOD]}).get("apav").serves("PT-13")


def test_the_command_checks_a_file_and_fails_on_errors(tmp_path, capsys):
    assert main(["partners", "check"]) == 0
    assert "not yet verified" in capsys.readouterr().out
    assert main(["partners", "check", "--strict"]) == 2
    bad = tmp_path / "partners.toml"
    bad.write_text('[[partner]]\nid = "x y"\n', encoding="utf-8")
    assert main(["partners", "check", "--file", str(bad)]) == 1
    assert "error: partner 1" in capsys.readouterr().out
    broken = tmp_path / "broken.toml"
    broken.write_text("[[partner]\n", encoding="utf-8")
    assert main(["partners", "check", "--file", str(broken)]) == 1
    with pytest.raises(tomllib.TOMLDecodeError):
        read(broken)
