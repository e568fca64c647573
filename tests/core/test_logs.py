"""Logs carry no personal data, and keep their own time and ids readable."""

from __future__ import annotations

import logging
import re

from core.logs import JSONFormatter, _Plain


def record(message: str) -> logging.LogRecord:
    rec = logging.LogRecord("intake", logging.INFO, __file__, 1, message, None, None)
    rec.request_id, rec.conversation_id = "r1", 7
    return rec


def test_plain_lines_keep_the_time_and_hide_phone_numbers():
    line = _Plain("%(asctime)s %(levelname)s [conv=%(conversation_id)s] %(message)s").format(
        record("reply to +351 912 345 678 failed"))
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO", line), line
    assert "912" not in line and "<number>" in line


def test_json_lines_hide_phone_numbers_too():
    line = JSONFormatter().format(record("from 912345678"))
    assert "912345678" not in line and "<number>" in line
