"""End to end, through the real dialogs, the API, the courier and a real SMTP server: a person
who may be a trafficking victim agrees to share named details with a partner by answering in
Portuguese; a caseworker refers them; the mail carries only the chosen fields; the person is
told; without consent, or after withdrawal, a referral is refused."""

from __future__ import annotations

from sqlalchemy import select

from channels.base import Inbound
from core.models import Conversation
from handoff.models import AuditEntry, Case
from handoff.referrals.models import Referral
from tests.handoff.helpers import bearer, caseworker
from tests.handoff.referrals.conftest import courier_pass, deliver_messages

PHONE = "+351910000077"


def person(app, text: str, address: str = PHONE):
    return app.pipeline.handle(Inbound(channel="sms", address=address, text=text))


def trafficked_and_queued(office, address: str = PHONE) -> tuple[int, str]:
    """A person whose employer kept their passport: handed over, claimed by Ana."""
    app = office.app
    for text in ["Olá, preciso de ajuda", "sim", "o patrão ficou com o meu passaporte e não me paga"]:
        turn = person(app, text, address)
    assert turn.status == "handoff"
    _cw, token = caseworker(office.db, f"ana{address[-2:]}@example.org")
    with office.db.sessions() as s:
        case_id = s.scalars(select(Case.id).where(Case.status == "queued")).one()
    assert office.client.post(f"/api/v1/cases/{case_id}/claim", headers=bearer(token)).status_code == 200
    return case_id, token


def refer(office, case_id: int, token: str, fields: list[str], partner: str = "apav-test"):
    return office.client.post(f"/api/v1/cases/{case_id}/referrals", headers=bearer(token),
                              json={"partner": partner, "fields": fields})


def test_consent_by_message_referral_by_mail_the_person_told_and_withdrawal(office):
    app, client, sms = office.app, office.client, office.sms
    case_id, token = trafficked_and_queued(office)
    with office.db.transaction() as s:  # what the screening knows, as a caseworker would see it
        conv = s.scalars(select(Conversation)).one()
        conv.record = {**conv.record, "nationality": "NP", "district": "PT-02", "contact_phone": "this_number"}

    # Without consent: refused, saying why.
    refused = refer(office, case_id, token, ["nationality"])
    assert refused.status_code == 409 and "has not agreed" in refused.json()["detail"]

    asked = client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "apav-test", "purpose": "victim_support", "fields": ["nationality", "district", "phone"]})
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "asked"
    deliver_messages(app)
    question = sms.sent[-1]
    assert "APAV" in question.text and [o.value for o in question.options] == ["yes", "no"]

    # Not yet answered: still refused.
    assert refer(office, case_id, token, ["nationality"]).status_code == 409
    turn = person(app, "sim, podem partilhar")
    assert turn.status == "handoff"
    deliver_messages(app)
    assert "APAV" in sms.texts(PHONE)[-1]  # thanked, told only those details go

    # More than they agreed to: refused.
    over = refer(office, case_id, token, ["nationality", "situation"])
    assert over.status_code == 409 and "only" in over.json()["detail"]

    made = refer(office, case_id, token, ["nationality", "district"])
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "prepared"
    assert courier_pass(app) == 1
    [(to, mail)] = office.mailbox.received()
    assert to == ["referrals@apav.test"]
    body = mail.get_body(("plain",)).get_content()
    assert "Nepal" in body and "Beja" in body
    assert PHONE not in body and "passaporte" not in body  # not chosen, never the transcript
    assert [p.get_filename() for p in mail.iter_attachments()] == [f"{made.json()['reference']}.pdf"]
    assert mail["Message-ID"].startswith(f"<{made.json()['reference']}.referral@")

    listed = client.get(f"/api/v1/cases/{case_id}/referrals", headers=bearer(token)).json()["items"]
    assert [(r["status"], r["delivery_status"]) for r in listed] == [("sent", "sent")]
    deliver_messages(app)
    assert "APAV" in sms.texts(PHONE)[-1]  # told: sent, and to whom

    assert courier_pass(app) == 0  # nothing twice
    assert len(office.mailbox.received()) == 1

    # The person withdraws by message: partners holding their details are asked to delete them.
    turn = person(app, "withdraw")
    assert "withdraw_consent" in turn.actions
    assert courier_pass(app) == 1
    notice = office.mailbox.received()[-1][1]
    assert "retirou o seu consentimento" in notice.get_body(("plain",)).get_content()
    again = refer(office, case_id, token, ["nationality"])
    assert again.status_code == 409 and "withdrew" in again.json()["detail"]
    sent = client.get("/api/v1/referrals?status=withdrawn", headers=bearer(token)).json()["items"]
    assert [r["id"] for r in sent] == [made.json()["id"]]
    with office.db.sessions() as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id)))
    assert {"referral_consent_asked", "referral_consent_given", "referral", "referral_sent",
            "referral_withdrawn", "referral_notice_sent"} <= actions


