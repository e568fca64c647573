"""How an outcome is explained to the person: plain words, the programme content that fits,
and what happens next. Also which outcomes go to a caseworker (the "handoff" action).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.base import N_, Reply, Text
from dialogs.content import item

__all__ = ["details", "explain", "needs_handoff"]

_HANDOFF_PROGRAMMES = frozenset({"arvore", "eu_trafficking_fund", "trafficking_support",
                                 "asylum_info"})

# What happens next, as the person asked to be contacted (contact_preference).
NEXT_HANDOFF = {
    "this_chat": N_("What happens next: a caseworker will read your answers and write to you "
                    "here. It is free, and you can change your mind at any time."),
    "phone_call": N_("What happens next: a caseworker will read your answers and call you. "
                     "It is free, and you can change your mind at any time."),
    "sms": N_("What happens next: a caseworker will read your answers and send you an SMS. "
              "It is free, and you can change your mind at any time."),
    "in_person": N_("What happens next: a caseworker will read your answers and write to you "
                    "here to arrange a meeting. It is free, and you can change your mind at any "
                    "time."),
}
# SMS: the programme's details wait until the person asks for them (each costs segments).
NEXT_HANDOFF_SMS = {
    "this_chat": N_("A caseworker will write to you here. Write 'info' to read more."),
    "phone_call": N_("A caseworker will call you. Write 'info' to read more."),
    "sms": N_("A caseworker will write to you here. Write 'info' to read more."),
    "in_person": N_("A caseworker will write to you here to arrange a meeting. Write 'info' to "
                    "read more."),
}
NEXT_NONE = N_("You can write 'restart' to start again, or 'person' to talk to someone.")

_INTRO: dict[tuple[str, str], str] = {
    ("arvore", "likely_eligible"): N_(
        "From your answers, the ARVoRe programme may be able to help you go home."),
    ("arvore", "needs_review"): N_(
        "ARVoRe may be able to help you go home, but a caseworker must first check "
        "some answers."),
    ("eu_trafficking_fund", "needs_review"): N_(
        "What you describe may be exploitation. You have a right to support and protection."),
    ("trafficking_support", "needs_review"): N_(
        "What you describe may be exploitation. You have a right to support and protection."),
    ("asylum_info", "needs_review"): N_(
        "Because you fear going back, you may have a right to protection in Portugal. "
        "Please get free advice before deciding anything about returning."),
    ("out_of_scope", "not_eligible"): N_(
        "This service is for people who are in Portugal now."),
}
_REFERRAL: dict[str, str] = {
    "undecided": N_("It is fine not to be sure yet. A counsellor can talk with you in "
                    "confidence about your options, with no obligation."),
    "does_not_want_return": N_("The return programme is for people who want to go "
                               "home. These services can help you in Portugal:"),
    "eu_national": N_("The ARVoRe return programme is for people from outside the EU. "
                      "These services can help you:"),
    "eu_family_member": N_("The ARVoRe programme cannot help family members of EU "
                           "citizens. These services can help you:"),
    "previous_beneficiary": N_("ARVoRe helps each person only once, so it cannot help "
                               "you again. These services can help you:"),
}
# Someone else may read the phone: the first line of every message (what a lock screen
# shows) stays neutral, and what is sensitive comes after it.
THANKS = N_("Thank you.")
CONTACTS = N_("Useful contacts:")
MORE_INFO = N_("More information:")
_ARVORE_TOO = N_("If you decide to go home, the ARVoRe programme may also help you.")


def needs_handoff(outcome: Mapping[str, Any]) -> bool:
    """Qualified outcomes, undecided people (counselling) and anyone at risk go to a person."""
    return (outcome["programme"] in _HANDOFF_PROGRAMMES
            or outcome["eligibility"] == "needs_review"
            or outcome["priority"] in ("urgent", "high"))


def _first(reasons: list[str], table: Mapping[str, str]) -> str:
    return next((table[r] for r in reasons if r in table), _REFERRAL["does_not_want_return"])


def _about(programme: str) -> tuple[list[Text], list[Text]]:
    """What the programme offers, and what to bring: each its own message."""
    if programme == "arvore":
        return [item("programmes.arvore")], [item("programmes.arvore_documents")]
    if programme in ("eu_trafficking_fund", "trafficking_support"):
        return [item("programmes.eu_fund" if programme == "eu_trafficking_fund"
                     else "programmes.trafficking")], []
    return [], []


def details(outcome: Mapping[str, Any] | None) -> list[Reply]:
    """The programme's details ('info'); before there is an outcome, what ARVoRe is."""
    blocks = _about(outcome["programme"]) if outcome else ([item("programmes.arvore")], [])
    return [Reply((Text(MORE_INFO), *block), kind="info") for block in blocks if block]


def explain(outcome: Mapping[str, Any], priced_per_segment: bool = False,
            contact: str | None = None) -> list[Reply]:
    """The info replies that tell the person what was decided and what happens next, the way
    they asked to be contacted.

    On SMS the programme's details are left for 'info' and what happens next shares the first
    message: a complete screening stays within 20 segments (bench/sms.py). Contacts a person
    may need (helplines) are sent on every channel."""
    how = contact if contact in NEXT_HANDOFF else "this_chat"
    programme, reasons = outcome["programme"], list(outcome["reasons"])
    if programme == "referral":
        intro = _first(reasons, _REFERRAL)
    else:
        intro = _INTRO.get((programme, outcome["eligibility"]), _INTRO[("arvore", "needs_review")])
    first: list[Text] = [Text(THANKS), Text(intro)]
    # Each message stays within 4 SMS segments in every language, so what a programme offers
    # and what to bring go in their own messages, each under a neutral first line.
    about, about_more = _about(programme)
    more: list[Text] = []
    # Whoever fears going back, or does not know, hears of asylum advice whatever the
    # programme, and is never pointed to their embassy.
    fear = "fears_return" in reasons or "fears_return_unknown" in reasons
    if programme in ("eu_trafficking_fund", "trafficking_support"):
        more.append(item("helplines.trafficking"))
        if "arvore_possible" in reasons:
            more.append(Text(_ARVORE_TOO))
    elif programme == "out_of_scope":
        first.append(item("referrals.abroad"))
    elif programme not in ("arvore", "asylum_info") and "undecided" not in reasons:
        more.append(item("helplines.migrants"))
        if not fear:
            more.append(item("referrals.consulate"))
    if fear or programme == "asylum_info":
        more.append(item("referrals.cpr"))
    if "domestic_violence" in outcome.get("vulnerabilities", ()):
        more.append(item("helplines.violence"))
    handoff = needs_handoff(outcome)
    deferred = priced_per_segment and handoff and bool(about or about_more)
    if deferred:
        first.append(Text(NEXT_HANDOFF_SMS[how]))
    replies = [Reply(tuple(first), kind="info")]
    if not deferred:
        for block in (about, about_more):
            if block:
                replies.append(Reply((Text(MORE_INFO), *block), kind="info"))
    if more:
        replies.append(Reply((Text(CONTACTS), *more), kind="info"))
    if not deferred:
        replies.append(Reply((Text(NEXT_HANDOFF[how] if handoff else NEXT_NONE),), kind="info"))
    return replies
