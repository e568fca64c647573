"""The address is masked everywhere until a reader reveals it, saying why; the audit keeps who,
when and why, and supervisors read it in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from handoff.cards import mask, mask_numbers
from handoff.models import AuditEntry
from tests.handoff.helpers import bearer, caseworker, console_sign_in, csrf_of, handed_over, say

PHONE = "+351910000077"
MASKED = "•" * (len(PHONE) - 2) + PHONE[-2:]


@pytest.mark.parametrize(("written", "shown"), [
    ("my number is +351 912 345 678", "my number is ••••••••••78"),
    ("call 912-345-678 please", "call •••••••78 please"),
    ("passport N° 123456789", "passport N° •••••••89"),
    ("رقمي ٠٩١٢٣٤٥٦٧٨", "رقمي ••••••••٧٨"),  # Arabic-Indic digits are digits too
    ("I am 34, born 12/03/1990, 3 kids", "I am 34, born 12/03/1990, 3 kids"),
    ("pay was 1200 euro for 12345678 hours", "pay was 1200 euro for 12345678 hours"),
])
def test_long_numbers_in_what_a_person_wrote_are_masked(written, shown):
    assert mask_numbers(written) == shown


def test_mask_keeps_the_last_two_characters():
    assert (mask(PHONE), mask("42"), mask(None), mask("")) == (MASKED, "42", None, "")


def _desk(hub):
    handed_over(hub.app, PHONE, "sms", language="pt")
    say(hub.app, "o meu número é 912 345 678", PHONE)
    hub.ana = caseworker(hub.db, "ana@example.org")[1]
    hub.rui = caseworker(hub.db, "rui@example.org")[1]
    hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")[1]
    hub.clock.fixed = utcnow()
    assert hub.client.post("/api/v1/cases/1/claim", headers=bearer(hub.ana)).status_code == 200
    return hub


def test_the_card_masks_the_address_and_numbers_until_revealed_for_a_reason(hub):
    desk, client = _desk(hub), hub.client
    card = client.get("/api/v1/cases/1", headers=bearer(desk.ana)).json()
    assert (card["address"], card["address_revealed"]) == (MASKED, False)
    assert PHONE not in str(card) and "912 345 678" not in str(card) and "•••••••78" in str(card)
    messages = client.get("/api/v1/cases/1/messages", headers=bearer(desk.ana)).text
    assert "912 345 678" not in messages

    shown = client.post("/api/v1/cases/1/reveal", headers=bearer(desk.ana),
                        json={"reason": "other", "note": "  she asked   for a call back "})
    assert shown.status_code == 200
    assert shown.json() | {"revealed_at": None} == {
        "case_id": 1, "address": PHONE, "reason": "other", "note": "she asked for a call back",
        "revealed_at": None, "contact": shown.json()["contact"]}
    card = client.get("/api/v1/cases/1", headers=bearer(desk.ana)).json()
    assert card["address"] == PHONE and card["address_revealed"] is True
    assert "912 345 678" in client.get("/api/v1/cases/1/messages", headers=bearer(desk.ana)).text
    # Revealed to her, not to everyone who reads the case afterwards.
    assert client.get("/api/v1/cases/1", headers=bearer(desk.sup)).json()["address"] == MASKED

    desk.clock.fixed += timedelta(minutes=16)  # a screen left open hides it again
    assert client.get("/api/v1/cases/1", headers=bearer(desk.ana)).json()["address"] == MASKED

    with desk.db.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
        assert (entry.case_id, entry.detail) == (1, {"reason": "other", "note": "she asked for a call back"})
        assert entry.caseworker_id is not None and entry.at is not None


@pytest.mark.parametrize(("body", "why"), [
    ({}, "reason must be one of"),
    ({"reason": "curious"}, "reason must be one of"),
    ({"reason": ["safety"]}, "reason must be one of"),
    ({"reason": "other"}, "say why in a note"),
    ({"reason": "other", "note": "  ok "}, "say why in a note"),
    ({"reason": "safety", "note": 7}, "note must be text"),
    ({"reason": "safety", "note": "x" * 201}, "200 characters at most"),
])
def test_a_reveal_without_a_good_reason_is_refused_and_reveals_nothing(hub, body, why):
    desk, client = _desk(hub), hub.client
    refused = client.post("/api/v1/cases/1/reveal", headers=bearer(desk.ana), json=body)
    assert refused.status_code == 422 and why in refused.json()["detail"] and PHONE not in refused.text
    assert client.get("/api/v1/cases/1", headers=bearer(desk.ana)).json()["address"] == MASKED


def test_only_readers_reveal_and_lists_show_a_colleagues_case_as_a_holder_only(hub):
    desk, client = _desk(hub), hub.client
    refused = client.post("/api/v1/cases/1/reveal", headers=bearer(desk.rui), json={"reason": "safety"})
    assert refused.status_code == 403 and refused.json() == {"detail": "case 1 is with ana"}
    [listed] = client.get("/api/v1/cases", headers=bearer(desk.rui)).json()["items"]
    assert listed == {"id": 1, "status": "claimed", "assignee": listed["assignee"], "restricted": True}
    assert listed["assignee"]["name"] == "ana"
    [full] = client.get("/api/v1/cases", headers=bearer(desk.sup)).json()["items"]
    assert full["priority"] and "restricted" not in full


def test_an_export_carries_the_address_and_erasure_blanks_the_reason_notes(hub):
    desk, client = _desk(hub), hub.client
    client.post("/api/v1/cases/1/reveal", headers=bearer(desk.ana), json={"reason": "other", "note": "Maria's cousin"})
    assert client.get("/api/v1/cases/1/export", headers=bearer(desk.sup)).json()["address"] == PHONE
    assert client.post("/api/v1/cases/1/erase", headers=bearer(desk.sup)).status_code == 200
    log = client.get("/api/v1/audit?action=reveal", headers=bearer(desk.sup)).json()["items"]
    assert [(e["action"], e["detail"]) for e in log] == [("reveal", {"reason": "other", "note": ""})]
    assert client.get("/api/v1/audit?action=a%00b", headers=bearer(desk.sup)).status_code == 422


# -- in the console -----------------------------------------------------------------------------


def test_the_console_reveals_on_request_and_the_supervisor_reads_why(hub):
    _desk(hub)
    client = hub.client
    console_sign_in(client, "ana@example.org")
    page = client.get("/console/cases/1")
    assert PHONE not in page.text and MASKED in page.text and "912 345 678" not in page.text
    assert 'id="reveal-form"' in page.text and "/console/audit" not in page.text
    why = {"csrf_token": csrf_of(page.text), "reason": "contact_person"}
    assert client.post("/console/cases/1/reveal", data=why, follow_redirects=False).status_code == 303
    page = client.get("/console/cases/1")
    assert PHONE in page.text and "912 345 678" in page.text and 'id="revealed"' in page.text
    assert "912 345 678" in client.get("/console/cases/1/transcript").text
    refused = client.get("/console/audit", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"] == "/console/"

    client.cookies.clear()
    console_sign_in(client, "sup@example.org")
    log = client.get("/console/audit?action=reveal")
    assert log.status_code == 200 and 'data-action="reveal"' in log.text
    assert "ana" in log.text and "para contactar a pessoa como pediu" in log.text
    assert 'data-action="view"' not in log.text
    assert "/console/audit" in client.get("/console/").text
    everything = client.get("/console/audit?case=1").text
    assert everything.count('data-action="view"') >= 1 and 'data-action="claim"' in everything
    assert client.get("/console/audit?case=%C2%B2", follow_redirects=False).status_code == 303
