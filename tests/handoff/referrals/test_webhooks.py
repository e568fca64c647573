"""Partners on webhooks: the referral and the withdrawal notice are posted, signed, with an
idempotency key; the partner's answer comes back signed, and anything unsigned is refused."""

from __future__ import annotations

import hashlib
import hmac
import json

from tests.handoff.helpers import bearer
from tests.handoff.referrals.conftest import SECRET, courier_pass
from tests.handoff.referrals.test_e2e import person, trafficked_and_queued


def _signed(body: dict) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {"X-Intake-Signature": "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest(),
                 "Content-Type": "application/json"}


def _referred(office) -> tuple[int, str, dict]:
    case_id, token = trafficked_and_queued(office)
    client = office.client
    client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "cpr-test", "fields": ["language"], "method": "phone", "note": "said yes on the phone"})
    made = client.post(f"/api/v1/cases/{case_id}/referrals", headers=bearer(token),
                       json={"partner": "cpr-test", "fields": ["language"], "notify_person": False})
    assert made.status_code == 201, made.text
    return case_id, token, made.json()


def test_the_referral_is_posted_signed_and_the_partner_answers(office):
    _case_id, token, made = _referred(office)
    before = len(office.sms.sent)
    assert courier_pass(office.app) == 1
    [(headers, body)] = office.hooks.received
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    assert headers["X-Intake-Signature"] == "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["Idempotency-Key"] == f"{made['reference']}:referral"
    assert body["fields"] == {"language": "Português"} and body["type"] == "referral"
    assert len(office.sms.sent) == before  # unsafe to notify: the person is not told

    client = office.client
    raw, signed = _signed({"reference": made["reference"], "status": "accepted", "note": "we will call"})
    assert client.post("/webhooks/referrals/cpr-test", content=raw, headers={
        **signed, "X-Intake-Signature": "sha256=" + "0" * 64}).status_code == 403
    assert client.post("/webhooks/referrals/apav-test", content=raw, headers=signed).status_code == 403
    answered = client.post("/webhooks/referrals/cpr-test", content=raw, headers=signed)
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    assert client.post("/webhooks/referrals/cpr-test", content=raw, headers=signed).status_code == 200  # a retry
    late, late_signed = _signed({"reference": made["reference"], "status": "acknowledged"})
    assert client.post("/webhooks/referrals/cpr-test", content=late, headers=late_signed).status_code == 409
    junk, junk_signed = _signed({"status": "accepted"})
    assert client.post("/webhooks/referrals/cpr-test", content=junk, headers=junk_signed).status_code == 422
    got = client.get(f"/api/v1/referrals/{made['id']}", headers=bearer(token)).json()
    assert (got["status"], got["note"], got["values"]) == ("accepted", "we will call", {"language": "Português"})


def test_withdrawal_reaches_the_partner_and_a_4xx_is_not_retried(office):
    _case_id, _token, made = _referred(office)
    assert courier_pass(office.app) == 1
    person(office.app, "retirar")
    office.hooks.status = 410
    assert courier_pass(office.app) == 0
    headers, body = office.hooks.received[-1]
    assert body == {"type": "withdrawal", "reference": made["reference"], "detail": body["detail"]}
    assert headers["Idempotency-Key"] == f"{made['reference']}:withdrawal"
    got = office.client.get(f"/api/v1/referrals/{made['id']}", headers=bearer(_token)).json()
    assert (got["status"], got["delivery_status"]) == ("withdrawn", "failed")
    assert "410" in got["last_error"]
