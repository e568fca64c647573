"""The web chat JSON API of DESIGN.md §3: sessions, messages, and later replies.

Endpoints find the running application on ``request.app.state.app``.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.app import App
from channels.base import Inbound
from channels.webchat import WebChatChannel
from core import store
from core.db import Database
from core.http import client_address, error, is_local, read_json
from core.models import Contact
from core.pipeline import Turn

__all__ = ["routes"]

CHANNEL = WebChatChannel.name

MAX_TEXT = 2000  # characters; longer messages are refused with a clear 413


def _app(request: Request) -> App:
    return request.app.state.app


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _payload(turn: Turn) -> dict[str, Any]:
    return {
        "replies": [
            {"id": r.id, "text": r.text, "options": [{"label": lab, "value": val} for lab, val in r.options]}
            for r in turn.replies
        ],
        "expecting": turn.expecting,
        "language": turn.language,
    }


def _start_meta(language: str | None, chosen: bool) -> dict[str, str]:
    """The page's language is a prior, unless the person picked it ("chosen")."""
    meta = {"language": language} if language else {}
    if language and chosen:
        meta["language_chosen"] = "1"
    return meta


def _keep_token(db: Database, channel: str, address: str, token: str) -> None:
    """Create the session's contact, keeping only the hash of its token."""
    with db.transaction() as s:
        store.lock_contact(s, channel, address).secret_hash = _token_hash(token)


def _slow_down(wait: float, detail: str) -> JSONResponse:
    seconds = max(1, math.ceil(wait))
    return JSONResponse({"detail": detail, "retry_after": seconds}, status_code=429,
                        headers={"Retry-After": str(seconds)})


async def create(request: Request) -> JSONResponse:
    where = client_address(request)
    # Counted per address on the network; this host (a local proxy that forwards no address,
    # a tool beside the app) would otherwise stand for everyone at once.
    wait = 0.0 if is_local(where) else _app(request).limits.chat_sessions.hit(where)
    if wait:  # refused before anything is stored: no contact row for a flood of sessions
        return _slow_down(wait, "too many new chats from this address; try again shortly")
    body = await read_json(request, allow_empty=True)
    if isinstance(body, JSONResponse):
        return body
    language, chosen = body.get("language"), body.get("chosen", False)
    if language is not None and not isinstance(language, str):
        return error(422, "language must be a locale code such as pt_BR")
    if not isinstance(chosen, bool):
        return error(422, "chosen must be true or false")
    app, session_id, token = _app(request), secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    await run_in_threadpool(_keep_token, app.db, CHANNEL, session_id, token)
    start = Inbound(channel=CHANNEL, address=session_id, kind="start", meta=_start_meta(language, chosen))
    turn = await run_in_threadpool(app.pipeline.handle, start)
    return JSONResponse({"session_id": session_id, "token": token, **_payload(turn)}, status_code=201)


def _authorised(request: Request, session_id: str) -> Contact | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    with _app(request).db.sessions() as s:
        contact = store.find_contact(s, CHANNEL, session_id)
    if contact is None or contact.secret_hash is None:
        return None
    if not hmac.compare_digest(contact.secret_hash, _token_hash(token.strip())):
        return None
    return contact


async def post_message(request: Request) -> JSONResponse:
    session_id = request.path_params["session_id"]
    contact = await run_in_threadpool(_authorised, request, session_id)
    if contact is None:
        return error(401, "missing or wrong session token")
    body = await read_json(request)
    if isinstance(body, JSONResponse):
        return body
    text, choice = body.get("text", ""), body.get("value")
    if not isinstance(text, str) or (choice is not None and not isinstance(choice, str)):
        return error(422, "text must be a string")
    if len(text) > MAX_TEXT:
        return error(413, f"a message can be at most {MAX_TEXT} characters")
    wait = _app(request).limits.chat_messages.hit(session_id)
    if wait:  # not stored: the page keeps the message and sends it again after the wait
        return _slow_down(wait, "too many messages in this chat; the page will send it again shortly")
    client_id = body.get("client_id")
    inbound = Inbound(
        channel=CHANNEL,
        address=session_id,
        text=text,
        kind="choice" if choice else "text",
        choice=choice,
        # a retried POST with the same client_id is processed once
        provider_id=f"{session_id}:{client_id}"[:64] if isinstance(client_id, str) and client_id else None,
    )
    turn = await run_in_threadpool(_app(request).pipeline.handle, inbound)
    return JSONResponse(_payload(turn))


def _later(db: Database, contact: Contact, after: int) -> dict[str, Any]:
    """The replies sent since message ``after`` and what the conversation expects now."""
    with db.sessions() as s:
        rows = store.replies_after(s, contact, after)
        conv = store.current_conversation(s, contact)
        return {
            "replies": [{"id": m.id, "text": m.body, "options": list(options or [])} for m, options in rows],
            "expecting": conv.expecting if conv else None,
            "language": conv.language if conv else None,
        }


async def get_messages(request: Request) -> JSONResponse:
    session_id = request.path_params["session_id"]
    contact = await run_in_threadpool(_authorised, request, session_id)
    if contact is None:
        return error(401, "missing or wrong session token")
    try:
        after = int(request.query_params.get("after", "0"))
    except ValueError:
        return error(422, "after must be a message id")
    return JSONResponse(await run_in_threadpool(_later, _app(request).db, contact, after))


def routes() -> list[Route]:
    """The web chat's routes (each endpoint finds the app on ``request.app.state``)."""
    return [
        Route("/api/chat/sessions", create, methods=["POST"]),
        Route("/api/chat/sessions/{session_id}/messages", post_message, methods=["POST"]),
        Route("/api/chat/sessions/{session_id}/messages", get_messages, methods=["GET"]),
    ]
