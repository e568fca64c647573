"""The web console: server-rendered pages for the queue and the case card, in pt and en.

Signed-in browsers carry a random session cookie (HttpOnly, SameSite=Lax, Secure over https
or in production); every POST must carry the session's CSRF token, and the login form a
double-submit token. Jinja2 autoescapes everything, so what a person wrote is shown as text.
Live updates are short polls for server-rendered fragments (no external scripts, no CDN).
Endpoints find the running application on ``request.app.state.app``.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from channels.registry import NAMES, capabilities
from core.http import client_address
from handoff import auth, queue, views
from handoff.cards import case_detail, mask_numbers, transcript
from handoff.errors import Forbidden, HandoffError, Invalid, NotFound, given_id, path_id
from handoff.i18n import (
    AUDITED,
    LANGUAGES,
    action_label,
    channel_name,
    code_label,
    language_name,
    reason_label,
    refusal,
    t,
)
from handoff.models import Caseworker, ConsoleSession
from handoff.referrals.views import panel as referral_panel
from handoff.referrals.words import w as referral_word
from handoff.reply import preview, rendered_template, send_reply, templates
from handoff.reveal import REASONS, REVEAL_FOR, reveal, revealed
from handoff.stats.page import category_label, figures_of
from handoff.stats.published import figures, parse_range, reading, rule_of
from handoff.translate import TranslationError

if TYPE_CHECKING:
    from handoff.service import Handoff, HandoffApp

__all__ = ["routes"]

HERE = Path(__file__).resolve().parent
COOKIE, LOGIN_CSRF = "intake_session", "intake_login_csrf"
DELIVERY = ("queued", "sending", "sent", "delivered", "read", "failed", "undelivered", "cancelled")
FLASH = "intake_flash"  # why the last action was refused, for the next page only
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))

Page = Callable[[Session, Caseworker, ConsoleSession, Request, dict[str, str]], Response]
Endpoint = Callable[[Request], Awaitable[Response]]
# One action on a case: does it, and says where the browser goes next.
Action = Callable[[Session, Caseworker, int, dict[str, str], "Handoff"], str]


def _app(request: Request) -> HandoffApp:
    return request.app.state.app


def _handoff(request: Request) -> Handoff:
    return _app(request).handoff


def _form_value(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _secure(request: Request) -> bool:
    """Whether cookies are Secure: in production, or when served over https."""
    settings = _app(request).settings
    return bool(settings.production or (settings.public_url or "").startswith("https"))


def _local(zone: tzinfo, iso: str | None, fmt: str = "%d/%m %H:%M") -> str:
    """A stored UTC time shown in the office's time zone (what caseworkers live by)."""
    return datetime.fromisoformat(iso).astimezone(zone).strftime(fmt) if iso else ""


def _render(request: Request, name: str, cw: Caseworker | None, **context: Any) -> HTMLResponse:
    lang = cw.ui_language if cw else "pt"
    zone = _handoff(request).policy.office.zone
    html = _env.get_template(name).render(
        t=lambda key: t(key, lang), label=lambda code: code_label(code, lang),
        action_label=lambda code: action_label(code, lang), reason_label=lambda code: reason_label(code, lang),
        language_name=lambda code: language_name(code, lang), channel_name=lambda c: channel_name(c, lang),
        priced=lambda c: capabilities(c).priced_per_segment if c in NAMES else False,
        refusal=lambda detail: refusal(detail, lang),
        local=functools.partial(_local, zone), lang=lang, me=cw, **context,
    )
    response = HTMLResponse(html)
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _polling(request: Request) -> bool:
    """A page refreshing itself (the queue, a transcript), not a person; the segment count
    follows her typing, so it counts as her."""
    return request.url.path.endswith(("/fragment", "/transcript"))


def _signed_out(request: Request) -> Response:
    """Polls get a 401 they can act on; pages go to the login form."""
    if _polling(request) or request.url.path.endswith(".json"):
        return JSONResponse({"detail": "signed out"}, status_code=401)
    return RedirectResponse("/console/login", status_code=303)


