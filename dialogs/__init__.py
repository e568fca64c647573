"""The conversation: flows as data, the state machine, answer parsers, eligibility rules."""

from __future__ import annotations

from dialogs.base import Dialog
from dialogs.intake import ScreeningDialog
from dialogs.placeholder import PlaceholderDialog

__all__ = ["DEFAULT", "DIALOGS", "Dialog"]

# Every flow the engine can run, by name. The name is stored on each conversation.
DIALOGS: dict[str, Dialog] = {"placeholder": PlaceholderDialog(), "screening": ScreeningDialog()}
DEFAULT = "screening"
