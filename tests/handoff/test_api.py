"""The REST API of DESIGN.md §3: every endpoint, and who may not use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.models import Contact
from handoff.models import AuditEntry
from handoff.queue import OUTCOMES
from tests.handoff.helpers import bearer, caseworker, deliver, handed_over, say

PHONE = "+351910000002"


@pytest.fixture
def queued(hub):
    """One queued case from an SMS conversation, and three accounts."""
    conv_id = handed_over(hub.app, PHONE, "sms", language="pt_BR")
    hub.ana = caseworker(hub.db, "ana@example.org")[1]
    hub.rui = caseworker(hub.db, "rui@example.org")[1]
    hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")[1]
    hub.case_id = hub.client.get("/api/v1/cases", headers=bearer(hub.ana)).json()["items"][0]["id"]
    hub.conv_id = conv_id
    return hub


def test_no_token_or_a_wrong_one_is_401_with_a_detail(queued):
    client = queued.client
    for method, path in [("get", "/api/v1/cases"), ("get", f"/api/v1/cases/{queued.case_id}"),
                         ("post", f"/api/v1/cases/{queued.case_id}/claim"), ("get", "/api/v1/conversations")]:
        response = getattr(client, method)(path)
        assert response.status_code == 401 and "token" in response.json()["detail"]
        response = getattr(client, method)(path, headers=bearer("ik_wrong"))
        assert response.status_code == 401


def test_revoked_token_stops_working(queued):
    from handoff import auth

    with queued.db.transaction() as s:
        cw = auth.find_by_email(s, "ana@example.org")
        _row, token = auth.create_token(s, cw)
        row_id = _row.id
    assert queued.client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with queued.db.transaction() as s:
        assert auth.revoke_token(s, row_id, utcnow())
    assert queued.client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_case_list_and_card_fields(queued):
    client = queued.client
    items = client.get("/api/v1/cases?status=queued", headers=bearer(queued.ana)).json()["items"]
    assert len(items) == 1
    item = items[0]
    for key in ("id", "conversation_id", "channel", "status", "language", "programme", "eligibility",
                "priority", "reasons", "waiting_seconds", "sla"):
        assert key in item
    assert (item["language"], item["programme"], item["eligibility"]) == ("pt_BR", "arvore", "likely_eligible")
    # Need to know: a queued case's card is for whoever claims it (or a supervisor).
    waiting = client.get(f"/api/v1/cases/{queued.case_id}", headers=bearer(queued.ana))
    assert waiting.status_code == 403 and "claim it to read it" in waiting.json()["detail"]
    assert client.get(f"/api/v1/cases/{queued.case_id}/messages", headers=bearer(queued.ana)).status_code == 403
    assert client.post(f"/api/v1/cases/{queued.case_id}/claim", headers=bearer(queued.ana)).status_code == 200
    card = client.get(f"/api/v1/cases/{queued.case_id}", headers=bearer(queued.ana)).json()
    # The address stays masked until revealed (tests/handoff/test_reveal.py).
    assert card["address"] == "•" * (len(PHONE) - 2) + PHONE[-2:] and card["address_revealed"] is False
    assert card["record"]["travel_document"] == "valid_passport"
    assert [m["author"] for m in card["transcript"]][:2] == ["person", "bot"]  # oldest first
    assert {"due_at", "breached", "minutes_left"} <= set(card["sla"])
    assert client.get("/api/v1/cases?status=closed", headers=bearer(queued.ana)).json() == {"items": []}
    assert client.get("/api/v1/cases?status=bogus", headers=bearer(queued.ana)).status_code == 422
    assert client.get("/api/v1/cases/9999", headers=bearer(queued.ana)).json() == {"detail": "case 9999 does not exist"}
    with queued.db.sessions() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.case_id == queued.case_id)).all()[-1] == "view"


def test_card_labels_follow_the_caseworkers_language(queued):
    with queued.db.transaction() as s:
        from handoff.auth import find_by_email

        find_by_email(s, "ana@example.org").ui_language = "pt"
        find_by_email(s, "rui@example.org").ui_language = "en"
        for email in ("ana@example.org", "rui@example.org"):  # both may read it
            find_by_email(s, email).role = "supervisor"
    pt = queued.client.get(f"/api/v1/cases/{queued.case_id}", headers=bearer(queued.ana)).json()
    en = queued.client.get(f"/api/v1/cases/{queued.case_id}", headers=bearer(queued.rui)).json()
    assert {"label": "Documento de viagem", "field": "travel_document", "value": "passaporte válido"} in pt["record_labelled"]
    assert en["outcome_labelled"]["eligibility"] == "likely eligible"


def test_claim_is_exclusive_and_others_cannot_act_on_it(queued):
    client, cid = queued.client, queued.case_id
    assert client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana)).json()["status"] == "claimed"
    taken = client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.rui))
    assert taken.status_code == 409 and "claimed" in taken.json()["detail"]
    for path, body in [("messages", {"text": "hi"}), ("notes", {"text": "n"}), ("close", {"outcome": "duplicate"}),
                       ("release", None)]:
        response = client.post(f"/api/v1/cases/{cid}/{path}", headers=bearer(queued.rui), json=body)
        assert response.status_code == 403, path
        assert "another caseworker" in response.json()["detail"]


def test_acting_before_claiming_is_409(queued):
    response = queued.client.post(f"/api/v1/cases/{queued.case_id}/messages", headers=bearer(queued.ana),
                                  json={"text": "hi"})
    assert response.status_code == 409 and "claim" in response.json()["detail"]


def test_release_returns_the_case_to_the_queue(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    released = client.post(f"/api/v1/cases/{cid}/release", headers=bearer(queued.ana))
    assert released.status_code == 200 and released.json()["status"] == "queued"
    assert client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.rui)).status_code == 200


def test_claim_next_and_empty_queue(queued):
    client = queued.client
    assert client.post("/api/v1/cases/next/claim", headers=bearer(queued.ana)).json()["id"] == queued.case_id
    empty = client.post("/api/v1/cases/next/claim", headers=bearer(queued.rui))
    assert empty.status_code == 404 and empty.json()["detail"] == "the queue is empty"


def test_reassign_is_for_supervisors(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    refused = client.post(f"/api/v1/cases/{cid}/reassign", headers=bearer(queued.ana), json={"email": "rui@example.org"})
    assert refused.status_code == 403
    moved = client.post(f"/api/v1/cases/{cid}/reassign", headers=bearer(queued.sup), json={"email": "rui@example.org"})
    assert moved.status_code == 200 and moved.json()["assignee"]["name"] == "rui"
    assert client.post(f"/api/v1/cases/{cid}/reassign", headers=bearer(queued.sup), json={}).status_code == 422
    assert client.post(f"/api/v1/cases/{cid}/notes", headers=bearer(queued.rui), json={"text": "mine now"}).status_code == 201


def test_messages_text_template_validation_and_segments(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    long = client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"text": "a" * 200})
    assert long.status_code == 201 and (long.json()["segments"], long.json()["encoding"]) == (2, "GSM-7")
    tpl = client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"template": "emergency"})
    assert tpl.status_code == 201 and "112" in tpl.json()["text"]
    assert client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"template": "nope"}).status_code == 422
    assert client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"text": "  "}).status_code == 422
    assert client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"text": "x" * 1601}).status_code == 422
    assert client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), content=b"nope").status_code == 400
    later = client.get(f"/api/v1/cases/{cid}/messages?after=0", headers=bearer(queued.ana)).json()["items"]
    assert [m["author"] for m in later][-2:] == ["caseworker", "caseworker"]
    deliver(queued.app)
    assert "112" in queued.channels["sms"].texts(PHONE)[-1]


def test_templates_are_rendered_in_the_requested_language(queued):
    items = queued.client.get("/api/v1/templates?language=pt_BR", headers=bearer(queued.ana)).json()["items"]
    assert {"greeting", "emergency", "closing"} <= {i["code"] for i in items}
    assert all(i["segments"] >= 1 for i in items)


def test_reply_refused_when_the_person_opted_out(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    with queued.db.transaction() as s:
        s.scalars(select(Contact)).one().status = "stopped"
    refused = client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(queued.ana), json={"text": "hi"})
    assert refused.status_code == 409 and "opted out" in refused.json()["detail"]


def test_reply_refused_when_the_whatsapp_window_is_closed(hub):
    handed_over(hub.app, "+351910000009", "whatsapp")
    token = caseworker(hub.db, "wa@example.org")[1]
    cid = hub.client.post("/api/v1/cases/next/claim", headers=bearer(token)).json()["id"]
    ok = hub.client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(token), json={"text": "hi"})
    assert ok.status_code == 201
    with hub.db.transaction() as s:
        s.scalars(select(Contact)).one().last_inbound_at = utcnow() - timedelta(hours=25)
    refused = hub.client.post(f"/api/v1/cases/{cid}/messages", headers=bearer(token), json={"text": "hi"})
    assert refused.status_code == 409 and "24-hour window" in refused.json()["detail"]


def test_notes_and_close_with_an_outcome_code(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    note = client.post(f"/api/v1/cases/{cid}/notes", headers=bearer(queued.ana), json={"text": "called, no answer"})
    assert note.status_code == 201
    assert client.post(f"/api/v1/cases/{cid}/notes", headers=bearer(queued.ana), json={}).status_code == 422
    bad = client.post(f"/api/v1/cases/{cid}/close", headers=bearer(queued.ana), json={"outcome": "whatever"})
    assert bad.status_code == 422 and "referred_arvore" in bad.json()["detail"]
    done = client.post(f"/api/v1/cases/{cid}/close", headers=bearer(queued.ana), json={"outcome": "information_given"})
    assert done.json()["outcome"] == "information_given"
    again = client.post(f"/api/v1/cases/{cid}/close", headers=bearer(queued.ana), json={"outcome": "duplicate"})
    assert again.status_code == 409
    card = client.get(f"/api/v1/cases/{cid}", headers=bearer(queued.ana)).json()
    assert card["notes"][0]["text"] == "called, no answer"


def test_conversations_for_supervisors_only(queued):
    client = queued.client
    say(queued.app, "hello", "+351910000077")  # still with the bot
    assert client.get("/api/v1/conversations", headers=bearer(queued.ana)).status_code == 403
    stuck = client.get("/api/v1/conversations", headers=bearer(queued.sup)).json()["items"]
    assert [(c["channel"], c["status"], c["case_id"]) for c in stuck] == [("sms", "bot", None)]
    found = client.get("/api/v1/conversations", params={"channel": "sms", "address": PHONE},
                       headers=bearer(queued.sup)).json()
    unencoded = client.get(f"/api/v1/conversations?channel=sms&address={PHONE}", headers=bearer(queued.sup)).json()
    assert unencoded == found
    item = found["items"][0]
    assert (item["id"], item["case_id"], item["outcome"]["programme"]) == (queued.conv_id, queued.case_id, "arvore")
    assert {"expecting", "record", "language", "status"} <= set(item)
    assert client.get("/api/v1/conversations?channel=sms&address=%2B3510", headers=bearer(queued.sup)).json() == {"items": []}
    assert client.get(f"/api/v1/conversations?address={PHONE}", headers=bearer(queued.sup)).status_code == 422


def test_openapi_lists_every_path_and_the_outcome_enum(hub):
    doc = hub.client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/claim",
                 "/api/v1/cases/{case_id}/release", "/api/v1/cases/{case_id}/messages",
                 "/api/v1/cases/{case_id}/notes", "/api/v1/cases/{case_id}/close", "/api/v1/conversations"):
        assert path in doc["paths"]
    close = doc["paths"]["/api/v1/cases/{case_id}/close"]["post"]["requestBody"]["content"]["application/json"]
    assert close["schema"]["properties"]["outcome"]["enum"] == list(OUTCOMES)


def test_export_and_audit_log_are_for_supervisors_and_audited(queued):
    client, cid = queued.client, queued.case_id
    assert client.get(f"/api/v1/cases/{cid}/export", headers=bearer(queued.ana)).status_code == 403
    exported = client.get(f"/api/v1/cases/{cid}/export", headers=bearer(queued.sup))
    assert exported.status_code == 200 and exported.json()["transcript"]
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    client.get(f"/api/v1/cases/{cid}", headers=bearer(queued.ana))
    assert client.get("/api/v1/audit", headers=bearer(queued.ana)).status_code == 403
    log = client.get(f"/api/v1/audit?case_id={cid}", headers=bearer(queued.sup)).json()["items"]
    assert [(e["action"], e["caseworker"]) for e in log[:3]] == [("view", "ana"), ("claim", "ana"),
                                                                  ("export", "sup")]
    assert log[-1]["action"] == "open"


def test_a_supervisor_erases_a_persons_data_on_their_behalf(queued):
    client, cid = queued.client, queued.case_id
    client.post(f"/api/v1/cases/{cid}/claim", headers=bearer(queued.ana))
    client.post(f"/api/v1/cases/{cid}/notes", headers=bearer(queued.ana), json={"text": "lives at Rua X 3"})
    assert client.post(f"/api/v1/cases/{cid}/erase", headers=bearer(queued.ana)).status_code == 403
    done = client.post(f"/api/v1/cases/{cid}/erase", headers=bearer(queued.sup))
    assert done.status_code == 200 and done.json()["erased"] is True
    card = client.get(f"/api/v1/cases/{cid}", headers=bearer(queued.sup)).json()
    assert card["status"] == "closed" and card["record"] == {}
    assert all(n["text"] == "" for n in card["notes"])
    assert all(m.get("text", m.get("body", "")) in ("", None) or m.get("direction") == "out" for m in card["transcript"])
    with queued.db.sessions() as s:
        contact = s.scalars(select(Contact)).one()
        assert contact.status == "erased" and contact.address == ""
    deliver(queued.app)  # the confirmation still reaches the person's old number
    sent = queued.channels["sms"].sent
    assert sent[-1].address == PHONE
    log = client.get(f"/api/v1/audit?case_id={cid}", headers=bearer(queued.sup)).json()["items"]
    assert "erase" in [e["action"] for e in log]


@pytest.mark.parametrize(
    ("record", "contact"),
    [({"contact_preference": "phone_call", "contact_phone": "this_number"},
      {"preference": "phone_call", "phone": PHONE, "action": f"tel:{PHONE}"}),
     ({"contact_preference": "sms", "contact_phone": "+351912000333"},
      {"preference": "sms", "phone": "+351912000333", "action": "sms:+351912000333"}),
     ({"contact_preference": "in_person"}, {"preference": "in_person", "phone": None, "action": None}),
     ({}, {"preference": "this_chat", "phone": None, "action": None})],
)
def test_the_card_says_how_the_person_asked_to_be_contacted(queued, record, contact):
    from core.models import Conversation

    with queued.db.transaction() as s:
        conv = s.get(Conversation, queued.conv_id)
        conv.record = {**(conv.record or {}), **record}
    path = f"/api/v1/cases/{queued.case_id}"
    masked = queued.client.get(path, headers=bearer(queued.sup)).json()["contact"]
    assert masked["action"] is None and (masked["phone"] or "•").startswith("•")
    revealed = queued.client.post(f"{path}/reveal", headers=bearer(queued.sup), json={"reason": "contact_person"})
    assert revealed.status_code == 200 and revealed.json()["contact"]["phone"] == contact["phone"]
    card = queued.client.get(path, headers=bearer(queued.sup)).json()
    shown = {k: card["contact"][k] for k in ("preference", "phone", "action")}
    assert shown == contact and card["contact"]["label"]