def _run(app: HandoffApp, work: Page, request: Request, form: dict[str, str], post: bool) -> Response:
    """``work`` as the session's caseworker, in one transaction (called in a worker thread)."""
    cookie = request.cookies.get(COOKIE, "")
    with app.db.transaction() as s:
        found = auth.session_for(s, cookie, app.handoff.clock(),
                                 active=not _polling(request)) if cookie else None
        if found is None:
            return _signed_out(request)
        cw, sess = found
        if post and not hmac.compare_digest(form.get("csrf_token", ""), sess.csrf):
            return JSONResponse({"detail": "missing or wrong CSRF token"}, status_code=403)
        try:
            with s.begin_nested():
                response = work(s, cw, sess, request, form)
        except HandoffError as exc:
            back = request.url.path.rsplit("/", 1)[0] if post else "/console/"
            # The next page says why, from a cookie only we set: words in a link (?error=...)
            # would let anyone put their text in the console's alert box.
            response = RedirectResponse(back, status_code=303)
            response.set_cookie(FLASH, quote(refusal(exc.detail, cw.ui_language)[:300]), max_age=60, httponly=True,
                                samesite="strict", secure=_secure(request), path="/console")
            return response
        if FLASH in request.cookies and not _polling(request):
            response.delete_cookie(FLASH, path="/console")  # shown once, on this page
        return response


def _flash(request: Request) -> str | None:
    """The reason the last action was refused, set by ``_run`` for the page that follows."""
    raw = request.cookies.get(FLASH)
    return unquote(raw)[:300] if raw else None


def page(post: bool = False) -> Callable[[Page], Endpoint]:
    """Make ``work`` a signed-in page; with ``post``, a form that must carry the CSRF token,
    and whose redirect (it did something) wakes the sender."""

    def wrap(work: Page) -> Endpoint:
        @functools.wraps(work)
        async def handle(request: Request) -> Response:
            form: dict[str, str] = {}
            if post:
                raw = await request.form()
                form = {k: _form_value(raw, k) for k in raw}
            app = _app(request)
            response = await run_in_threadpool(_run, app, work, request, form, post)
            if post and response.status_code == 303:
                app.sender.wake()
            return response

        return handle

    return wrap


# -- sign in and out ----------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    token = secrets.token_urlsafe(24)
    response = _render(request, "login.html", None, csrf=token, failed=request.query_params.get("failed"))
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=_secure(request),
                        path="/console")
    return response


def _sign_in(app: HandoffApp, email: str, password: str) -> str | None:
    """A new session's cookie value, or None when the email or password is wrong."""
    with app.db.transaction() as s:
        cw = auth.authenticate(s, email, password, app.handoff.clock())
        return auth.start_session(s, cw, app.handoff.clock())[0] if cw else None


