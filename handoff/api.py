"""The caseworker REST API under /api/v1 (DESIGN.md §3), authorised by bearer API tokens.

Lists are ``{"items": [...]}``; errors are 4xx with ``{"detail": "why"}``. Each request runs
in one transaction in a worker thread; the sender is woken after a reply has committed.
Endpoints find the running application on ``request.app.state.app``.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from channels.registry import NAMES, capabilities
from core.http import error, read_json
from handoff import queue, views
from handoff.auth import allows, token_for
from handoff.cards import case_detail, case_summary, names_of, transcript
from handoff.erasure import erase_person
from handoff.errors import Forbidden, HandoffError, Invalid, body_id, given_id, path_id
from handoff.models import Case, Caseworker
from handoff.openapi import document
from handoff.reply import preview, rendered_template, send_reply, templates
from handoff.reveal import reveal, revealed
from handoff.stats.published import figures, parse_range, reading, rule_of

if TYPE_CHECKING:
    from handoff.service import Handoff, HandoffApp

__all__ = ["routes"]

Result = tuple[int, Any]
Work = Callable[[Session, Caseworker, Request, dict[str, Any]], Result]
Endpoint = Callable[[Request], Awaitable[Response]]
SUPERVISORS = views.SUPERVISORS


def _app(request: Request) -> HandoffApp:
    return request.app.state.app


def _handoff(request: Request) -> Handoff:
    return _app(request).handoff


def _case_id(request: Request) -> int:
    """The case id in the path: 400 unless digits 0-9, 404 when too large for any case."""
    return path_id(str(request.path_params.get("case_id", "")))


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _run(app: HandoffApp, token: str, work: Work, request: Request, body: dict[str, Any],
         needs: str = "read") -> Result:
    """``work`` as the token's owner, in one transaction (called in a worker thread), when the
    token's scope allows what ``work`` needs."""
    with app.db.transaction() as s:
        found = token_for(s, token, app.handoff.clock())
        if found is None:
            return 401, {"detail": "the API token is unknown, revoked or expired"}
        cw, row = found
        if not allows(row.scope, needs):
            return 403, {"detail": f"this token's scope is {row.scope}; this needs {needs}"}
        try:
            with s.begin_nested():  # a refused action rolls back alone
                return work(s, cw, request, body)
        except HandoffError as exc:
            return exc.status, {"detail": exc.detail}


def endpoint(body: bool = False, wake: bool = False, needs: str = "read") -> Callable[[Work], Endpoint]:
    """Make ``work`` an endpoint: a bearer token, then a JSON body when ``body``; ``wake`` wakes
    the sender once a successful request has committed (it queued a message)."""

    def wrap(work: Work) -> Endpoint:
        @functools.wraps(work)
        async def handle(request: Request) -> Response:
            token = _bearer(request)
            if token is None:
                return error(401, "an API token is required: Authorization: Bearer <token>")
            payload: dict[str, Any] = {}
            if body:
                parsed = await read_json(request)
                if isinstance(parsed, JSONResponse):
                    return parsed
                payload = parsed
            app = _app(request)
            status, result = await run_in_threadpool(_run, app, token, work, request, payload, needs)
            if wake and status < 300:
                app.sender.wake()
            return JSONResponse(result, status_code=status)

        return handle

    return wrap


def _supervisor(cw: Caseworker, refusal: str) -> None:
    if cw.role not in SUPERVISORS:
        raise Forbidden(refusal)


def _summary(s: Session, request: Request, found: Case) -> dict[str, Any]:
    handoff = _handoff(request)
    return case_summary(found, handoff.policy, handoff.clock(), names_of(s))


# -- cases --------------------------------------------------------------------------------------


