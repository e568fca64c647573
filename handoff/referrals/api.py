"""Referrals in the REST API (DESIGN.md §3): partners, a case's referrals and consents, the
referrals by status, the referral sheet, and the partners' own answers on their webhook.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.http import error
from handoff import queue, views
from handoff.api import Result, _bearer, _run, endpoint
from handoff.errors import HandoffError, Invalid, NotFound, path_id
from handoff.models import Case, Caseworker
from handoff.referrals import consent, service
from handoff.referrals.models import Referral, ReferralConsent

if TYPE_CHECKING:
    from handoff.referrals.desk import ReferralDesk
    from handoff.service import HandoffApp

__all__ = ["routes"]

MAX_ANSWER_BYTES = 8_192


def _desk(request: Request) -> ReferralDesk:
    return request.app.state.app.handoff.referrals


def _now(request: Request) -> Any:
    return request.app.state.app.handoff.clock()


def _case(request: Request) -> int:
    return path_id(str(request.path_params.get("case_id", "")))


def _referral(s: Session, cw: Caseworker, request: Request) -> Referral:
    row = service.get(s, path_id(str(request.path_params.get("referral_id", "")), "referral"))
    if row.case_id is None:
        if cw.role not in views.SUPERVISORS:
            raise NotFound(f"referral {row.id} does not exist")
    else:
        views.must_read(s, cw, queue.get_case(s, row.case_id))
    return row


@endpoint()
def partners(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    return 200, {"items": [p.public() for p in _desk(request).directory]}


@endpoint(body=True, needs="act")
def create(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    desk, case_id = _desk(request), _case(request)
    notify = body.get("notify_person", True)
    if not isinstance(notify, bool):
        raise Invalid("notify_person must be true or false")
    delivery = body.get("delivery")
    if delivery not in (None, "paper"):
        raise Invalid("delivery may only be \"paper\" (the partner's own channel otherwise)")
    row = service.create(s, desk.directory, case_id, cw, body.get("partner"), body.get("fields"),
                         body.get("purpose"), notify, _now(request), paper=delivery == "paper",
                         can_mail=desk.courier.can_mail)
    return 201, service.item(row, desk.directory)


@endpoint()
def for_case(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    found = queue.get_case(s, _case(request))
    views.must_read(s, cw, found)
    directory = _desk(request).directory
    return 200, {"items": [service.item(r, directory) for r in service.for_case(s, found.id)]}


@endpoint()
def by_status(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    status = request.query_params.get("status") or None
    condition = views.readable(cw)
    readable = None if condition is None else select(Case.id).where(condition)
    directory = _desk(request).directory
    return 200, {"items": [service.item(r, directory) for r in service.by_status(s, status, readable)]}


@endpoint()
def one(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    row = _referral(s, cw, request)
    queue.audit(s, cw, "view_referral", row.case_id, referral=row.id)
    return 200, service.item(row, _desk(request).directory, with_values=True)


@endpoint(needs="act")
def mark_sent(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    row = _referral(s, cw, request)
    desk = _desk(request)
    done = service.mark_sent(s, desk.pipeline, desk.directory, row.id, cw, _now(request))
    return 200, service.item(done, desk.directory)


@endpoint(body=True, needs="act")
def answer(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    row = _referral(s, cw, request)
    done = service.answer(s, row, body.get("status"), body.get("note"), cw, _now(request))
    return 200, service.item(done, _desk(request).directory)


@endpoint(needs="act")
def notice_given(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    row = _referral(s, cw, request)
    return 200, service.item(service.notice_given(s, row, cw), _desk(request).directory)


@endpoint(body=True, wake=True, needs="act")
def ask_consent(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    desk = _desk(request)
    partner = service.partner_of(desk.directory, body.get("partner"))
    method = body.get("method", "message")
    if method not in ("message", "phone"):
        raise Invalid("method must be message (ask the person) or phone (they agreed by phone)")
    found, contact, conv = queue.lock_for_person(s, _case(request))
    queue.must_hold(found, cw, "ask for consent")
    purpose = body.get("purpose") or (partner.accepts[0] if len(partner.accepts) == 1 else None)
    if method == "phone":
        row = consent.record_by_phone(s, found, contact, partner, purpose, body.get("fields"),
                                      body.get("note"), cw, _now(request))
    else:
        row = consent.ask(s, desk.pipeline, found, contact, conv, partner, purpose, body.get("fields"),
                          cw, _now(request))
    return 201, consent.item(row)


@endpoint()
def consents(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    found = queue.get_case(s, _case(request))
    views.must_read(s, cw, found)
    rows = s.scalars(select(ReferralConsent).where(ReferralConsent.contact_id == found.contact_id)
                     .order_by(ReferralConsent.id)).all()
    return 200, {"items": [consent.item(r) for r in rows]}


async def sheet_pdf(request: Request) -> Response:
    """The referral sheet as PDF, for partners who take paper (audited as an export)."""
    token = _bearer(request)
    if token is None:
        return error(401, "an API token is required: Authorization: Bearer <token>")

    def work(s: Session, cw: Caseworker, req: Request, _: dict[str, Any]) -> Result:
        desk = _desk(req)
        return 200, service.printed(s, _referral(s, cw, req), desk.directory, desk.courier.operator, cw)

    status, result = await run_in_threadpool(_run, request.app.state.app, token, work, request, {}, "act")
    if status != 200:
        return JSONResponse(result, status_code=status)
    reference = path_id(str(request.path_params["referral_id"]), "referral")
    return Response(result, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="referral-{reference}.pdf"',
        "Cache-Control": "no-store"})


def _partner_answer(app: HandoffApp, partner_id: str, body: bytes, signature: str) -> tuple[int, dict[str, Any]]:
    desk = app.handoff.referrals
    partner = desk.directory.get(partner_id)
    secret = partner.secret() if partner else None
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest() if secret else None
    if partner is None or expected is None or not hmac.compare_digest(expected, signature):
        return 403, {"detail": "unknown partner or wrong signature"}
    try:
        data = json.loads(body)
    except ValueError:
        return 400, {"detail": "the body is not JSON"}
    if not isinstance(data, dict) or not isinstance(data.get("reference"), str):
        return 422, {"detail": "reference and status are required"}
    with app.db.transaction() as s:
        row = s.scalars(select(Referral).where(Referral.reference == data["reference"],
                                               Referral.partner == partner.id).with_for_update()).first()
        if row is None:
            return 404, {"detail": "no such referral for this partner"}
        if row.status == data.get("status"):
            return 200, {"reference": row.reference, "status": row.status}  # a retry: already so
        try:
            with s.begin_nested():
                service.answer(s, row, data.get("status"), data.get("note"), None, app.handoff.clock())
        except HandoffError as exc:
            return exc.status, {"detail": exc.detail}
        return 200, {"reference": row.reference, "status": row.status}


async def partner_webhook(request: Request) -> Response:
    """A partner says what became of a referral, signed with the secret they share with us."""
    body = await request.body()
    if len(body) > MAX_ANSWER_BYTES:
        return error(413, "the body is too large")
    status, result = await run_in_threadpool(
        _partner_answer, request.app.state.app, str(request.path_params["partner"]), body,
        request.headers.get("x-intake-signature", ""))
    return JSONResponse(result, status_code=status)


def routes() -> list[Route]:
    base = "/api/v1"
    return [
        Route(f"{base}/partners", partners),
        Route(f"{base}/referrals", by_status),
        Route(f"{base}/referrals/{{referral_id}}", one),
        Route(f"{base}/referrals/{{referral_id}}/sheet.pdf", sheet_pdf),
        Route(f"{base}/referrals/{{referral_id}}/sent", mark_sent, methods=["POST"]),
        Route(f"{base}/referrals/{{referral_id}}/answer", answer, methods=["POST"]),
        Route(f"{base}/referrals/{{referral_id}}/notice-given", notice_given, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/referrals", for_case, methods=["GET"]),
        Route(f"{base}/cases/{{case_id}}/referrals", create, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/referral-consents", consents, methods=["GET"]),
        Route(f"{base}/cases/{{case_id}}/referral-consents", ask_consent, methods=["POST"]),
        Route("/webhooks/referrals/{partner}", partner_webhook, methods=["POST"]),
    ]
