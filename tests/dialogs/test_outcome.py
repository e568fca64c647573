"""What each outcome tells the person: contacts that fit, honest next steps, `info` always."""

from __future__ import annotations

import pytest

from dialogs.outcome import NEXT_NONE, details, explain
from dialogs.rules import decide
from tests.dialogs.test_rules import BASE


def said(outcome, **kw) -> list[str]:
    return [part.msgid.format(**part.params) for reply in explain(outcome, **kw)
            for part in reply.parts]


@pytest.mark.parametrize(("change", "contact"), [
    ({"in_portugal": False}, "IOM Portugal, Lisbon office: +351 213 242 940"),
    ({"wants_to_return": "no"}, "AIMA"),
    ({"trafficking_indicators": ["debt"]}, "APAV victim support, free: 116 006"),
    ({"household_size": 1, "is_minor_alone": True}, "116 111"),
    ({"vulnerabilities": ["domestic_violence"], "wants_to_return": "no"}, "800 202 148"),
    ({"nationality": "SY"}, "21 831 43 72"),
])
def test_the_contact_that_fits_is_given(change, contact):
    record = {**BASE, **change}
    outcome = {**decide(record), "vulnerabilities": record["vulnerabilities"]}
    assert any(contact in line for line in said(outcome)), said(outcome)


@pytest.mark.parametrize("change", [{"wants_to_return": "no"}, {"nationality": "RO"},
                                    {"in_portugal": False},
                                    {"previous_return_assistance": True,
                                     "returned_with_arvore": True}])
def test_when_no_case_is_opened_the_person_is_told_so(change):
    lines = said(decide({**BASE, **change}))
    assert lines[-1] == NEXT_NONE and "caseworker will read" not in " ".join(lines)


def test_a_case_opened_says_how_they_will_be_contacted():
    lines = said(decide({**BASE, "nationality": "UA"}), contact="phone_call")
    assert "call you" in lines[-1]


@pytest.mark.parametrize("change", [{}, {"wants_to_return": "unsure"}, {"wants_to_return": "no"},
                                    {"fears_return": True}, {"in_portugal": False},
                                    {"nationality": "RO"}, {"trafficking_indicators": ["debt"]}])
def test_info_explains_something_for_every_outcome(change):
    replies = details(decide({**BASE, **change}))
    assert replies and all(len(r.parts) > 1 for r in replies)


def test_info_for_someone_at_risk_starts_with_asylum_advice():
    replies = details(decide({**BASE, "nationality": "AF", "wants_to_return": "unsure"}))
    assert replies[0].parts[1].msgid.startswith("CPR")


def test_contacts_are_split_so_each_message_stays_short():
    record = {**BASE, "nationality": "SY", "trafficking_indicators": ["debt"],
              "vulnerabilities": ["domestic_violence"]}
    outcome = {**decide(record), "vulnerabilities": record["vulnerabilities"]}
    replies = explain(outcome)
    contacts = [r for r in replies if r.parts[0].msgid == "Useful contacts:"]
    assert len(contacts) >= 2
    for reply in contacts:
        assert sum(len(t.msgid.format(**t.params)) + 2 for t in reply.parts) <= 250
