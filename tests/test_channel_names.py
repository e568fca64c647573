"""Only channels/ names a channel: everything else asks ``channels.registry`` for what a
channel can do, so a new channel is its module plus one registry line. The test reads the
string literals of every source file outside channels/ (docstrings aside)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from channels import registry
from channels.console import ConsoleChannel

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "dialogs", "handoff", "bot", "locales")
NAMES = frozenset((*registry.NAMES, ConsoleChannel.name))
# The contract's contact preference "sms" (a way to be reached, declared once) is not the channel.
ALLOWED = {("dialogs/screening.py", "sms")}


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def named(source: str) -> list[tuple[int, str]]:
    """The channel names ``source`` spells out as string literals, with their lines."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value in NAMES and id(node) not in skip]


def test_no_channel_is_named_outside_channels():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            found += [f"{where}:{line} names {name!r}" for line, name in named(path.read_text())
                      if (where, name) not in ALLOWED]
    assert found == []


@pytest.mark.parametrize("source", [
    'if inbound.channel == "sms":\n    pass\n',
    'PHONE = frozenset({"sms", "whatsapp"})\n',
    'store.find_contact(s, "webchat", session_id)\n',
])
def test_the_check_catches_a_named_channel(source):
    assert named(source)


def test_docstrings_and_capabilities_pass():
    source = '"""Talks to telegram users."""\nif capabilities(inbound.channel).priced_per_segment:\n    pass\n'
    assert named(source) == []
