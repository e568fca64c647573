"""The web chat page at ``/``: small, accessible, phone-sized, right-to-left aware, no CDN.

The page is rendered in the person's language (``?lang=``, else the browser's
Accept-Language), and talks to the JSON API of ``bot.webchat``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import locales
from dialogs.base import N_

__all__ = ["routes"]

HERE = Path(__file__).resolve().parent
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

# Every word the page itself shows; the conversation comes from the bot.
PAGE_TEXT = {
    "title": N_("Chat with us"),
    "intro": N_("Free and confidential. Write in your own language."),
    "placeholder": N_("Write your message"),
    "send": N_("Send"),
    "exit": N_("Exit quickly"),
    "exit_hint": N_("Closes this page and clears the chat from this browser."),
    "language": N_("Language"),
    "offline": N_("No connection. Your message will be sent when the connection is back."),
    "slow": N_("You are sending many messages. Please wait a minute, then write again."),
    "privacy": N_("Privacy notice"),
}


def choose_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked and locales.negotiate(asked):
        return locales.negotiate(asked) or "en"
    for part in request.headers.get("accept-language", "").split(","):
        code = locales.negotiate(part.split(";")[0].strip())
        if code:
            return code
    return "en"


async def page(request: Request) -> HTMLResponse:
    language = choose_language(request)
    tr = locales.translator(language)
    html = _env.get_template("webchat.html").render(
        lang=language,
        html_lang=language.replace("_", "-"),
        dir="rtl" if locales.is_rtl(language) else "ltr",
        t={key: tr.gettext(msgid) for key, msgid in PAGE_TEXT.items()},
        languages=[(code, locales.native_name(code)) for code in locales.SUPPORTED],
    )
    return HTMLResponse(html, headers={
        # The page loads nothing from elsewhere and may not be framed by anyone.
        "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; "
                                   "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    })


async def privacy(request: Request) -> HTMLResponse:
    """The full privacy notice (the chat's 'privacy' command sends the same paragraphs)."""
    operator = request.app.state.app.settings.operator_name
    from dialogs.messages import privacy_replies, privacy_short

    language = choose_language(request)
    tr = locales.translator(language)
    paragraphs = [tr.gettext(privacy_short().msgid)]
    paragraphs += [tr.gettext(part.msgid).format(**part.params)
                   for reply in privacy_replies(operator) for part in reply.parts]
    html = _env.get_template("privacy.html").render(
        html_lang=language.replace("_", "-"), dir="rtl" if locales.is_rtl(language) else "ltr",
        title=tr.gettext(PAGE_TEXT["privacy"]), paragraphs=paragraphs, lang=language,
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
                                       "Referrer-Policy": "no-referrer"})


def routes() -> list[BaseRoute]:
    return [
        Route("/", page),
        Route("/privacy", privacy),
        Mount("/static/chat", StaticFiles(directory=HERE / "static"), name="chat-static"),
    ]
