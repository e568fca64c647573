"""The return-safety list: editable data, checked, and followed by the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from dialogs import return_safety
from dialogs.engine import check_flows
from dialogs.return_safety import RETURN_SAFETY, load
from dialogs.rules import RULES_VERSION, decide

WANTS = {"in_portugal": True, "nationality": "UA", "eu_family_member": False,
         "wants_to_return": "yes", "fears_return": False, "previous_return_assistance": False,
         "legal_impediment": "no", "trafficking_indicators": [], "vulnerabilities": []}

GOOD = '''
[[destination]]
country = "UA"
region = ""
basis = "A UN position on returns"
source = "https://example.org/position"
last_reviewed = 2026-12-01
verified = false
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "return_safety.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_list_is_complete_and_names_the_scenarios_destinations():
    assert RETURN_SAFETY.problems == ()
    assert {"UA", "SY", "AF"} <= {e.country for e in RETURN_SAFETY.entries}
    for entry in RETURN_SAFETY.entries:
        assert entry.source.startswith("https://") and entry.last_reviewed and entry.basis
    assert RULES_VERSION.endswith(RETURN_SAFETY.version)


@pytest.mark.parametrize(("drop", "problem"), [
    ('source = "https://example.org/position"\n', "no source"),
    ("last_reviewed = 2026-12-01\n", "no review date"),
    ('basis = "A UN position on returns"\n', "no basis"),
])
def test_an_entry_without_source_or_review_date_is_a_problem_but_stays_listed(tmp_path, drop,
                                                                               problem):
    safety = load(write(tmp_path, GOOD.replace(drop, "")))
    assert len(safety.problems) == 1 and problem in safety.problems[0]
    assert safety.advice("UA") is not None  # kept listed: erring on the side of safety
    assert decide(WANTS, safety)["eligibility"] == "needs_review"


def test_a_malformed_file_is_reported_not_raised(tmp_path):
    safety = load(write(tmp_path, "[[destination]\ncountry = "))
    assert safety.entries == () and safety.problems
    assert load(write(tmp_path, GOOD.replace('"UA"', '"Ukraine"'))).problems


def test_the_rules_version_changes_when_the_list_does(tmp_path):
    one = load(write(tmp_path, GOOD))
    two = load(write(tmp_path, GOOD.replace("2026-12-01", "2026-12-02")))
    same = load(write(tmp_path, "# a comment changes nothing\n" + GOOD))
    assert one.version != two.version and one.version == same.version
    assert decide(WANTS, one)["rules_version"] != decide(WANTS, two)["rules_version"]
    assert decide(WANTS, load(write(tmp_path, "")))["eligibility"] == "likely_eligible"


def test_a_region_entry_asks_the_caseworker_where_to(tmp_path):
    safety = load(write(tmp_path, GOOD.replace('region = ""', 'region = "East"')))
    outcome = decide(WANTS, safety)
    assert "return_region_not_advised" in outcome["reasons"]
    assert (outcome["eligibility"], outcome["priority"]) == ("needs_review", "high")


def test_flows_check_fails_on_an_incomplete_entry_and_lists_the_destinations(
        tmp_path, monkeypatch, capsys):
    assert cli.main(["flows", "check"]) == 0
    out = capsys.readouterr().out
    assert "return safety: " in out and "UA: UNHCR" in out and "flows: ok" in out
    bad = load(write(tmp_path, GOOD.replace("last_reviewed = 2026-12-01\n", "")))
    monkeypatch.setattr(return_safety, "RETURN_SAFETY", bad)
    assert any("no review date" in p for p in check_flows())
    assert cli.main(["flows", "check"]) == 1
    out = capsys.readouterr().out
    assert "return safety entry 1 (UA): no review date" in out and "reviewed never" in out
