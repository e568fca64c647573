"""Eligibility rules: a table of decisions and a property test over random records."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.outcome import explain, needs_handoff
from dialogs.places import EU
from dialogs.return_safety import RETURN_SAFETY
from dialogs.rules import ELIGIBILITY, PRIORITIES, PROGRAMMES, RULES_VERSION, decide

BASE = {"in_portugal": True, "nationality": "BR", "eu_family_member": False,
        "wants_to_return": "yes", "fears_return": False, "previous_return_assistance": False,
        "legal_impediment": "no", "trafficking_indicators": [], "vulnerabilities": []}


@pytest.mark.parametrize(
    ("change", "programme", "eligibility", "priority", "reason"),
    [
        ({}, "arvore", "likely_eligible", "normal", "third_country_national"),
        ({"legal_impediment": "yes"}, "arvore", "needs_review", "normal", "legal_impediment"),
        ({"legal_impediment": "unknown"}, "arvore", "needs_review", "normal", "legal_impediment_unknown"),
        ({"previous_return_assistance": None}, "arvore", "needs_review", "normal", "previous_assistance_unknown"),
        # Earlier help and EU family ties: a caseworker looks, the reason on the card; only a
        # return already made with ARVoRe excludes outright.
        ({"previous_return_assistance": True}, "arvore", "needs_review", "normal", "previous_assistance"),
        ({"previous_return_assistance": True, "returned_with_arvore": False}, "arvore", "needs_review", "normal", "previous_assistance"),
        ({"previous_return_assistance": True, "returned_with_arvore": None}, "arvore", "needs_review", "normal", "previous_assistance"),
        ({"previous_return_assistance": True, "returned_with_arvore": True}, "referral", "not_eligible", "normal", "previous_beneficiary"),
        ({"previous_return_assistance": True, "minors_count": 1}, "arvore", "needs_review", "normal", "minors_in_household"),
        ({"eu_family_member": True}, "arvore", "needs_review", "normal", "eu_family_member"),
        ({"eu_family_member": True, "minors_count": 1}, "arvore", "needs_review", "normal", "eu_family_member"),
        # The return-safety list: never likely eligible, high, a person, whatever the wish.
        ({"nationality": "UA"}, "arvore", "needs_review", "high", "return_not_advised"),
        ({"nationality": "BR", "destination_country": "UA"}, "arvore", "needs_review", "high", "return_not_advised"),
        ({"nationality": "UA", "destination_country": "BR"}, "arvore", "likely_eligible", "normal", "third_country_national"),
        ({"nationality": "PS"}, "arvore", "needs_review", "high", "return_region_not_advised"),
        ({"nationality": "SY", "wants_to_return": "no"}, "referral", "needs_review", "high", "return_not_advised"),
        ({"nationality": "SY", "wants_to_return": "no", "fears_return": True}, "asylum_info", "needs_review", "high", "return_not_advised"),
        ({"nationality": "AF", "wants_to_return": "unsure", "fears_return": None}, "referral", "needs_review", "high", "fears_return_unknown"),
        ({"nationality": "UA", "in_danger_now": True}, "arvore", "needs_review", "urgent", "return_not_advised"),
        ({"nationality": "UA", "in_portugal": False}, "out_of_scope", "not_eligible", "low", "not_in_portugal"),
        ({"nationality": "SY", "trafficking_indicators": ["debt"]}, "trafficking_support", "needs_review", "high", "return_not_advised"),
        ({"nationality": "UA", "household_size": 1, "is_minor_alone": True}, "arvore", "needs_review", "urgent", "minor_alone"),
        ({"fears_return": None, "wants_to_return": "no"}, "referral", "needs_review", "normal", "fears_return_unknown"),
        ({"fears_return": True, "wants_to_return": "unsure"}, "asylum_info", "needs_review", "high", "fears_return"),
        ({"nationality": "RO"}, "referral", "not_eligible", "normal", "eu_national"),
        ({"nationality": "RO", "trafficking_indicators": ["debt"]}, "eu_trafficking_fund", "needs_review", "high", "eu_national"),
        ({"nationality": "RO", "trafficking_indicators": ["debt"], "wants_to_return": "no"}, "trafficking_support", "needs_review", "high", "trafficking_indicators"),
        ({"trafficking_indicators": ["documents_withheld"]}, "trafficking_support", "needs_review", "high", "arvore_possible"),
        ({"fears_return": True}, "asylum_info", "needs_review", "high", "fears_return"),
        ({"fears_return": True, "trafficking_indicators": ["debt"]}, "trafficking_support", "needs_review", "high", "fears_return"),
        ({"wants_to_return": "unsure"}, "referral", "needs_review", "normal", "undecided"),
        ({"wants_to_return": "no"}, "referral", "not_eligible", "normal", "does_not_want_return"),
        ({"in_portugal": False}, "out_of_scope", "not_eligible", "low", "not_in_portugal"),
        ({"in_portugal": False, "in_danger_now": True}, "out_of_scope", "not_eligible", "urgent", "in_danger"),
        ({"in_danger_now": True}, "arvore", "likely_eligible", "urgent", "in_danger"),
        # A child alone is never simply likely eligible: a person decides, at once.
        ({"household_size": 1, "is_minor_alone": True}, "arvore", "needs_review", "urgent", "minor_alone"),
        # Fear answered "I don't know" is not a no.
        ({"fears_return": None}, "arvore", "needs_review", "normal", "fears_return_unknown"),
        # Yes to exploitation with every detail skipped is still an indicator.
        ({"trafficking_indicators": ["exploitation_reported"]}, "trafficking_support", "needs_review", "high", "arvore_possible"),
        # Fear is asked of those who stay too: protection first.
        ({"wants_to_return": "no", "fears_return": True}, "asylum_info", "needs_review", "high", "fears_return"),
        ({"vulnerabilities": ["medical"]}, "arvore", "likely_eligible", "high", "vulnerable"),
    ],
)
def test_decisions(change, programme, eligibility, priority, reason):
    outcome = decide({**BASE, **change})
    assert (outcome["programme"], outcome["eligibility"], outcome["priority"]) == (
        programme, eligibility, priority)
    assert reason in outcome["reasons"]
    assert outcome["rules_version"] == RULES_VERSION


maybe_bool = st.sampled_from([True, False, None])
records = st.fixed_dictionaries(
    {},
    optional={
        "in_danger_now": maybe_bool,
        "in_portugal": maybe_bool,
        "nationality": st.sampled_from([None, "BR", "IN", "UA", "NP", "AO", "SY", "AF", "PS",
                                        *sorted(EU)]),
        "destination_country": st.sampled_from([None, "BR", "UA", "SY", "NP"]),
        "eu_family_member": maybe_bool,
        "wants_to_return": st.sampled_from([None, "yes", "no", "unsure"]),
        "fears_return": maybe_bool,
        "household_size": st.integers(0, 12),
        "minors_count": st.integers(0, 10),
        "is_minor_alone": maybe_bool,
        "previous_return_assistance": maybe_bool,
        "returned_with_arvore": maybe_bool,
        "legal_impediment": st.sampled_from([None, "yes", "no", "unknown"]),
        "trafficking_indicators": st.lists(st.sampled_from(
            ["documents_withheld", "unpaid_wages", "debt", "movement_restricted"]), max_size=3),
        "vulnerabilities": st.lists(st.sampled_from(["pregnant", "homeless", "domestic_violence"]),
                                    max_size=2),
    },
)


@settings(max_examples=400, deadline=None)
@given(records)
def test_rules_never_send_the_excluded_to_arvore_and_always_decide_once(record):
    outcome = decide(record)
    assert set(outcome) == {"programme", "eligibility", "priority", "reasons", "rules_version"}
    assert outcome["programme"] in PROGRAMMES
    assert outcome["eligibility"] in ELIGIBILITY and outcome["priority"] in PRIORITIES
    assert outcome["reasons"]
    if outcome["programme"] == "arvore":
        assert record.get("nationality") not in EU
        assert not (record.get("previous_return_assistance") is True
                    and record.get("returned_with_arvore") is True)
        assert record.get("in_portugal") is not False
        assert record.get("fears_return") is not True
        assert record.get("wants_to_return") == "yes"
    if record.get("in_portugal") is False:
        assert outcome["programme"] == "out_of_scope"
    if record.get("in_danger_now") is True:
        assert outcome["priority"] == "urgent"
    if outcome["eligibility"] == "likely_eligible":  # only with every safety answer a clear no
        assert record.get("eu_family_member") is not True
        assert record.get("previous_return_assistance") is not True
        assert record.get("is_minor_alone") is not True and record.get("fears_return") is not True
        assert not ("fears_return" in record and record["fears_return"] is None)
        assert RETURN_SAFETY.advice(record.get("destination_country")
                                    or record.get("nationality")) is None
    if RETURN_SAFETY.advice(record.get("destination_country") or record.get("nationality")) \
            and outcome["programme"] != "out_of_scope":
        assert outcome["eligibility"] == "needs_review" and needs_handoff(outcome)
        assert outcome["priority"] in ("urgent", "high")
    # Every outcome explains itself in short info messages and says what happens next.
    replies = explain({**outcome, "vulnerabilities": record.get("vulnerabilities", [])})
    assert replies and all(r.kind == "info" for r in replies)
    for reply in replies:  # English text as sent: about 4 SMS segments once translated
        assert sum(len(t.msgid.format(**t.params)) + 2 for t in reply.parts) <= 290
    assert isinstance(needs_handoff(outcome), bool)


def _said(outcome):
    return [part.msgid for reply in explain(outcome) for part in reply.parts]


@pytest.mark.parametrize("change", [
    {"wants_to_return": "no", "fears_return": True},
    {"wants_to_return": "no", "fears_return": True, "trafficking_indicators": ["debt"]},
    {"fears_return": None},
    {"wants_to_return": "no", "fears_return": None},
])
def test_whoever_fears_return_hears_of_asylum_advice_and_never_of_their_embassy(change):
    said = _said(decide({**BASE, **change}))
    assert any(m.startswith("CPR") for m in said), said
    assert not any("embassy" in m for m in said), said


def test_who_does_not_fear_return_may_still_be_pointed_to_their_consulate():
    said = _said(decide({**BASE, "wants_to_return": "no"}))
    assert any("embassy" in m for m in said) and not any(m.startswith("CPR") for m in said)