def test_smtp_down_the_referral_waits_and_goes_once_it_is_back(office):
    app = office.app
    case_id, token = trafficked_and_queued(office)
    client = office.client
    given = client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "apav-test", "purpose": "legal_advice", "fields": ["language"], "method": "phone",
        "note": "agreed on the phone at 10:40"})
    assert given.status_code == 201 and given.json()["status"] == "given"
    office.mailbox.stop()
    made = refer(office, case_id, token, ["language"])
    assert made.status_code == 201
    assert courier_pass(app) == 0
    with office.db.sessions() as s:
        row = s.get(Referral, made.json()["id"])
        assert (row.status, row.delivery_status, row.attempts) == ("prepared", "pending", 1)
        assert row.last_error and row.next_attempt_at > app.handoff.clock()
        retry_at = row.next_attempt_at
    assert courier_pass(app) == 0  # not yet due: no second try at once
    office.mailbox.start()
    assert courier_pass(app, retry_at) == 1
    assert courier_pass(app, retry_at) == 0
    assert len(office.mailbox.received()) == 1
    with office.db.sessions() as s:
        assert s.get(Referral, made.json()["id"]).status == "sent"


def test_a_refusal_is_recorded_and_blocks_the_referral(office):
    app, client = office.app, office.client
    case_id, token = trafficked_and_queued(office)
    client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "apav-test", "purpose": "victim_support", "fields": ["nationality"]})
    person(app, "não, obrigado")
    refused = refer(office, case_id, token, ["nationality"])
    assert refused.status_code == 409 and "refused" in refused.json()["detail"]
    consents = client.get(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token)).json()["items"]
    assert [c["status"] for c in consents] == ["refused"]


def test_erasure_blanks_what_was_shared_and_keeps_the_counts(office):
    app, client = office.app, office.client
    case_id, token = trafficked_and_queued(office)
    client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "paper-test", "fields": ["language", "district"], "method": "phone", "note": "by phone"})
    made = client.post(f"/api/v1/cases/{case_id}/referrals", headers=bearer(token),
                       json={"partner": "paper-test", "fields": ["language"]})
    assert made.status_code == 201 and made.json()["delivery"] == "paper"
    rid = made.json()["id"]
    pdf = client.get(f"/api/v1/referrals/{rid}/sheet.pdf", headers=bearer(token))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.post(f"/api/v1/referrals/{rid}/sent", headers=bearer(token)).json()["status"] == "sent"
    person(app, "apagar")  # erase, then confirm
    turn = person(app, "1")
    assert "erase" in turn.actions, turn
    with office.db.sessions() as s:
        row = s.get(Referral, rid)
        assert row.shared == {} and (row.partner, row.status) == ("paper-test", "sent")
        assert s.scalar(select(Referral.id).where(Referral.partner == "paper-test")) == rid


def test_withdrawal_in_the_persons_own_words_while_a_caseworker_has_the_case(office):
    app, client = office.app, office.client
    case_id, token = trafficked_and_queued(office)
    client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "apav-test", "purpose": "victim_support", "fields": ["language"], "method": "phone",
        "note": "by phone"})
    made = refer(office, case_id, token, ["language"])
    assert courier_pass(app) == 1
    deliver_messages(app)
    before = len(office.sms.texts(PHONE))
    turn = person(app, "mudei de ideias, não quero que partilhem mais os meus dados")
    assert turn.status == "handoff"
    deliver_messages(app)
    told = office.sms.texts(PHONE)[before:]
    assert len(told) == 2 and "APAV" in told[1]  # done, and who was asked to delete
    assert courier_pass(app) == 1  # the notice
    with office.db.sessions() as s:
        assert s.get(Referral, made.json()["id"]).status == "withdrawn"
    assert refer(office, case_id, token, ["language"]).status_code == 409


def test_the_screenings_own_consent_question_keeps_its_no(office):
    """Before any referral, "don't share my data" answers the question about keeping the
    answers: it is a no there, not a withdrawal."""
    app = office.app
    first = person(app, "Olá, preciso de ajuda", "+351910000078")
    assert (first.expecting or {}).get("field") == "consent"
    turn = person(app, "não, não quero que partilhem os meus dados", "+351910000078")
    assert "withdraw_consent" not in turn.actions
    with office.db.sessions() as s:
        conv = s.scalars(select(Conversation).where(Conversation.id == turn.conversation_id)).one()
        assert conv.record.get("consent", {}).get("given") is False


def test_a_paper_partner_is_told_by_hand_after_a_withdrawal(office):
    app, client = office.app, office.client
    case_id, token = trafficked_and_queued(office)
    client.post(f"/api/v1/cases/{case_id}/referral-consents", headers=bearer(token), json={
        "partner": "paper-test", "fields": ["language"], "method": "phone", "note": "by phone"})
    rid = client.post(f"/api/v1/cases/{case_id}/referrals", headers=bearer(token),
                      json={"partner": "paper-test", "fields": ["language"]}).json()["id"]
    assert client.post(f"/api/v1/referrals/{rid}/notice-given", headers=bearer(token)).status_code == 409
    client.post(f"/api/v1/referrals/{rid}/sent", headers=bearer(token))
    person(app, "retirar")
    assert courier_pass(app) == 0  # paper: nothing to post; the case says to tell them by hand
    due = client.get(f"/api/v1/referrals/{rid}", headers=bearer(token)).json()
    assert (due["status"], due["withdrawal_notice_due"]) == ("withdrawn", True)
    told = client.post(f"/api/v1/referrals/{rid}/notice-given", headers=bearer(token))
    assert told.status_code == 200 and told.json()["withdrawal_notice_due"] is False
