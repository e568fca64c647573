"""The web console: server-rendered pages for the queue and the case card, in pt and en.

Signed-in browsers carry a random session cookie (HttpOnly, SameSite=Lax, Secure over https
or in production); every POST must carry the session's CSRF token, and the login form a
double-submit token. Jinja2 autoescapes everything, so what a person wrote is shown as text.
Live updates are short polls for server-rendered fragments (no external scripts, no CDN).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from handoff import auth, queue
from handoff.cards import case_detail, case_summary, names_of, transcript
from handoff.errors import HandoffError, Invalid, NotFound
from handoff.i18n import LANGUAGES, code_label, t
from handoff.models import Case, Caseworker, ConsoleSession
from handoff.reply import preview, send_reply, templates

if TYPE_CHECKING:
    from handoff.service import HandoffApp

__all__ = ["routes"]

HERE = Path(__file__).resolve().parent
COOKIE, LOGIN_CSRF = "intake_session", "intake_login_csrf"
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))

Page = Callable[[Session, Caseworker, ConsoleSession, Request, dict[str, str]], Response]


def _form_value(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def routes(app: HandoffApp) -> list[BaseRoute]:
    db, handoff = app.db, app.handoff
    settings = app.settings
    secure = bool(settings.production or (settings.public_url or "").startswith("https"))

    zone = handoff.policy.office.zone

    def local(iso: str | None, fmt: str = "%d/%m %H:%M") -> str:
        """A stored UTC time shown in the office's time zone (what caseworkers live by)."""
        return datetime.fromisoformat(iso).astimezone(zone).strftime(fmt) if iso else ""

    def render(name: str, cw: Caseworker | None, **context: Any) -> HTMLResponse:
        lang = cw.ui_language if cw else "pt"
        html = _env.get_template(name).render(
            t=lambda key: t(key, lang), label=lambda code: code_label(code, lang), local=local,
            lang=lang, me=cw, **context,
        )
        response = HTMLResponse(html)
        response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def page(work: Page, post: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            cookie = request.cookies.get(COOKIE, "")
            form: dict[str, str] = {}
            if post:
                raw = await request.form()
                form = {k: _form_value(raw, k) for k in raw}

            def run() -> Response:
                with db.transaction() as s:
                    found = auth.session_for(s, cookie, handoff.clock()) if cookie else None
                    if found is None:
                        if request.url.path.endswith((".json", "/fragment", "/transcript")):
                            return JSONResponse({"detail": "signed out"}, status_code=401)
                        return RedirectResponse("/console/login", status_code=303)
                    cw, sess = found
                    if post and not hmac.compare_digest(form.get("csrf_token", ""), sess.csrf):
                        return JSONResponse({"detail": "missing or wrong CSRF token"}, status_code=403)
                    try:
                        with s.begin_nested():
                            return work(s, cw, sess, request, form)
                    except HandoffError as exc:
                        back = request.url.path.rsplit("/", 1)[0] if post else "/console/"
                        return RedirectResponse(f"{back}?error={quote(exc.detail)}", status_code=303)

            response = await run_in_threadpool(run)
            if post and response.status_code == 303:
                app.sender.wake()
            return response

        return handle

    # -- sign in and out ----------------------------------------------------------------------

    async def login_page(request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = render("login.html", None, csrf=token, failed=request.query_params.get("failed"))
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=secure, path="/console")
        return response

    async def login(request: Request) -> Response:
        form = await request.form()
        if not hmac.compare_digest(_form_value(form, "csrf_token"), request.cookies.get(LOGIN_CSRF, "-")):
            return JSONResponse({"detail": "missing or wrong CSRF token"}, status_code=403)

        def run() -> str | None:
            with db.transaction() as s:
                cw = auth.authenticate(s, _form_value(form, "email"), _form_value(form, "password"), handoff.clock())
                return auth.start_session(s, cw, handoff.clock())[0] if cw else None

        value = await run_in_threadpool(run)
        if value is None:
            return RedirectResponse("/console/login?failed=1", status_code=303)
        response = RedirectResponse("/console/", status_code=303)
        response.set_cookie(COOKIE, value, httponly=True, samesite="lax", secure=secure, path="/",
                            max_age=int(auth.SESSION_LIFETIME.total_seconds()))
        response.delete_cookie(LOGIN_CSRF, path="/console")
        return response

    def logout(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        s.delete(sess)
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    # -- the queue ----------------------------------------------------------------------------

    def queue_context(s: Session, cw: Caseworker) -> dict[str, Any]:
        now, names = handoff.clock(), names_of(s)
        rows = s.scalars(queue.ordered(cw, None).where(Case.status != "closed").limit(300)).all()

        def card(c: Case) -> dict[str, Any]:
            return case_summary(c, handoff.policy, now, names) | {"speaks": c.lang in cw.languages}

        return {
            "queued": [card(c) for c in rows if c.status == "queued"],
            "mine": [card(c) for c in rows if c.status == "claimed" and c.assignee_id == cw.id],
            "others": [card(c) for c in rows if c.status == "claimed" and c.assignee_id != cw.id],
        }

    def queue_page(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        return render("queue.html", cw, csrf=sess.csrf, error=request.query_params.get("error"),
                      **queue_context(s, cw))

    def queue_fragment(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        return render("_queue.html", cw, csrf=sess.csrf, **queue_context(s, cw))

    def claim_next(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        found = queue.claim_next(s, cw, handoff.clock())
        return RedirectResponse(f"/console/cases/{found.id}" if found else "/console/", status_code=303)

    def set_language(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        if form.get("lang") in LANGUAGES:
            cw.ui_language = form["lang"]
        target = form.get("next", "")
        # Only back into the console: never an open redirect to another site.
        return RedirectResponse(target if target.startswith("/console/") else "/console/", status_code=303)

    # -- one case -----------------------------------------------------------------------------

    def case_id(request: Request) -> int:
        raw = str(request.path_params["case_id"])
        if not raw.isdigit():
            raise NotFound("no such case")
        return int(raw)

    def case_page(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        found = queue.get_case(s, case_id(request))
        queue.audit(s, cw, "view", found.id)
        card = case_detail(s, found, handoff.policy, handoff.clock(), cw.ui_language)
        others = s.scalars(select(Caseworker).where(Caseworker.active.is_(True))).all()
        return render("case.html", cw, csrf=sess.csrf, case=card, error=request.query_params.get("error"),
                      templates=templates(), outcomes=queue.OUTCOMES, caseworkers=others,
                      mine=found.status == "claimed" and found.assignee_id == cw.id)

    def transcript_fragment(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        found = queue.get_case(s, case_id(request))
        after = request.query_params.get("after", "0")
        messages = transcript(s, found.conversation_id, int(after) if after.isdigit() else 0)
        response = render("_messages.html", cw, messages=messages)
        response.headers["X-Case-Status"] = found.status
        return response

    def act(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        cid, action, now = case_id(request), request.path_params["action"], handoff.clock()
        target = f"/console/cases/{cid}"
        if action == "claim":
            queue.claim(s, cid, cw, now)
        elif action == "release":
            queue.release(s, cid, cw, now)
            target = "/console/"
        elif action == "reply":
            send_reply(s, handoff.pipeline, cid, cw, now, text=form.get("text"),
                       template_code=form.get("template") or None)
        elif action == "note":
            queue.add_note(s, cid, cw, form.get("text", ""), now)
        elif action == "close":
            queue.close(s, cid, cw, form.get("outcome", ""), now)
        elif action == "reassign":
            to = s.get(Caseworker, int(form["caseworker_id"])) if form.get("caseworker_id", "").isdigit() else None
            if to is None:
                raise Invalid("choose a caseworker")
            queue.reassign(s, cid, to, cw, now)
        else:
            raise NotFound(f"no action {action!r}")
        return RedirectResponse(target, status_code=303)

    def segments(s: Session, cw: Caseworker, sess: ConsoleSession, request: Request, form: dict[str, str]) -> Response:
        text = request.query_params.get("text", "")[:2000]
        return JSONResponse(preview(text, request.query_params.get("channel", "sms")))

    async def root(request: Request) -> Response:
        return RedirectResponse("/console/", status_code=307)

    return [
        Route("/console", root),
        Mount("/console", routes=[
            Route("/", page(queue_page)),
            Route("/login", login_page, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", page(logout, post=True), methods=["POST"]),
            Route("/language", page(set_language, post=True), methods=["POST"]),
            Route("/queue/fragment", page(queue_fragment)),
            Route("/claim-next", page(claim_next, post=True), methods=["POST"]),
            Route("/segments.json", page(segments)),
            Route("/cases/{case_id}", page(case_page)),
            Route("/cases/{case_id}/transcript", page(transcript_fragment)),
            Route("/cases/{case_id}/{action}", page(act, post=True), methods=["POST"]),
            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="console-static"),
        ]),
    ]