async def login(request: Request) -> Response:
    form = await request.form()
    if not hmac.compare_digest(_form_value(form, "csrf_token"), request.cookies.get(LOGIN_CSRF, "-")):
        return JSONResponse({"detail": "missing or wrong CSRF token"}, status_code=403)
    # Throttled by where the tries come from, before the password is even checked.
    where, logins = client_address(request), _handoff(request).logins
    if logins.wait(where):
        return RedirectResponse("/console/login?failed=wait", status_code=303)
    value = await run_in_threadpool(
        _sign_in, _app(request), _form_value(form, "email"), _form_value(form, "password"))
    if value is None:
        logins.failed(where)
        return RedirectResponse("/console/login?failed=1", status_code=303)
    logins.succeeded(where)
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(COOKIE, value, httponly=True, samesite="lax", secure=_secure(request), path="/",
                        max_age=int(auth.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(LOGIN_CSRF, path="/console")
    return response


@page(post=True)
def logout(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    auth.end_session(s, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# -- the queue ----------------------------------------------------------------------------------


def _board(s: Session, cw: Caseworker, request: Request) -> dict[str, Any]:
    handoff, filters = _handoff(request), views.Filters.from_query(request.query_params)
    now = handoff.clock()
    found = views.board(s, cw, handoff.policy, now, filters)
    return {"board": found, "filters": filters, "query": request.url.query,
            "overview": views.overview(s, now) if cw.role in views.SUPERVISORS else None}


@page()
def queue_page(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    return _render(request, "queue.html", cw, csrf=sess.csrf, error=_flash(request),
                   languages=sorted({*views.open_languages(s), *cw.languages}), channels=NAMES,
                   priorities=("urgent", "high", "normal", "low"), holders=views.active_caseworkers(s),
                   **_board(s, cw, request))


@page()
def queue_fragment(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    return _render(request, "_queue.html", cw, csrf=sess.csrf, **_board(s, cw, request))


@page(post=True)
def claim_next(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    found = queue.claim_next(s, cw, _handoff(request).clock())
    return RedirectResponse(f"/console/cases/{found.id}" if found else "/console/", status_code=303)


@page(post=True)
def set_language(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    if form.get("lang") in LANGUAGES:
        cw.ui_language = form["lang"]
    target = form.get("next", "")
    # Only back into the console: never an open redirect to another site.
    return RedirectResponse(target if target.startswith("/console/") else "/console/", status_code=303)


# -- one case -----------------------------------------------------------------------------------


def _case_id(request: Request) -> int:
    """The case id in the path: Malformed unless digits 0-9, NotFound when too large for any case."""
    return path_id(str(request.path_params["case_id"]))


@page()
def case_page(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    found, handoff = queue.get_case(s, _case_id(request)), _handoff(request)
    views.must_read(s, cw, found)  # refused: back to the queue, saying why
    queue.audit(s, cw, "view", found.id)
    now = handoff.clock()
    views.mark_seen(found, cw, now)
    shown = revealed(s, cw, found, now)
    card = case_detail(s, found, handoff.policy, now, cw.ui_language, revealed=shown is not None)
    return _render(request, "case.html", cw, csrf=sess.csrf, case=card, error=_flash(request),
                   templates=templates(), outcomes=queue.OUTCOMES, caseworkers=views.active_caseworkers(s),
                   mine=found.status == "claimed" and found.assignee_id == cw.id,
                   revealed=shown, hidden_again=shown and (shown.at + REVEAL_FOR).isoformat(),
                   reasons=REASONS, reopen_days=handoff.policy.reopen_within.days,
                   delivery_words={k: t(f"msg_{k}", cw.ui_language) for k in DELIVERY},
                   translating=handoff.translator is not None,
                   referrals=referral_panel(s, found, handoff.referrals.directory, cw.ui_language),
                   rw=lambda key: referral_word(key, cw.ui_language))


@page()
def transcript_fragment(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                        form: dict[str, str]) -> Response:
    after = given_id(request.query_params.get("after") or "0", "after")
    found = queue.get_case(s, _case_id(request))
    views.must_read(s, cw, found)
    # Not audited on each poll: the page that started the polling was.
    now = _handoff(request).clock()
    views.mark_seen(found, cw, now)
    shown = revealed(s, cw, found, now) is not None
    messages = transcript(s, found.conversation_id, after, revealed=shown)
    response = _render(request, "_messages.html", cw, messages=messages,
                       translating=_handoff(request).translator is not None)
    response.headers["X-Case-Status"] = found.status
    response.headers["X-Case-Status-Label"] = quote(t(found.status, cw.ui_language))
    # Delivery of what the team sent lately, for the page to update in place.
    response.headers["X-Delivery"] = ",".join(
        f"{m['id']}:{m['status']}" for m in views.recent_deliveries(s, found.conversation_id))
    return response


@page()
def template_text(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                  form: dict[str, str]) -> Response:
    """A template written in the person's language, for the reply box, with its cost."""
    found = queue.get_case(s, _case_id(request))
    views.must_read(s, cw, found)
    text = rendered_template(_handoff(request).pipeline, request.query_params.get("code", ""), found.language)
    return JSONResponse({"text": text, **preview(text, found.channel)})


@page()
def translation(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                form: dict[str, str]) -> Response:
    """One of the person's messages in the caseworker's language, by the configured server."""
    handoff = _handoff(request)
    found = queue.get_case(s, _case_id(request))
    views.must_read(s, cw, found)
    if handoff.translator is None:
        raise NotFound("machine translation is not configured")
    message = views.person_message(s, found.conversation_id, path_id(str(request.path_params["message_id"])))
    shown = revealed(s, cw, found, handoff.clock()) is not None
    text = message.body if shown else mask_numbers(message.body)
    queue.audit(s, cw, "translate", found.id, message_id=message.id)
    try:
        done = handoff.translator.translate(text, cw.ui_language)
    except TranslationError:
        return JSONResponse({"detail": t("translation_failed", cw.ui_language)}, status_code=503)
    return JSONResponse({"text": done.text, "source": done.source, "label": t("machine_translation", cw.ui_language)})


def _claim(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    queue.claim(s, cid, cw, handoff.clock())
    return f"/console/cases/{cid}"


def _release(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    queue.release(s, cid, cw, handoff.clock())
    return "/console/"


def _reply(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    # The page puts a chosen template's text in the reply box: what is sent is that box.
    send_reply(s, handoff.pipeline, cid, cw, handoff.clock(), text=form.get("text"),
               based_on=form.get("template_used") or None)
    return f"/console/cases/{cid}"


def _note(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    queue.add_note(s, cid, cw, form.get("text", ""), handoff.clock())
    return f"/console/cases/{cid}"


def _close(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    queue.close(s, cid, cw, form.get("outcome", ""), handoff.clock(), anyway=form.get("anyway") == "1")
    return f"/console/cases/{cid}"


def _reveal(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    reveal(s, cw, queue.get_case(s, cid), form.get("reason"), form.get("note"), handoff.clock())
    return f"/console/cases/{cid}"


def _reassign(s: Session, cw: Caseworker, cid: int, form: dict[str, str], handoff: Handoff) -> str:
    chosen = form.get("caseworker_id", "")
    to = views.find_caseworker(s, given_id(chosen, "caseworker_id")) if chosen else None
    if to is None:
        raise Invalid("choose a caseworker")
    queue.reassign(s, cid, to, cw, handoff.clock())
    return f"/console/cases/{cid}"


ACTIONS: dict[str, Action] = {
    "claim": _claim, "release": _release, "reply": _reply, "note": _note, "close": _close,
    "reassign": _reassign, "reveal": _reveal,
}


@page(post=True)
def act(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    cid, action = _case_id(request), request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(f"no action {action!r}")
    return RedirectResponse(ACTIONS[action](s, cw, cid, form, _handoff(request)), status_code=303)


# -- the audit log (supervisors) ----------------------------------------------------------------


@page()
def audit_page(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    if cw.role not in views.SUPERVISORS:
        raise Forbidden(t("only_supervisors_audit", cw.ui_language))
    query = request.query_params
    case_id, who, action = query.get("case", ""), query.get("who", ""), query.get("action", "")
    entries = views.audit_log(s, given_id(case_id, "case") if case_id else None,
                              given_id(who, "who") if who else None,
                              action if action in AUDITED else None)
    queue.audit(s, cw, "view_audit", None)
    return _render(request, "audit.html", cw, csrf=sess.csrf, entries=entries, next_url="/console/audit",
                   caseworkers=views.active_caseworkers(s), actions=AUDITED,
                   chosen={"case": case_id, "who": who, "action": action})


class _Granted(Response):
    """A supervisor may see the reports: who they are, for the page counted after their
    session's transaction has ended."""

    def __init__(self, cw: Caseworker, csrf: str) -> None:
        super().__init__(status_code=200)
        self.cw, self.csrf = cw, csrf


@page()
def _may_see_reports(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request,
                     form: dict[str, str]) -> Response:
    if cw.role not in views.SUPERVISORS:
        raise Forbidden(t("only_supervisors_reports", cw.ui_language))
    return _Granted(cw, sess.csrf)


def _reports(request: Request, cw: Caseworker, csrf: str) -> Response:
    handoff, lang = _handoff(request), cw.ui_language
    now, zone = handoff.clock(), handoff.policy.office.zone
    today, error = now.astimezone(zone).date(), None
    try:
        first, last, by = parse_range(request.query_params, today)
    except ValueError as exc:
        first, last, by = parse_range({}, today)
        error = refusal(str(exc), lang)
    with reading(_app(request).db) as s:
        data = figures(s, first, last, by, zone, rule_of(handoff.settings), now)
    return _render(request, "reports.html", cw, csrf=csrf, data=data, next_url="/console/reports",
                   error=error, charts=figures_of(data, lang), category=lambda d, c: category_label(d, c, lang))


async def reports_page(request: Request) -> Response:
    """Anonymised figures as charts, each with its table: the figures of GET /api/v1/stats,
    counted outside the session's transaction (handoff.stats.published.reading)."""
    granted = await _may_see_reports(request)
    if not isinstance(granted, _Granted):
        return granted
    return await run_in_threadpool(_reports, request, granted.cw, granted.csrf)


@page()
def segments(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
    text = request.query_params.get("text", "")[:2000]
    return JSONResponse(preview(text, request.query_params.get("channel")))


async def root(request: Request) -> Response:
    return RedirectResponse("/console/", status_code=307)


def routes() -> list[BaseRoute]:
    """The console's routes (each endpoint finds the app on ``request.app.state``)."""
    return [
        Route("/console", root),
        Mount("/console", routes=[
            Route("/", queue_page),
            Route("/login", login_page, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/language", set_language, methods=["POST"]),
            Route("/queue/fragment", queue_fragment),
            Route("/claim-next", claim_next, methods=["POST"]),
            Route("/segments.json", segments),
            Route("/audit", audit_page),
            Route("/reports", reports_page),
            Route("/cases/{case_id}", case_page),
            Route("/cases/{case_id}/transcript", transcript_fragment),
            Route("/cases/{case_id}/template", template_text),
            Route("/cases/{case_id}/messages/{message_id}/translation", translation),
            Route("/cases/{case_id}/{action}", act, methods=["POST"]),
            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="console-static"),
        ]),
    ]
