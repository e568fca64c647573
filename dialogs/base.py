"""The neutral language of the conversation: what a dialog is given and what it decides.

A dialog is pure: given the conversation's state, the intake record so far and the parsed
input, it returns the next state, the replies as message ids with parameters, what it expects
next and, once decided, the outcome. It never touches the database, the web or a channel, and
it never translates: ``bot`` renders message ids through ``locales`` at send time.

Message ids are the English source text (gettext style), marked with ``N_`` so that Babel's
extractor finds them.

    DialogError
     └── FlowError    a flow definition is inconsistent (found at load, by ``intake flows check``)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "ACTIONS",
    "N_",
    "Choice",
    "Context",
    "Dialog",
    "DialogError",
    "Expecting",
    "FlowError",
    "Given",
    "Reply",
    "Step",
    "Text",
]

# What the pipeline must do besides saving and sending (see Step.actions).
ACTIONS = frozenset(
    {
        "handoff",      # open a case for a caseworker (the record is complete enough)
        "urgent",       # open or raise a case as urgent at once (danger)
        "stop",         # the person opted out: status stopped, send nothing more
        "quick_exit",   # end now, delete what the bot sent where the channel can
        "erase",        # erase the person's data (after confirmation)
        "restart",      # start the conversation over (record cleared)
        "withdraw_consent",  # end every agreement to share details with an organisation
    }
)


def N_(message: str) -> str:
    """Mark a message id for extraction without translating it (translation happens at send)."""
    return message


class DialogError(Exception):
    """Root of the dialog errors."""


class FlowError(DialogError):
    """A flow definition is inconsistent."""


@dataclass(frozen=True, slots=True)
class Text:
    """A message id with its parameters, translated when it is sent.

    ``params`` values are plain data; a value that is itself a ``Text`` is translated too.
    Parameter kinds the renderer formats in the person's locale are named by suffix:
    ``*_country`` (ISO alpha-2 -> country name), ``*_district`` (district code -> name),
    ``*_count`` (a number; also selects the plural form when ``plural`` is set).
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None       # plural msgid; the count is params["count"]
    context: str | None = None      # msgctxt, to tell apart equal English texts
    locale: str | None = None       # rendered in this locale, not the conversation's (an offer
                                    # to switch is written in the language it offers)


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a question: the stored code and the text a person sees."""

    value: str
    label: Text


@dataclass(frozen=True, slots=True)
class Expecting:
    """What the dialog waits for: a field of the intake record and its answer type.

    ``type`` is one of ``choice|multi_choice|yes_no|country|number|text``; ``code`` names the
    item of a list field that a yes/no question asks about.
    """

    field: str
    type: str
    code: str | None = None
    options: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the person: paragraphs joined by blank lines, and answer options."""

    parts: tuple[Text, ...]
    options: tuple[Choice, ...] = ()
    kind: str = "prompt"            # prompt (a question; SMS: <= 2 segments) | info (<= 4)


@dataclass(frozen=True, slots=True)
class Given:
    """The person's input, as the channel delivered it."""

    text: str = ""
    kind: str = "text"              # text|choice|location|contact|media|edit|unsupported
    choice: str | None = None       # the value of a pressed button


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about the turn that a dialog may use but not change."""

    language: str = "en"            # the person's locale code, e.g. "pt_BR"; "" when unknown
    source: str | None = None       # deep-link payload or campaign
    # What the channel is like (never its name: a dialog is the same on every channel).
    priced_per_segment: bool = False  # every SMS segment costs the person: shorter messages
    phone_address: bool = False       # the person's address is a phone number (call or SMS it)
    # Language still to settle: a close alternative to offer in one line (pt / pt_BR), or, when
    # ``language`` is "", the few languages a short menu should list (romanised South Asian).
    offer: str | None = None
    languages: tuple[str, ...] = ()
    # The language was only a prior, and what the person just wrote says another: before the
    # first answer, the greeting starts again in that language.
    relanguaged: bool = False
    # Who runs the service (a setting), named in the greeting and the privacy notice; "" for
    # the neutral wording.
    operator: str = ""


@dataclass(slots=True)
class Step:
    """What a dialog decided for one turn."""

    state: str
    record: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    expecting: Expecting | None = None
    outcome: dict[str, Any] | None = None   # programme, eligibility, priority, reasons, rules_version
    actions: tuple[str, ...] = ()           # members of ACTIONS
    language: str | None = None             # the person chose this locale explicitly


class Dialog(Protocol):
    """A conversation flow the engine can run."""

    name: str

    def begin(self, record: Mapping[str, Any], ctx: Context, given: Given | None = None) -> Step:
        """The first turn: greet and ask the first question. ``given`` is the message that
        started the conversation, if any (danger is heard in it)."""
        ...

    def advance(self, state: str, record: Mapping[str, Any], given: Given, ctx: Context) -> Step:
        """Every later turn: parse the input in ``state`` and move on."""
        ...
