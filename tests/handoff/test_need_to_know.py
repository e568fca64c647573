"""Need to know: a caseworker reads the case they hold or held; of a colleague's they learn
only that it exists and who holds it; supervisors read every case. Reads are audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from handoff.models import AuditEntry
from tests.handoff.helpers import caseworker, handed_over

PHONE = "+351910000041"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _desk(hub):
    handed_over(hub.app, PHONE, "sms", language="pt")
    hub.ana = caseworker(hub.db, "ana@example.org")[1]
    hub.rui = caseworker(hub.db, "rui@example.org")[1]
    hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")[1]
    return hub


def test_a_colleagues_case_shows_only_that_it_exists_and_who_holds_it(hub):
    desk, client = _desk(hub), hub.client
    assert client.post("/api/v1/cases/1/claim", headers=bearer(desk.ana)).status_code == 200
    for path in ("/api/v1/cases/1", "/api/v1/cases/1/messages", "/api/v1/cases/1/messages?after=0"):
        refused = client.get(path, headers=bearer(desk.rui))
        assert refused.status_code == 403 and refused.json() == {"detail": "case 1 is with ana"}
        assert PHONE not in refused.text
    listed = client.get("/api/v1/cases?status=claimed", headers=bearer(desk.rui)).json()["items"]
    assert listed and "address" not in listed[0] and listed[0]["assignee"]["name"] == "ana"
    for reader in (desk.ana, desk.sup):
        why = {"reason": "contact_person"}
        assert client.post("/api/v1/cases/1/reveal", headers=bearer(reader), json=why).json()["address"] == PHONE
        assert client.get("/api/v1/cases/1", headers=bearer(reader)).json()["address"] == PHONE
    refused = client.post("/api/v1/cases/1/reveal", headers=bearer(desk.rui), json={"reason": "safety"})
    assert refused.status_code == 403 and PHONE not in refused.text


def test_whoever_held_a_case_still_reads_it_and_closed_cases_are_for_them(hub):
    desk, client = _desk(hub), hub.client
    client.post("/api/v1/cases/1/claim", headers=bearer(desk.ana))
    client.post("/api/v1/cases/1/close", headers=bearer(desk.ana), json={"outcome": "information_given"})
    assert client.get("/api/v1/cases/1", headers=bearer(desk.ana)).status_code == 200
    refused = client.get("/api/v1/cases/1", headers=bearer(desk.rui))
    assert refused.status_code == 403 and "only those who held it" in refused.json()["detail"]
    closed = "/api/v1/cases?status=closed"
    assert [c["id"] for c in client.get(closed, headers=bearer(desk.ana)).json()["items"]] == [1]
    assert client.get(closed, headers=bearer(desk.rui)).json()["items"] == []
    assert [c["id"] for c in client.get(closed, headers=bearer(desk.sup)).json()["items"]] == [1]
    with hub.db.sessions() as s:
        actions = s.scalars(select(AuditEntry.action)).all()
    assert actions.count("list_closed") == 3


def test_reading_a_transcript_is_audited(hub):
    desk, client = _desk(hub), hub.client
    client.post("/api/v1/cases/1/claim", headers=bearer(desk.ana))
    client.get("/api/v1/cases/1/messages", headers=bearer(desk.ana))
    with hub.db.sessions() as s:
        who = s.execute(select(AuditEntry.action, AuditEntry.case_id)
                        .where(AuditEntry.action == "read_transcript")).all()
    assert who == [("read_transcript", 1)]


def test_no_console_url_shows_a_colleague_their_transcript(hub):
    desk, client = _desk(hub), hub.client
    client.post("/api/v1/cases/1/claim", headers=bearer(desk.ana))
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/console/login", data={"email": "rui@example.org", "password": "correct horse battery",
                                        "csrf_token": token})
    for path in ("/console/cases/1", "/console/cases/1/transcript", "/console/cases/1/transcript?after=0"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/", path
        assert PHONE not in response.text and "hello" not in response.text
    shown = client.get("/console/")
    assert "O caso 1 está com ana." in shown.text and PHONE not in shown.text
