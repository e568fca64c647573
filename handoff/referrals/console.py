"""Referrals in the web console: the form with its preview, asking for or recording consent,
and the referral's later steps (handed over on paper, the partner's answer, the sheet)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handoff import queue, views
from handoff.console import _case_id, _flash, _render, page
from handoff.errors import Invalid, given_id
from handoff.models import Caseworker, ConsoleSession
from handoff.referrals import consent, service
from handoff.referrals.fields import FIELDS, field_name, purpose_name
from handoff.referrals.views import Draft, preview
from handoff.referrals.words import w
from handoff.reveal import revealed

if TYPE_CHECKING:
    from handoff.referrals.desk import ReferralDesk

__all__ = ["routes"]


def _desk(request: Request) -> ReferralDesk:
    return request.app.state.app.handoff.referrals


def _back(cid: int) -> RedirectResponse:
    return RedirectResponse(f"/console/cases/{cid}#referrals", status_code=303)


def _to_form(cid: int, form_data: dict[str, str]) -> RedirectResponse:
    """Back to the form as it was: the preview now says whether the person agreed."""
    keep = {k: v for k, v in form_data.items()
            if k in ("partner", "purpose", "notify", "paper") or k.startswith("field_")}
    return RedirectResponse(f"/console/cases/{cid}/refer?{urlencode(keep)}#preview", status_code=303)


@page()
def form(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, _: dict[str, str]) -> Response:
    """Choose partner, purpose and fields; the preview shows what the partner would receive."""
    found, desk = queue.get_case(s, _case_id(request)), _desk(request)
    views.must_read(s, cw, found)
    draft = Draft(desk.directory, request.query_params)
    now = desk.clock()
    shown = revealed(s, cw, found, now) is not None
    lang = cw.ui_language
    return _render(request, "referral.html", cw, csrf=sess.csrf, case_id=found.id, error=_flash(request),
                   partners=list(desk.directory), draft=draft, preview=preview(s, found, draft, shown, lang),
                   fields=[(code, field_name(code, lang)) for code in FIELDS],
                   purpose_name=lambda code: purpose_name(code, lang), w=lambda key: w(key, lang),
                   can_act=found.status == "claimed" and (found.assignee_id == cw.id or cw.role != "caseworker"))


def _fields(form_data: dict[str, str]) -> list[str]:
    return [code for code in FIELDS if form_data.get(f"field_{code}") == "1"]


@page(post=True)
def refer(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form_data: dict[str, str]) -> Response:
    cid, desk = _case_id(request), _desk(request)
    service.create(s, desk.directory, cid, cw, form_data.get("partner"), _fields(form_data),
                   form_data.get("purpose") or None, form_data.get("notify") == "1", desk.clock(),
                   paper=form_data.get("paper") == "1", can_mail=desk.courier.can_mail)
    return _back(cid)


@page(post=True)
def ask(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form_data: dict[str, str]) -> Response:
    cid, desk = _case_id(request), _desk(request)
    partner = service.partner_of(desk.directory, form_data.get("partner"))
    found, contact, conv = queue.lock_for_person(s, cid)
    queue.must_hold(found, cw, "ask for consent")
    if form_data.get("method") == "phone":
        consent.record_by_phone(s, found, contact, partner, form_data.get("purpose"), _fields(form_data),
                                form_data.get("note"), cw, desk.clock())
    else:
        consent.ask(s, desk.pipeline, found, contact, conv, partner, form_data.get("purpose"),
                    _fields(form_data), cw, desk.clock())
    return _to_form(cid, form_data)


def _own_referral(s: Session, cw: Caseworker, cid: int, form_data: dict[str, str]) -> int:
    rid = given_id(form_data.get("referral", ""), "referral")
    row = service.get(s, rid)
    if row.case_id != cid:
        raise Invalid(f"referral {rid} is not of case {cid}")
    views.must_read(s, cw, queue.get_case(s, cid))
    return rid


@page(post=True)
def handed_over(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                form_data: dict[str, str]) -> Response:
    cid, desk = _case_id(request), _desk(request)
    rid = _own_referral(s, cw, cid, form_data)
    service.mark_sent(s, desk.pipeline, desk.directory, rid, cw, desk.clock())
    return _back(cid)


@page(post=True)
def answered(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
             form_data: dict[str, str]) -> Response:
    cid, desk = _case_id(request), _desk(request)
    rid = _own_referral(s, cw, cid, form_data)
    service.answer(s, service.get(s, rid, lock=True), form_data.get("status"), form_data.get("note") or None,
                   cw, desk.clock())
    return _back(cid)


@page(post=True)
def told_by_hand(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                 form_data: dict[str, str]) -> Response:
    cid = _case_id(request)
    rid = _own_referral(s, cw, cid, form_data)
    service.notice_given(s, service.get(s, rid, lock=True), cw)
    return _back(cid)


@page()
def sheet_pdf(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, _: dict[str, str]) -> Response:
    cid, desk = _case_id(request), _desk(request)
    rid = _own_referral(s, cw, cid, dict(request.query_params))
    row = service.get(s, rid)
    pdf = service.printed(s, row, desk.directory, desk.courier.operator, cw)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{row.reference}.pdf"', "Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    base = "/console/cases/{case_id}"
    return [
        Route(f"{base}/refer", form, methods=["GET"]),
        Route(f"{base}/refer", refer, methods=["POST"]),
        Route(f"{base}/referral-consent", ask, methods=["POST"]),
        Route(f"{base}/referral-sent", handed_over, methods=["POST"]),
        Route(f"{base}/referral-answer", answered, methods=["POST"]),
        Route(f"{base}/referral-notice-given", told_by_hand, methods=["POST"]),
        Route(f"{base}/referral-sheet", sheet_pdf, methods=["GET"]),
    ]
