"""A secret setting (a token, a key) in a type that never prints: ``repr`` and ``str`` show a
mask, so a settings object in a log line or a traceback gives nothing away; ``reveal()`` is the
one way to the value, at the place that needs it."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Secret", "reveal"]

MASK = "******"


@dataclass(frozen=True, slots=True)
class Secret:
    value: str = field(repr=False)

    def reveal(self) -> str:
        return self.value

    def __str__(self) -> str:
        return MASK if self.value else ""

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __bool__(self) -> bool:
        return bool(self.value)


def reveal(secret: Secret | str | None) -> str | None:
    """The value of a secret that may be unset (None), or already plain."""
    if secret is None or isinstance(secret, str):
        return secret
    return secret.reveal()
