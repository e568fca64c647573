"""Small stand-ins for the bot tests: identity translations and a fixed language."""

from __future__ import annotations

from channels.base import Inbound
from channels.fake import RecordingChannel
from core.db import Database
from core.language import Chosen
from core.models import Conversation
from core.outbox import Sender
from core.pipeline import Pipeline
from core.render import Renderer


class Identity:
    """English: the message ids are the English text."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        return message

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


class FixedLanguage:
    def choose(self, conversation: Conversation, inbound: Inbound, explicit: str | None) -> Chosen:
        return Chosen(explicit or conversation.language or "en")


def make_pipeline(db: Database, flow: str = "placeholder") -> tuple[Pipeline, Sender, RecordingChannel]:
    channel = RecordingChannel("fake")
    sender = Sender(db, {"fake": channel}, poll=0.05)
    # No flood limit here: these tests send bursts on purpose (the limit has its own test).
    pipeline = Pipeline(db, Renderer(lambda _l: Identity()), FixedLanguage(), flow=flow, on_commit=sender.wake,
                        flood_limit=10_000)
    return pipeline, sender, channel


def say(pipeline: Pipeline, text: str, address: str = "p1", provider_id: str | None = None, **kw):
    return pipeline.handle(Inbound(channel="fake", address=address, text=text, provider_id=provider_id, **kw))


def send_from_process(url: str, keys: tuple[str, ...], worker: int, count: int) -> None:
    """Runs in a child process: a fresh pipeline on the same database sends ``count`` messages."""
    db = Database(url, keys)
    pipeline, _, _ = make_pipeline(db)
    for i in range(count):
        say(pipeline, f"p{worker}-{i}", provider_id=f"p-{worker}-{i}")
        say(pipeline, f"p{worker}-{i}", provider_id=f"p-{worker}-{i}")  # a provider retry
    db.dispose()
