"""The referral form in the console, without a browser: the preview shows exactly what would
go, asking by message or recording a phone agreement, sending, and the case page after."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.models import Conversation
from tests.handoff.helpers import console_sign_in
from tests.handoff.referrals.conftest import courier_pass
from tests.handoff.referrals.test_e2e import PHONE, person, trafficked_and_queued


def _form(client, case_id: int, **query: str):
    return client.get(f"/console/cases/{case_id}/refer", params=query)


def test_the_form_previews_only_the_ticked_fields_and_sends_once_the_person_agreed(office):
    app, client = office.app, office.client
    case_id, _token = trafficked_and_queued(office)
    with office.db.transaction() as s:
        conv = s.scalars(select(Conversation)).one()
        conv.record = {**conv.record, "nationality": "NP", "district": "PT-02"}
    csrf = console_sign_in(client, "ana77@example.org")

    empty = _form(client, case_id)
    assert empty.status_code == 200 and 'id="preview"' not in empty.text
    assert 'type="checkbox" name="field_nationality" value="1">' in empty.text  # nothing ticked

    shown = _form(client, case_id, partner="apav-test", purpose="victim_support", field_nationality="1")
    assert "Nepal" in shown.text and "Beja" not in shown.text  # only what is ticked
    assert 'id="not-covered"' in shown.text and 'id="send-referral"' not in shown.text

    asked = client.post(f"/console/cases/{case_id}/referral-consent", data={
        "csrf_token": csrf, "partner": "apav-test", "purpose": "victim_support", "field_nationality": "1",
        "method": "message"}, follow_redirects=False)
    assert asked.status_code == 303
    person(app, "ok")
    shown = _form(client, case_id, partner="apav-test", purpose="victim_support", field_nationality="1")
    assert 'id="covered"' in shown.text and 'id="send-referral"' in shown.text

    sent = client.post(f"/console/cases/{case_id}/refer", data={
        "csrf_token": csrf, "partner": "apav-test", "purpose": "victim_support", "field_nationality": "1",
        "notify": "1"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith("#referrals")
    assert courier_pass(app) == 1
    page = client.get(f"/console/cases/{case_id}").text
    block = page[page.index('id="referrals"'):]
    assert "APAV" in block and re.search(r'data-status="sent"', block)
    assert re.search(r'data-consent="\d+" data-status="given"', block)


def test_a_phone_agreement_needs_a_note_and_a_colleague_cannot_refer(office):
    client = office.client
    case_id, _token = trafficked_and_queued(office)
    csrf = console_sign_in(client, "ana77@example.org")
    refused = client.post(f"/console/cases/{case_id}/referral-consent", data={
        "csrf_token": csrf, "partner": "paper-test", "purpose": "child_protection", "field_language": "1",
        "method": "phone", "note": ""}, follow_redirects=True)
    assert "note is required" in refused.text or "obrigatória" in refused.text or "required" in refused.text
    from tests.handoff.helpers import caseworker

    caseworker(office.db, "rui@example.org")
    client.cookies.clear()
    csrf = console_sign_in(client, "rui@example.org")
    other = client.post(f"/console/cases/{case_id}/refer", data={
        "csrf_token": csrf, "partner": "paper-test", "purpose": "child_protection", "field_language": "1"},
        follow_redirects=False)
    assert other.status_code == 303 and other.headers["location"] == f"/console/cases/{case_id}"
    assert PHONE  # the person's number never appears in these pages
    assert PHONE not in client.get(f"/console/cases/{case_id}/refer", params={
        "partner": "paper-test", "field_phone": "1"}).text
