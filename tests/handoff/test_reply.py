"""The WhatsApp window is one rule: what the console refuses is what the channel would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from channels.registry import capabilities
from core.models import Contact
from handoff.reply import blocked_reason

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("ago", [timedelta(hours=1), timedelta(hours=23, minutes=59),
                                 timedelta(hours=24), timedelta(hours=24, seconds=1)])
def test_the_console_and_the_channel_agree_on_the_window(ago):
    contact = Contact(status="active", last_inbound_at=NOW - ago)
    refused = blocked_reason(contact, "whatsapp", NOW) is not None
    assert refused is not capabilities("whatsapp").window_open(NOW - ago, NOW)
    assert blocked_reason(contact, "sms", NOW) is None
