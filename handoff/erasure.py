"""Erasure at a supervisor's hand, when a person asks for it outside the chat (by phone, say).

The person is told first, in their language, and that one confirmation still goes out after
everything else about them is erased (core.privacy, with the pipeline's erase hooks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.privacy import erase_contact
from dialogs.base import Reply, Text
from dialogs.messages import ERASED
from handoff import queue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.pipeline import Pipeline
    from handoff.models import Caseworker

__all__ = ["erase_person"]


def erase_person(session: Session, pipeline: Pipeline, case_id: int, cw: Caseworker) -> int:
    """Erase the person of case ``case_id``, audited as ``cw``'s act; returns the case's id."""
    found, contact, conv = queue.lock_for_person(session, case_id)
    language = conv.language or found.language
    confirmation = pipeline.renderer.reply(Reply((Text(ERASED),), kind="info"), language)
    written = pipeline.queue(session, contact, conv, [confirmation], language, force=True)
    queue.audit(session, cw, "erase", found.id)
    erase_contact(session, contact, keep_for={r.id for r in written}, hooks=pipeline.erase_hooks)
    return found.id
