"""Runs the screening dialog on a list of messages, as the pipeline would, for transcript tests.

A message starting with "@" is a button press (Given.choice); anything else is typed text.
"""

from __future__ import annotations

from channels.registry import capabilities
from dialogs import DIALOGS
from dialogs.base import Context, Given, Step


def given(say: str) -> Given:
    if say.startswith("@"):
        return Given(text="", kind="choice", choice=say[1:])
    return Given(text=say)


def context(lang: str, channel: str = "console") -> Context:
    """What the pipeline tells a dialog about a channel (never its name)."""
    can = capabilities(channel)
    return Context(language=lang, priced_per_segment=can.priced_per_segment,
                   phone_address=can.phone_address)


def run(says: list[str], lang: str = "en", name: str = "screening", channel: str = "console") -> list[Step]:
    """Every step: the first from begin(), then one per message."""
    dialog = DIALOGS[name]
    ctx = context(lang, channel)
    steps = [dialog.begin({}, ctx)]
    for say in says:
        last = steps[-1]
        if last.language:
            ctx = context(last.language, channel)
        steps.append(dialog.advance(last.state, last.record, given(say), ctx))
    return steps


def msgids(step: Step) -> list[str]:
    return [part.msgid for reply in step.replies for part in reply.parts]


def field(step: Step) -> str | None:
    return step.expecting.field if step.expecting else None
