"""Typing a button's own label, in the conversation's language, is understood: every option
of every question, in every locale (generated from the flow and the catalogs)."""

from __future__ import annotations

import pytest

from dialogs import DIALOGS
from dialogs.base import Context, Given
from dialogs.understand import labels_of
from locales import SUPPORTED, translator

FLOW = DIALOGS["screening"].flow
CASES = [
    (locale, q.state, option.value)
    for q in FLOW.questions if q.options and q.answer != "text"
    for option in q.options
    for locale in SUPPORTED
]


def _meant(q, value):
    """What typing that label must store, as the dialog reads it."""
    if q.answer.startswith("yes_no"):
        return {"yes": (True, "value"), "no": (False, "value"), "unknown": (None, "unsure"),
                "skip": (None, "decline")}[value]
    if q.answer == "multi_choice":
        return ([] if value == q.negative else [value], "value")
    if value == "unknown" and q.answer != "choice":
        return (None, "unsure")
    if value == "skip":
        return (None, "decline")
    return (value, "value")


@pytest.mark.parametrize(("locale", "state", "value"), CASES,
                         ids=[f"{loc}-{st}-{v}" for loc, st, v in CASES])
def test_typed_label_is_understood(locale, state, value):
    dialog = DIALOGS["screening"]
    q = FLOW.by_state[state]
    label = next(text for v, text, where in labels_of(q.options, locale)
                 if v == value and where == locale)
    found = dialog.interpret(q, {"consent": {"given": True}}, Given(text=label), 0,
                             Context(language=locale))
    assert found is not None and not isinstance(found, str), (label, found)
    assert (found.value, found.kind) == _meant(q, value), label


def test_every_label_is_translated_in_every_locale():
    for locale in SUPPORTED:
        tr = translator(locale)
        for q in FLOW.questions:
            for option in q.options:
                assert tr.has(option.label.msgid) or locale == "en", (locale, option.label.msgid)