@endpoint()
def list_cases(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    status = request.query_params.get("status") or None
    if status not in (None, "queued", "claimed", "closed"):
        raise Invalid("status must be queued, claimed or closed")
    handoff = _handoff(request)
    filters = views.Filters.from_query(request.query_params)
    return 200, {"items": views.case_list(s, cw, status, handoff.policy, handoff.clock(), filters)}


@endpoint()
def get_case(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    found, handoff = queue.get_case(s, _case_id(request)), _handoff(request)
    views.must_read(s, cw, found)
    queue.audit(s, cw, "view", found.id)
    shown = revealed(s, cw, found, handoff.clock()) is not None
    return 200, case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language, revealed=shown)


@endpoint()
def get_messages(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    after = given_id(request.query_params.get("after", "0"), "after")
    found = queue.get_case(s, _case_id(request))
    views.must_read(s, cw, found)
    queue.audit(s, cw, "read_transcript", found.id)
    shown = revealed(s, cw, found, _handoff(request).clock()) is not None
    return 200, {"items": transcript(s, found.conversation_id, after, revealed=shown)}


@endpoint(body=True)
def reveal_address(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    """The address and the number to call, for a reason the audit keeps."""
    found, handoff = queue.get_case(s, _case_id(request)), _handoff(request)
    done = reveal(s, cw, found, body.get("reason"), body.get("note"), handoff.clock())
    card = case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language, revealed=True)
    return 200, {"case_id": found.id, "address": card["address"], "contact": card["contact"],
                 **done.as_json()}


@endpoint(needs="act")
def claim(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    return 200, _summary(s, request, queue.claim(s, _case_id(request), cw, _handoff(request).clock()))


@endpoint(needs="act")
def claim_next(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    found = queue.claim_next(s, cw, _handoff(request).clock())
    return (200, _summary(s, request, found)) if found else (404, {"detail": "the queue is empty"})


@endpoint(needs="act")
def release(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    return 200, _summary(s, request, queue.release(s, _case_id(request), cw, _handoff(request).clock()))


@endpoint(body=True, needs="supervise")
def reassign(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    _supervisor(cw, "only supervisors reassign cases")
    target, email = body.get("caseworker_id"), body.get("email")
    to = views.find_caseworker(s, body_id(target, "caseworker_id") if target is not None else None,
                               email if isinstance(email, str) else None)
    if to is None:
        raise Invalid("name the caseworker: caseworker_id or email")
    return 200, _summary(s, request, queue.reassign(s, _case_id(request), to, cw, _handoff(request).clock()))


@endpoint(body=True, wake=True, needs="act")
def reply(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    text, code = body.get("text"), body.get("template")
    if (text is not None and not isinstance(text, str)) or (code is not None and not isinstance(code, str)):
        raise Invalid("text and template must be strings")
    handoff = _handoff(request)
    sent = send_reply(s, handoff.pipeline, _case_id(request), cw, handoff.clock(), text=text, template_code=code)
    return 201, sent


@endpoint(body=True, needs="act")
def note(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    text = body.get("text")
    if not isinstance(text, str):
        raise Invalid("a note needs text")
    made = queue.add_note(s, _case_id(request), cw, text, _handoff(request).clock())
    return 201, {"id": made.id, "text": made.body, "at": made.created_at.isoformat()}


@endpoint(body=True, needs="act")
def close(s: Session, cw: Caseworker, request: Request, body: dict[str, Any]) -> Result:
    outcome = body.get("outcome")
    if not isinstance(outcome, str):
        raise Invalid(f"outcome must be one of: {', '.join(queue.OUTCOMES)}")
    return 200, _summary(s, request, queue.close(s, _case_id(request), cw, outcome, _handoff(request).clock()))


@endpoint(needs="supervise")
def export(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    _supervisor(cw, "only supervisors export cases")
    found, handoff = queue.get_case(s, _case_id(request)), _handoff(request)
    queue.audit(s, cw, "export", found.id)
    return 200, case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language, revealed=True)


@endpoint(wake=True, needs="supervise")
def erase(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    """A supervisor erases a person's data on their behalf (a request by phone, say)."""
    _supervisor(cw, "only supervisors erase a person's data")
    case_id = erase_person(s, _handoff(request).pipeline, _case_id(request), cw)
    return 200, {"erased": True, "case_id": case_id}


# -- the rest -----------------------------------------------------------------------------------


@endpoint(needs="supervise")
def conversations(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    _supervisor(cw, "only supervisors see conversations")
    channel, address = request.query_params.get("channel"), request.query_params.get("address")
    if channel and channel not in NAMES:  # nor a NUL, which PostgreSQL refuses
        raise Invalid(f"channel must be one of {', '.join(NAMES)}")
    if not address:
        return 200, {"items": views.bot_conversations(s, channel)}
    if not channel:
        raise Invalid("an address needs its channel")
    address = address.strip()
    if capabilities(channel).phone_address and address[:1].isascii() and address[:1].isdigit():
        address = "+" + address  # an unencoded "+" in a query string arrives as a space
    return 200, {"items": views.person_conversations(s, cw, channel, address)}


@endpoint(needs="supervise")
def audit_log(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    _supervisor(cw, "only supervisors read the audit log")
    query = request.query_params
    case_id, who, action = query.get("case_id", ""), query.get("caseworker_id", ""), query.get("action", "")
    if action and not (action.isascii() and action.replace("_", "").isalpha() and len(action) <= 32):
        raise Invalid("action is one word, such as reveal or read_transcript")
    items = views.audit_log(s, given_id(case_id, "case_id") if case_id else None,
                            given_id(who, "caseworker_id") if who else None, action or None)
    queue.audit(s, cw, "view_audit", None)
    return 200, {"items": items}


@endpoint()
def list_templates(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    language = request.query_params.get("language", "en")
    pipeline = _handoff(request).pipeline
    items = []
    for item in templates():
        text = rendered_template(pipeline, item["code"], language)
        items.append({"code": item["code"], "title": item["title"].get(cw.ui_language, item["title"]["en"]),
                      "text": text, **preview(text)})
    return 200, {"items": items}


@endpoint()
def _may_read_stats(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    _supervisor(cw, "only supervisors read the statistics")
    return 200, {}


def _stats(app: HandoffApp, request: Request) -> Result:
    query, handoff = request.query_params, app.handoff
    now, zone = handoff.clock(), handoff.policy.office.zone
    base = query.get("round", "")
    if base and not (base.isascii() and base.isdigit() and int(base) <= 1000):
        return 422, {"detail": "round must be a whole number from 0 to 1000"}
    try:
        first, last, by = parse_range(query, now.astimezone(zone).date())
        with reading(app.db) as s:
            return 200, figures(s, first, last, by, zone, rule_of(handoff.settings, int(base) if base else None), now)
    except ValueError as exc:
        return 422, {"detail": str(exc)}


async def stats(request: Request) -> Response:
    """Disclosure-controlled figures (supervisors): the same as the export and the Reports
    page. Counted after the token's transaction, outside any write lock (handoff.stats.published.reading)."""
    allowed = await _may_read_stats(request)
    if allowed.status_code != 200:
        return allowed
    status, result = await run_in_threadpool(_stats, _app(request), request)
    return JSONResponse(result, status_code=status)


@endpoint()
def me(s: Session, cw: Caseworker, request: Request, _: dict[str, Any]) -> Result:
    return 200, {"id": cw.id, "email": cw.email, "name": cw.name, "role": cw.role, "languages": cw.languages}


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document())


def routes() -> list[Route]:
    """The API's routes (each endpoint finds the app on ``request.app.state``)."""
    base = "/api/v1"
    return [
        Route(f"{base}/openapi.json", openapi),
        Route(f"{base}/me", me),
        Route(f"{base}/cases", list_cases),
        Route(f"{base}/cases/next/claim", claim_next, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}", get_case),
        Route(f"{base}/cases/{{case_id}}/claim", claim, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/release", release, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/reassign", reassign, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/reveal", reveal_address, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/messages", get_messages, methods=["GET"]),
        Route(f"{base}/cases/{{case_id}}/messages", reply, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/notes", note, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/close", close, methods=["POST"]),
        Route(f"{base}/cases/{{case_id}}/export", export),
        Route(f"{base}/cases/{{case_id}}/erase", erase, methods=["POST"]),
        Route(f"{base}/audit", audit_log),
        Route(f"{base}/conversations", conversations),
        Route(f"{base}/templates", list_templates),
        Route(f"{base}/stats", stats),
    ]
