"""Stand-ins for the handoff tests: a tiny flow that hands over, and an App built around it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import App, Limits
from bot.settings import Settings
from channels.base import Inbound
from channels.fake import RecordingChannel
from core.db import Database, utcnow
from core.language import Chosen
from core.outbox import Sender
from core.pipeline import Pipeline
from core.render import Renderer
from dialogs.base import N_, Context, Given, Reply, Step, Text
from handoff import auth
from handoff.service import Handoff
from tests.bot.helpers import Identity
from tests.conftest import TEST_KEYS

# No "telegram": bot.web starts long polling for a channel of that name.
CHANNELS = ("sms", "whatsapp", "webchat", "fake")
OUTCOME = {
    "programme": "arvore",
    "eligibility": "likely_eligible",
    "priority": "normal",
    "reasons": ["third_country_national", "wants_to_return"],
    "rules_version": "test-1",
}


class HandoffFlow:
    """Asks one question; "person" hands over, "danger" opens an urgent case and carries on."""

    name = "handoff_test"

    def begin(self, record: Mapping[str, Any], ctx: Context, given: Given | None = None) -> Step:
        return Step("ask", dict(record), [Reply((Text(N_("Say person to talk to a person.")),))])

    def advance(self, state: str, record: Mapping[str, Any], given: Given, ctx: Context) -> Step:
        data = dict(record)
        said = (given.choice or given.text).strip().lower()
        if "danger" in said:
            data["in_danger_now"] = True
            return Step("ask", data, [Reply((Text(N_("Call 112 now.")),), kind="info")], actions=("urgent",))
        if "person" in said:
            data.update({"wants_to_return": "yes", "nationality": "BR", "travel_document": "valid_passport"})
            outcome = dict(OUTCOME, priority="high" if "high" in said else "normal")
            return Step("done", data, [], outcome=outcome, actions=("handoff",))
        return Step("ask", data, [Reply((Text(N_("Say person to talk to a person.")),))])


class MetaLanguage:
    """The language a test names in ``meta``, else what the conversation has, else English."""

    def choose(self, conversation: Any, inbound: Inbound, explicit: str | None) -> Chosen:
        return Chosen(explicit or inbound.meta.get("language") or conversation.language or "en")


class Clock:
    """A settable clock; by default it follows real time."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or utcnow()


def make_app(db: Database, tmp_path: Path, **settings: Any) -> tuple[App, dict[str, RecordingChannel], Clock]:
    channels = {name: RecordingChannel(name) for name in CHANNELS}
    config = Settings(
        database_url=db.url, encryption_keys=TEST_KEYS, secret_key="test", inline_worker=False,
        data_dir=tmp_path, **settings,
    )
    sender = Sender(db, channels, poll=0.05)
    pipeline = Pipeline(
        db, Renderer(lambda _l: Identity()), MetaLanguage(), flow="handoff_test",
        dialogs={"handoff_test": HandoffFlow()}, on_commit=sender.wake,
    )
    clock = Clock()
    handoff = Handoff(db, pipeline, config, clock=clock)
    handoff.plug_in()
    app = App(settings=config, db=db, pipeline=pipeline, sender=sender, handoff=handoff,
              limits=Limits.of(config), channels=dict(channels))
    return app, channels, clock


def say(app: App, text: str, address: str = "+351910000001", channel: str = "sms", **kw: Any):
    return app.pipeline.handle(Inbound(channel=channel, address=address, text=text, **kw))


def handed_over(app: App, address: str = "+351910000001", channel: str = "sms", language: str = "en",
                text: str = "person") -> int:
    """A person who went through the flow into the queue; returns their conversation id."""
    say(app, "hello", address, channel, meta={"language": language})
    turn = say(app, text, address, channel)
    assert turn.status == "handoff", turn
    assert turn.conversation_id is not None
    return turn.conversation_id


def caseworker(db: Database, email: str, role: str = "caseworker", languages: str = "pt,en",
               password: str = "correct horse battery") -> tuple[int, str]:
    """An account and an API token for it."""
    with db.transaction() as s:
        cw = auth.add_caseworker(s, email, email.split("@")[0], role, languages.split(","), password)
        _row, token = auth.create_token(s, cw)
        return cw.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def deliver(app: App) -> None:
    """Run the sender until the outbox is empty (it sends one message per conversation a pass)."""
    import asyncio

    async def drain() -> None:
        while await app.sender.drain_once():
            pass

    asyncio.run(drain())


def csrf_of(html: str) -> str:
    """The CSRF token a console page carries in its forms."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def console_sign_in(client: Any, email: str, password: str = "correct horse battery") -> str:
    """Sign in to the console through its form; returns the session's CSRF token."""
    page = client.get("/console/login")
    client.post("/console/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)})
    return csrf_of(client.get("/console/").text)
