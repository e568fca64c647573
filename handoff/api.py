"""The caseworker REST API under /api/v1 (DESIGN.md §3), authorised by bearer API tokens.

Lists are ``{"items": [...]}``; errors are 4xx with ``{"detail": "why"}``. Each request runs
in one transaction in a worker thread; the sender is woken after a reply has committed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core import store
from core.http import error, read_json
from core.models import Conversation
from handoff import queue
from handoff.auth import token_owner
from handoff.cards import case_detail, case_summary, conversation_item, names_of, transcript
from handoff.errors import Forbidden, HandoffError, Invalid
from handoff.models import AuditEntry, Case, Caseworker
from handoff.openapi import document
from handoff.reply import preview, send_reply, templates

if TYPE_CHECKING:
    from handoff.service import HandoffApp

__all__ = ["routes"]

Work = Callable[[Session, Caseworker, Request, dict[str, Any]], tuple[int, Any]]
SUPERVISORS = ("supervisor", "admin")


def _case_id(request: Request) -> int:
    raw = request.path_params.get("case_id", "")
    if not str(raw).isdigit():
        raise Invalid("a case id is a number")
    return int(raw)


def routes(app: HandoffApp) -> list[Route]:
    db, handoff = app.db, app.handoff

    def endpoint(work: Work, body: bool = False, wake: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return error(401, "an API token is required: Authorization: Bearer <token>")
            payload: dict[str, Any] = {}
            if body:
                parsed = await read_json(request)
                if isinstance(parsed, JSONResponse):
                    return parsed
                payload = parsed

            def run() -> tuple[int, Any]:
                with db.transaction() as s:
                    cw = token_owner(s, token.strip(), handoff.clock())
                    if cw is None:
                        return 401, {"detail": "the API token is unknown or revoked"}
                    try:
                        with s.begin_nested():  # a refused action rolls back alone
                            return work(s, cw, request, payload)
                    except HandoffError as exc:
                        return exc.status, {"detail": exc.detail}

            status, result = await run_in_threadpool(run)
            if wake and status < 300:
                app.sender.wake()
            return JSONResponse(result, status_code=status)

        return handle

    def list_cases(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        status = request.query_params.get("status") or None
        if status not in (None, "queued", "claimed", "closed"):
            raise Invalid("status must be queued, claimed or closed")
        stmt = queue.ordered(cw, status) if status != "closed" else select(Case).where(
            Case.status == "closed").order_by(Case.closed_at.desc())
        if status is None:
            stmt = stmt.where(Case.status != "closed")
        now, names = handoff.clock(), names_of(s)
        rows = s.scalars(stmt.limit(500)).all()
        return 200, {"items": [case_summary(c, handoff.policy, now, names) for c in rows]}

    def get_case(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        found = queue.get_case(s, _case_id(request))
        queue.audit(s, cw, "view", found.id)
        return 200, case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language)

    def get_messages(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        found = queue.get_case(s, _case_id(request))
        after = request.query_params.get("after", "0")
        if not after.isdigit():
            raise Invalid("after must be a message id")
        return 200, {"items": transcript(s, found.conversation_id, int(after))}

    def summary(s: Session, found: Case) -> dict[str, Any]:
        return case_summary(found, handoff.policy, handoff.clock(), names_of(s))

    def claim(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        return 200, summary(s, queue.claim(s, _case_id(request), cw, handoff.clock()))

    def claim_next(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        found = queue.claim_next(s, cw, handoff.clock())
        return (200, summary(s, found)) if found else (404, {"detail": "the queue is empty"})

    def release(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        return 200, summary(s, queue.release(s, _case_id(request), cw, handoff.clock()))

    def reassign(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> tuple[int, Any]:
        if cw.role not in SUPERVISORS:
            raise Forbidden("only supervisors reassign cases")
        target = body.get("caseworker_id")
        to = s.get(Caseworker, target) if isinstance(target, int) else None
        if to is None and isinstance(body.get("email"), str):
            to = s.scalars(select(Caseworker).where(Caseworker.email == body["email"].lower())).first()
        if to is None:
            raise Invalid("name the caseworker: caseworker_id or email")
        return 200, summary(s, queue.reassign(s, _case_id(request), to, cw, handoff.clock()))

    def reply(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> tuple[int, Any]:
        text, code = body.get("text"), body.get("template")
        if (text is not None and not isinstance(text, str)) or (code is not None and not isinstance(code, str)):
            raise Invalid("text and template must be strings")
        sent = send_reply(s, handoff.pipeline, _case_id(request), cw, handoff.clock(), text=text, template_code=code)
        return 201, sent

    def note(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> tuple[int, Any]:
        text = body.get("text")
        if not isinstance(text, str):
            raise Invalid("a note needs text")
        made = queue.add_note(s, _case_id(request), cw, text, handoff.clock())
        return 201, {"id": made.id, "text": made.body, "at": made.created_at.isoformat()}

    def close(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> tuple[int, Any]:
        outcome = body.get("outcome")
        if not isinstance(outcome, str):
            raise Invalid(f"outcome must be one of: {', '.join(queue.OUTCOMES)}")
        return 200, summary(s, queue.close(s, _case_id(request), cw, outcome, handoff.clock()))

    def conversations(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        if cw.role not in SUPERVISORS:
            raise Forbidden("only supervisors see conversations")
        channel, address = request.query_params.get("channel"), request.query_params.get("address")
        stmt = select(Conversation).order_by(Conversation.updated_at.desc()).limit(200)
        if address:
            if not channel:
                raise Invalid("an address needs its channel")
            address = address.strip()
            if channel in ("sms", "whatsapp") and address[:1].isdigit():
                address = "+" + address  # an unencoded "+" in a query string arrives as a space
            contact = store.find_contact(s, channel, address)
            if contact is None:
                return 200, {"items": []}
            stmt = stmt.where(Conversation.contact_id == contact.id)
            queue.audit(s, cw, "view_conversations", None, channel=channel)
        else:
            stmt = stmt.where(Conversation.status == "bot")  # people still with the bot
            if channel:
                stmt = stmt.where(Conversation.channel == channel)
        return 200, {"items": [conversation_item(s, c) for c in s.scalars(stmt)]}

    def erase(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        """A supervisor erases a person's data on their behalf (a request by phone, say)."""
        if cw.role not in SUPERVISORS:
            raise Forbidden("only supervisors erase a person's data")
        found, contact, conv = queue.lock_for_person(s, _case_id(request))
        from core.privacy import erase_contact
        from dialogs.base import Reply, Text
        from dialogs.messages import ERASED

        language = conv.language or found.language
        confirmation = handoff.pipeline.renderer.reply(Reply((Text(ERASED),), kind="info"), language)
        written = handoff.pipeline.queue(s, contact, conv, [confirmation], language, force=True)
        queue.audit(s, cw, "erase", found.id)
        erase_contact(s, contact, keep_for={r.id for r in written},
                      hooks=handoff.pipeline.erase_hooks)
        return 200, {"erased": True, "case_id": found.id}

    def list_templates(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        language = request.query_params.get("language", "en")
        render = handoff.pipeline.renderer
        from dialogs.base import Reply, Text

        items = []
        for item in templates():
            text = render.reply(Reply((Text(item["text"]),), kind="info"), language).text
            items.append({"code": item["code"], "title": item["title"].get(cw.ui_language, item["title"]["en"]),
                          "text": text, **preview(text, "sms")})
        return 200, {"items": items}

    def export(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        if cw.role not in SUPERVISORS:
            raise Forbidden("only supervisors export cases")
        found = queue.get_case(s, _case_id(request))
        queue.audit(s, cw, "export", found.id)
        return 200, case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language)

    def audit_log(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        if cw.role not in SUPERVISORS:
            raise Forbidden("only supervisors read the audit log")
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)
        case_id = request.query_params.get("case_id", "")
        if case_id.isdigit():
            stmt = stmt.where(AuditEntry.case_id == int(case_id))
        names = names_of(s)
        return 200, {"items": [
            {"id": e.id, "at": e.at.isoformat(), "caseworker_id": e.caseworker_id,
             "caseworker": names.get(e.caseworker_id or 0), "action": e.action, "case_id": e.case_id,
             "detail": e.detail}
            for e in s.scalars(stmt)
        ]}

    def me(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> tuple[int, Any]:
        return 200, {"id": cw.id, "email": cw.email, "name": cw.name, "role": cw.role, "languages": cw.languages}

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(document())

    base = "/api/v1"
    return [
        Route(f"{base}/openapi.json", openapi),
        Route(f"{base}/me", endpoint(me)),
        Route(f"{base}/cases", endpoint(list_cases)),
        Route(f"{base}/cases/next/claim", endpoint(claim_next), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}", endpoint(get_case)),
        Route(f"{base}/cases/{{case_id}}/claim", endpoint(claim), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/release", endpoint(release), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/reassign", endpoint(reassign, body=True), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/messages", endpoint(get_messages), methods=["GET"]),
        Route(f"{base}/cases/{{case_id}}/messages", endpoint(reply, body=True, wake=True), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/notes", endpoint(note, body=True), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/close", endpoint(close, body=True), methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/export", endpoint(export)),
        Route(f"{base}/cases/{{case_id}}/erase", endpoint(erase, wake=True), methods=["POST"]),
        Route(f"{base}/audit", endpoint(audit_log)),
        Route(f"{base}/conversations", endpoint(conversations)),
        Route(f"{base}/templates", endpoint(list_templates)),
    ]
