"""The console as a caseworker's inbox over HTTP: templates into the reply box, unread
markers, closing with care, the Closed view, search and filters, the supervisor's overview,
and the card in the caseworker's language."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.models import Conversation
from handoff.models import AuditEntry, Case
from handoff.pseudonym import pseudonym
from tests.handoff.helpers import bearer, caseworker, console_sign_in, handed_over, say

PHONE = "+351910000061"
OTHER = "+351910000062"


def _desk(hub, role: str = "caseworker"):
    handed_over(hub.app, PHONE, "sms", language="pt_BR")
    handed_over(hub.app, OTHER, "whatsapp", language="uk", text="person high")
    hub.token = caseworker(hub.db, "ana@example.org", role=role)[1]
    hub.csrf = console_sign_in(hub.client, "ana@example.org")
    return hub


def test_a_template_is_text_to_edit_and_only_the_box_is_sent(hub):
    desk = _desk(hub)
    client = desk.client
    client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    page = client.get("/console/cases/1").text
    code = re.search(r'<select id="template"[^>]*>\s*<option value="">[^<]*</option>\s*<option value="([^"]+)"',
                     page).group(1)
    shown = client.get(f"/console/cases/1/template?code={code}").json()
    assert shown["text"] and shown["segments"] >= 1
    edited = shown["text"] + " Ana"
    client.post("/console/cases/1/reply", data={"csrf_token": desk.csrf, "text": edited, "template_used": code})
    texts = [m["text"] for m in client.get("/api/v1/cases/1/messages", headers=bearer(desk.token)).json()["items"]]
    assert texts[-1] == edited
    with desk.db.sessions() as s:
        reply = s.scalars(select(AuditEntry).where(AuditEntry.action == "reply")).one()
        assert reply.detail["template"] == code
    both = client.post("/api/v1/cases/1/messages", headers=bearer(desk.token), json={"text": "hi", "template": code})
    assert both.status_code == 422 and "not both" in both.json()["detail"]


def test_a_new_message_marks_the_case_unread_until_its_holder_reads_it(hub):
    desk = _desk(hub)
    client = desk.client
    assert "unread" not in re.search(r'<li class="case[^"]*" data-case="1"', client.get("/console/").text).group()
    say(desk.app, "ainda estou à espera", PHONE)
    row = re.search(r'<li class="case[^"]*" data-case="1"', client.get("/console/queue/fragment").text).group()
    assert "unread" in row
    [listed] = client.get("/api/v1/cases?status=queued&channel=sms", headers=bearer(desk.token)).json()["items"]
    assert listed["unread_at"] is not None
    client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    client.get("/console/cases/1")
    [mine] = client.get("/api/v1/cases?status=claimed", headers=bearer(desk.token)).json()["items"]
    assert mine["unread_at"] is None


def test_closing_asks_for_an_outcome_and_warns_of_an_unanswered_message(hub):
    desk = _desk(hub)
    client = desk.client
    client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    say(desk.app, "mais uma pergunta", PHONE)
    page = client.get("/console/cases/1").text
    assert '<option value="">— escolha o resultado —</option>' in page and " selected" not in page.split('id="outcome"')[1][:400]
    assert "encaminhado para o ARVoRe (retorno assistido)" in page and '<div id="unanswered-block">' in page

    refused = client.post("/console/cases/1/close", data={"csrf_token": desk.csrf, "outcome": ""})
    assert "Escolha o resultado." in refused.text
    refused = client.post("/console/cases/1/close", data={"csrf_token": desk.csrf, "outcome": "information_given"})
    assert "ainda não tem resposta" in refused.text
    with desk.db.sessions() as s:
        assert s.get(Case, 1).status == "claimed"
    client.post("/console/cases/1/close", data={"csrf_token": desk.csrf, "outcome": "information_given", "anyway": "1"})
    with desk.db.sessions() as s:
        assert (s.get(Case, 1).status, s.get(Case, 1).outcome) == ("closed", "information_given")


def test_closed_cases_stay_findable_by_view_number_and_pseudonym(hub):
    desk = _desk(hub)
    client = desk.client
    client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    client.post("/console/cases/1/close", data={"csrf_token": desk.csrf, "outcome": "duplicate", "anyway": "1"})
    closed = client.get("/console/?status=closed").text
    assert 'data-case="1"' in closed and "duplicado de outro caso" in closed and 'data-case="2"' not in closed
    with desk.db.sessions() as s:
        name = pseudonym(s.get(Case, 1).contact_id)
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "list_closed")).all()
    assert name in closed
    assert 'data-case="1"' in client.get(f"/console/?status=closed&q={name.lower()}").text
    assert 'data-case="1"' in client.get("/console/?status=closed&q=%231").text
    assert 'data-case="1"' not in client.get("/console/?status=closed&q=Nobody").text
    found = client.get(f"/api/v1/cases?status=closed&q={name}", headers=bearer(desk.token)).json()["items"]
    assert [c["id"] for c in found] == [1]


def test_filters_narrow_the_queue_and_the_order_puts_priority_before_language(hub):
    desk = _desk(hub)
    client = desk.client
    queue = client.get("/console/").text
    assert queue.index('data-case="2"') < queue.index('data-case="1"')  # high (uk) above normal (pt)
    assert 'data-case="1"' not in client.get("/console/?channel=whatsapp").text
    assert 'data-case="2"' not in client.get("/console/?language=pt").text
    assert 'data-case="1"' not in client.get("/console/?priority=high").text
    assert 'data-case="2"' in client.get("/console/queue/fragment?priority=high").text
    weird = client.get("/console/?status=%00&language=%C2%B2&holder=99999999999&q=" + "x" * 500)
    assert weird.status_code == 200


def test_the_supervisor_sees_the_day_at_a_glance_and_a_caseworker_does_not(hub):
    desk = _desk(hub, role="supervisor")
    client = desk.client
    client.post("/console/cases/2/claim", data={"csrf_token": desk.csrf})
    page = client.get("/console/").text
    assert 'id="count-queued">1<' in page and 'id="count-claimed">1<' in page
    assert 'id="holders"' in page and "?status=claimed&amp;holder=" in page
    caseworker(desk.db, "rui@example.org")
    client.cookies.clear()
    console_sign_in(client, "rui@example.org")
    assert 'id="count-queued"' not in client.get("/console/").text


def test_the_card_speaks_the_caseworkers_language(hub):
    desk = _desk(hub, role="supervisor")
    with desk.db.transaction() as s:
        conv = s.get(Conversation, 1)
        conv.record = {**(conv.record or {}), "nationality": "SY", "district": "PT-15",
                       "destination_country": "MA", "contact_preference": "this_chat"}
    page = desk.client.get("/console/cases/1").text
    for shown in ("Síria", "Setúbal", "Marrocos", "nesta conversa", "Português (Brasil)", "supervisor"):
        assert shown in page, shown
    for code in (">SY<", ">PT-15<", ">MA<", ">this_chat<", ">pt_BR<"):
        assert code not in page, code


def test_the_transcript_poll_reports_delivery_and_status_in_words(hub):
    desk = _desk(hub)
    client = desk.client
    client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    client.post("/console/cases/1/reply", data={"csrf_token": desk.csrf, "text": "Olá"})
    polled = client.get("/console/cases/1/transcript?after=0")
    sent = polled.headers["X-Delivery"].split(",")[0]
    assert sent.endswith(":queued") and "à espera de envio" in polled.text
    assert polled.headers["X-Case-Status-Label"] == "assumido"


def test_machine_translation_only_through_the_configured_server_and_labelled(db, tmp_path):
    from starlette.testclient import TestClient

    from bot.web import create_app
    from core.secret import Secret
    from tests.handoff.fake_translate import FakeLibreTranslate
    from tests.handoff.helpers import make_app

    arabic = "صاحب العمل أخذ جواز سفري"
    with FakeLibreTranslate(api_key="k1") as server:
        app, _channels, _clock = make_app(db, tmp_path, translate_url=server.url, translate_api_key=Secret("k1"))
        handed_over(app, PHONE, "sms", language="ar")
        say(app, arabic, PHONE)
        caseworker(db, "ana@example.org")
        with TestClient(create_app(app)) as client:
            csrf = console_sign_in(client, "ana@example.org")
            client.post("/console/cases/1/claim", data={"csrf_token": csrf})
            page = client.get("/console/cases/1").text
            message = re.findall(r'class="link translate" data-message="(\d+)"', page)[-1]
            shown = client.get(f"/console/cases/1/messages/{message}/translation").json()
            assert shown == {"text": "O empregador tirou-me o passaporte", "source": "ar",
                             "label": "Tradução automática"}
            assert server.requests[-1]["q"] == arabic and server.requests[-1]["target"] == "pt"
            server.fail = True
            failed = client.get(f"/console/cases/1/messages/{message}/translation")
            assert failed.status_code == 503 and arabic not in failed.text
            ours = re.search(r'class="msg bot out" data-id="(\d+)"', page).group(1)
            bot_reply = client.get(f"/console/cases/1/messages/{ours}/translation", follow_redirects=False)
            assert bot_reply.status_code == 303  # only what the person wrote, in this case
        with db.sessions() as s:
            assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "translate")).all()


def test_without_a_translation_server_nothing_is_offered_or_sent(hub):
    desk = _desk(hub)
    desk.client.post("/console/cases/1/claim", data={"csrf_token": desk.csrf})
    page = desk.client.get("/console/cases/1").text
    assert "translate" not in page.split('id="transcript"')[1].split("</ol>")[0]
    refused = desk.client.get("/console/cases/1/messages/1/translation", follow_redirects=False)
    assert refused.status_code == 303


def test_every_code_a_card_can_show_has_words_in_both_console_languages():
    from pathlib import Path

    from handoff.i18n import code_label
    from handoff.queue import OUTCOMES

    rules = Path(__file__).resolve().parents[2] / "dialogs" / "rules.py"
    source = rules.read_text(encoding="utf-8")
    reasons = set(re.findall(r'reasons\.append\("([a-z_]+)"\)', source))
    programmes = set(re.findall(r'programme, eligibility = "([a-z_]+)", "([a-z_]+)"', source))
    codes = reasons | {p for p, _ in programmes} | {e for _, e in programmes} | set(OUTCOMES) | {"follow_up"}
    assert len(codes) > 30
    for code in codes:
        assert code_label(code, "pt") != code.replace("_", " "), code
        assert code_label(code, "en") != code_label(code, "pt") or code in ("normal",), code
