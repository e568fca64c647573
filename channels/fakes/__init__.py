"""Local stand-ins for the Telegram Bot API and the Twilio REST API, for tests and demos.

They speak HTTP, so the real python-telegram-bot and twilio clients are pointed at them by base
URL and nothing is mocked. Each records every call and can be told to fail the next calls::

    fake = FakeTelegramAPI()
    with fake.serve() as base_url:                 # "http://127.0.0.1:<port>/bot"
        channel = TelegramChannel(token, secret, base_url)
        ...                                        # fake.sent, fake.requests("getMe"), fake.block_next()

    twilio = FakeTwilioAPI()                       # account "AC000...", token "test-token"
    with twilio.serve() as base_url:               # TWILIO_API_BASE_URL
        ...                                        # twilio.sent, twilio.error_next(21610)

For a demo, ``python -m channels.fakes telegram --port 8081`` runs one in the foreground.
"""

from __future__ import annotations

from channels.fakes._server import Server, serve
from channels.fakes.telegram_api import FakeTelegramAPI
from channels.fakes.twilio_api import FakeTwilioAPI

__all__ = ["FakeTelegramAPI", "FakeTwilioAPI", "Server", "serve"]
