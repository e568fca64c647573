"""Caseworker replies: through the person's own channel, with templates and SMS segment counts.

A reply is a Message (author ``caseworker``) plus an Outbox row written by the turn pipeline's
own ``queue``, under the person's lock, so it is ordered with the bot's messages and delivered
by the same sender. Sending is refused with a reason when the person opted out or, on
WhatsApp, when the 24-hour window since their last message has closed (a free-form message
would be rejected by the provider; only an approved template could go out then).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from channels.registry import capabilities, dearest
from channels.segments import count_segments, encoding
from core.models import Contact
from core.render import Rendered
from dialogs.base import Reply, Text
from handoff.errors import Conflict, Invalid
from handoff.models import Caseworker
from handoff.queue import audit, lock_for_person, must_hold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.pipeline import Pipeline

__all__ = ["MAX_REPLY", "blocked_reason", "preview", "send_reply", "templates"]

MAX_REPLY = 1600  # characters: Twilio's limit for one SMS/WhatsApp body
_DATA = Path(__file__).resolve().parent / "replies.json"


@cache
def templates() -> tuple[dict[str, Any], ...]:
    """The standard replies (code, title per console language, English message id)."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(data["templates"])


def rendered_template(pipeline: Pipeline, code: str, language: str) -> str:
    """A template's text in the person's language, as it would be sent."""
    return pipeline.renderer.reply(Reply((Text(template(code)["text"]),), kind="info"), language).text


def template(code: str) -> dict[str, Any]:
    for item in templates():
        if item["code"] == code:
            return item
    raise Invalid(f"no template {code!r}; known: {', '.join(t['code'] for t in templates())}")


def preview(text: str, channel: str | None = None) -> dict[str, Any]:
    """What sending ``text`` costs: SMS segments and encoding (shown before sending); without a
    channel, as on the dearest one the service has."""
    can = capabilities(channel) if channel else dearest()
    return {
        "characters": len(text),
        "segments": count_segments(text),
        "encoding": encoding(text) if text else "GSM-7",
        "priced_per_segment": can.priced_per_segment,
    }


def blocked_reason(contact: Contact, channel: str, now: datetime) -> str | None:
    """Why nothing can be sent to this person now, or None."""
    if contact.status == "stopped":
        return "the person opted out (STOP): no message can be sent until they write again"
    if contact.status == "erased":
        return "the person erased their data: no message can be sent"
    can = capabilities(channel)
    if not can.window_open(contact.last_inbound_at, now):
        hours = round(can.window.total_seconds() / 3600) if can.window else 0
        return (
            f"the {can.title} {hours}-hour window is closed: the person last wrote more than "
            f"{hours} hours ago, so {can.title} only accepts an approved template until they "
            "write again"
        )
    return None


def send_reply(
    session: Session,
    pipeline: Pipeline,
    case_id: int,
    cw: Caseworker,
    now: datetime,
    text: str | None = None,
    template_code: str | None = None,
    based_on: str | None = None,
) -> dict[str, Any]:
    """Queue a caseworker's message to the person: their ``text``, or a template's; returns the
    message as the API shows it. ``based_on`` names the template the text started from (the
    console inserts it in the reply box to edit), for the audit."""
    found, contact, conv = lock_for_person(session, case_id)
    must_hold(found, cw, "reply")
    if template_code and (text or "").strip():
        # Sending one would throw the other away without a word.
        raise Invalid("a reply is a template or your own text, not both")
    if template_code:
        body = rendered_template(pipeline, template_code, found.language)
    else:
        # Browsers send a textarea's line breaks as CRLF: one character less per line on SMS.
        body = (text or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("a reply needs text or a template")
    if len(body) > MAX_REPLY:
        raise Invalid(f"a reply can be at most {MAX_REPLY} characters")
    reason = blocked_reason(contact, found.channel, now)
    if reason is not None:
        raise Conflict(reason)
    if conv.status == "bot":
        # An urgent case answered while the screening was still running: the bot goes quiet
        # now, it never talks over a caseworker.
        conv.status = "handoff"
    written = pipeline.queue(
        session, contact, conv, [Rendered(body, (), "text")], found.language, author="caseworker"
    )
    if not written:
        raise Conflict("the person cannot receive messages now")
    found.first_response_at = found.first_response_at or now
    found.last_activity_at = now
    found.version += 1
    used = template_code or (based_on if based_on and any(t["code"] == based_on for t in templates()) else None)
    audit(session, cw, "reply", found.id, message_id=written[0].id, template=used)
    return {
        "id": written[0].id,
        "text": body,
        "template": template_code,
        **preview(body, found.channel),
    }
