"""``intake chat``: a terminal conversation through the real pipeline and outbox.

The conversation is stored like any other (channel ``console``), so quitting and starting
again with the same ``--user`` picks up where it stopped.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot import migrate
from bot.app import build
from bot.settings import Settings
from channels import registry
from channels.base import Inbound
from channels.console import ConsoleChannel
from channels.segments import count_segments
from core import store
from core.models import Conversation, Message

__all__ = ["run_chat"]


def _write(text: str) -> None:
    print("bot> " + text.replace("\n", "\n     "), flush=True)


def run_chat(settings: Settings, style: str = registry.NAMES[0], language: str | None = None, user: str = "local") -> int:
    console = ConsoleChannel(_write, like=registry.capabilities(style), segments=count_segments)
    app = build(settings, channels={ConsoleChannel.name: console})
    migrate.upgrade(app.db.engine)
    loop = asyncio.new_event_loop()

    def deliver() -> None:
        while loop.run_until_complete(app.sender.drain_once()):
            pass

    with app.db.sessions() as s:
        contact = store.find_contact(s, ConsoleChannel.name, user)
        last = None
        if contact is not None:
            last = s.scalars(
                select(Message.body)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.contact_id == contact.id, Message.direction == "out")
                .order_by(Message.id.desc())
                .limit(1)
            ).first()
    meta = {"language": language} if language else {}
    print("Type a message and press Enter; Ctrl-D to quit.", flush=True)
    if contact is None:
        app.pipeline.handle(Inbound(channel=ConsoleChannel.name, address=user, kind="start", meta=meta))
    elif last:
        # Resuming after a restart: remind the person where we were.
        print("(continuing your conversation)", flush=True)
        _write(last)
    deliver()
    try:
        while True:
            try:
                line = input("you> ")
            except EOFError:
                break
            app.pipeline.handle(Inbound(channel=ConsoleChannel.name, address=user, text=line, meta=meta))
            deliver()
    except KeyboardInterrupt:
        pass
    finally:
        loop.close()
        app.db.dispose()
    print(flush=True)
    return 0

