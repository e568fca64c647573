"""A two-question placeholder flow, kept as the smallest example of the Dialog protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.base import N_, Choice, Context, Expecting, Given, Reply, Step, Text

_YES = {"yes", "y", "sim", "s", "si", "sí", "oui", "da", "так", "да", "1"}
_NO = {"no", "n", "não", "nao", "non", "nu", "ні", "нет", "не", "2"}
_OPTIONS = (Choice("yes", Text(N_("Yes"))), Choice("no", Text(N_("No"))))


class PlaceholderDialog:
    """Asks whether the person wants to go home, then says a person will answer."""

    name = "placeholder"

    def begin(self, record: Mapping[str, Any], ctx: Context, given: Given | None = None) -> Step:
        return self._ask(dict(record))

    def advance(self, state: str, record: Mapping[str, Any], given: Given, ctx: Context) -> Step:
        data = dict(record)
        answer = (given.choice or given.text).strip().lower()
        if state == "ask_return" and answer in _YES | _NO:
            data["wants_to_return"] = "yes" if answer in _YES else "no"
            reply = Reply((Text(N_("Thank you. A person from our team will answer you here, in this chat.")),), kind="info")
            return Step(state="done", record=data, replies=[reply])
        if state == "done":
            reply = Reply((Text(N_("Thank you. A person from our team will answer you here, in this chat.")),), kind="info")
            return Step(state="done", record=data, replies=[reply])
        return self._ask(data)

    def _ask(self, data: dict[str, Any]) -> Step:
        expecting = Expecting("wants_to_return", "yes_no", options=_OPTIONS)
        reply = Reply((Text(N_("Do you want to return to your country?")),), options=_OPTIONS)
        return Step(state="ask_return", record=data, replies=[reply], expecting=expecting)
