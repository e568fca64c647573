"""The caseworker commands of ``intake``: accounts and API tokens."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``caseworker`` and ``token`` sub-commands to the ``intake`` parser."""
