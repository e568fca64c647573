"""The handoff seam: what the turn pipeline calls when a conversation needs a person.

Each method runs inside the turn's transaction (see ``bot.pipeline.TurnHook``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from channels.base import Inbound
from dialogs.base import Step

if TYPE_CHECKING:
    from bot.models import Conversation

__all__ = ["Handoff"]


class Handoff:
    """Opens cases and routes a handed-off person's messages to them."""

    def on_handoff(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """The screening qualified the person (or they asked for a person): queue a case."""

    def on_urgent(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """Danger: open (or raise) an urgent case at once; the flow itself carries on."""

    def on_inbound(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """A message from a person whose case is open: it is already stored in the transcript."""

    def hooks(self) -> dict[str, object]:
        return {
            "handoff": self.on_handoff,
            "urgent": self.on_urgent,
            "inbound_handoff": self.on_inbound,
        }
