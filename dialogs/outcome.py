"""How an outcome is explained to the person: plain words, the programme content that fits,
and what happens next. Also which outcomes go to a caseworker (the "handoff" action).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.base import N_, Reply, Text
from dialogs.content import item
from dialogs.rules import RETURN_RISK
from dialogs.screening import BY_SMS

__all__ = ["details", "explain", "needs_handoff"]

_HANDOFF_PROGRAMMES = frozenset({"arvore", "eu_trafficking_fund", "trafficking_support",
                                 "asylum_info"})

# What happens next, as the person asked to be contacted (contact_preference).
NEXT_HANDOFF = {
    "this_chat": N_("What happens next: a caseworker will read your answers and write to you "
                    "here. It is free, and you can change your mind at any time."),
    "phone_call": N_("What happens next: a caseworker will read your answers and call you. "
                     "It is free, and you can change your mind at any time."),
    BY_SMS: N_("What happens next: a caseworker will read your answers and send you an SMS. "
              "It is free, and you can change your mind at any time."),
    "in_person": N_("What happens next: a caseworker will read your answers and write to you "
                    "here to arrange a meeting. It is free, and you can change your mind at any "
                    "time."),
}
# SMS: the programme's details wait until the person asks for them (each costs segments).
NEXT_HANDOFF_SMS = {
    "this_chat": N_("A caseworker will write to you here. Write 'info' to read more."),
    "phone_call": N_("A caseworker will call you. Write 'info' to read more."),
    BY_SMS: N_("A caseworker will write to you here. Write 'info' to read more."),
    "in_person": N_("A caseworker will write to you here to arrange a meeting. Write 'info' to "
                    "read more."),
}
# No case was opened: say so, and how to reach a person all the same.
NEXT_NONE = N_("We have not passed your answers to a caseworker. Write 'person' if you want to "
               "talk to someone, or 'restart' to start again.")

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
# Said before anything about the programme, whatever it is.
MINOR_ALONE = N_("Because you are under 18, a caseworker will contact you soon to make sure "
                 "you are safe.")
# The free advice on protection (CPR) follows among the contacts, on every channel.
RETURN_RISK_INTRO = N_("Going back to your country may not be safe now. A caseworker will talk "
                       "with you about your safety first.")
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
# English characters per contacts message: with "Useful contacts:" it stays within 4 SMS
# segments once translated, in every language (tests/bot/test_every_locale.py).
_CONTACTS_CHARS = 200


def needs_handoff(outcome: Mapping[str, Any]) -> bool:
    """Qualified outcomes, undecided people (counselling) and anyone at risk go to a person."""
    return (outcome["programme"] in _HANDOFF_PROGRAMMES
            or outcome["eligibility"] == "needs_review"
            or outcome["priority"] in ("urgent", "high"))


def _first(reasons: list[str], table: Mapping[str, str]) -> str:
    return next((table[r] for r in reasons if r in table), _REFERRAL["does_not_want_return"])


def _at_risk(reasons: list[str]) -> bool:
    """Fears going back (or does not know), or would go back where return is not advised."""
    return any(r in reasons for r in ("fears_return", "fears_return_unknown", *RETURN_RISK))


def _about(programme: str) -> tuple[list[Text], list[Text]]:
    """What the programme offers, and what to bring: each its own message."""
    if programme == "arvore":
        return [item("programmes.arvore")], [item("programmes.arvore_documents")]
    if programme in ("eu_trafficking_fund", "trafficking_support"):
        return [item("programmes.eu_fund" if programme == "eu_trafficking_fund"
                     else "programmes.trafficking")], []
    return [], []


def details(outcome: Mapping[str, Any] | None) -> list[Reply]:
    """The programmes' details ('info'), at any point: before an outcome, what ARVoRe is; after
    it, what fits the outcome, and for anyone at risk the asylum advice first."""
    if outcome is None:
        blocks: list[list[Text]] = [[item("programmes.arvore")]]
    else:
        programme, reasons = outcome["programme"], list(outcome["reasons"])
        blocks = [[item("referrals.cpr")]] if _at_risk(reasons) or programme == "asylum_info" \
            else []
        if programme == "out_of_scope":
            blocks.append([item("referrals.abroad"), item("referrals.iom")])
        elif programme != "asylum_info":
            about, about_more = _about(programme)
            blocks += [about, about_more] if about else [[item("programmes.arvore")]]
    return [Reply((Text(MORE_INFO), *block), kind="info") for block in blocks if block]


def _contacts(outcome: Mapping[str, Any]) -> list[Text]:
    """The contacts a person may need, most pressing first. Whoever fears going back, or does
    not know, or would go where return is not advised, hears of asylum advice whatever the
    programme, and is never pointed to their embassy."""
    programme, reasons = outcome["programme"], list(outcome["reasons"])
    at_risk = _at_risk(reasons)
    more: list[Text] = []
    if "minor_alone" in reasons:
        more.append(item("helplines.children"))
    if at_risk or programme == "asylum_info":
        more.append(item("referrals.cpr"))
    if programme in ("eu_trafficking_fund", "trafficking_support"):
        more += [item("helplines.trafficking"), item("helplines.apav")]
        if "arvore_possible" in reasons and not at_risk:
            more.append(Text(_ARVORE_TOO))
    elif programme == "out_of_scope":
        more.append(item("referrals.iom"))
    elif programme == "referral" and "undecided" not in reasons:
        more.append(item("helplines.migrants"))
        if "does_not_want_return" in reasons:
            more.append(item("referrals.aima"))
        if not at_risk:
            more.append(item("referrals.consulate"))
    if "domestic_violence" in outcome.get("vulnerabilities", ()):
        more.append(item("helplines.violence"))
    return more


def _packed(parts: list[Text]) -> list[Reply]:
    """Contacts in as few messages as fit, each under a neutral first line."""
    replies: list[list[Text]] = []
    size = _CONTACTS_CHARS + 1
    for part in parts:
        length = len(part.msgid.format(**part.params)) + 2
        if size + length > _CONTACTS_CHARS:
            replies.append([Text(CONTACTS)])
            size = len(CONTACTS)
        replies[-1].append(part)
        size += length
    return [Reply(tuple(parts), kind="info") for parts in replies]


def _intro(outcome: Mapping[str, Any]) -> str:
    programme, reasons = outcome["programme"], list(outcome["reasons"])
    if "minor_alone" in reasons:
        return MINOR_ALONE
    if programme in ("arvore", "referral") and any(r in reasons for r in RETURN_RISK):
        return RETURN_RISK_INTRO
    if programme == "referral":
        return _first(reasons, _REFERRAL)
    return _INTRO.get((programme, outcome["eligibility"]), _INTRO[("arvore", "needs_review")])


def explain(outcome: Mapping[str, Any], priced_per_segment: bool = False,
            contact: str | None = None) -> list[Reply]:
    """The info replies that tell the person what was decided and what happens next, the way
    they asked to be contacted.

    On SMS the programme's details are left for 'info' and what happens next shares the first
    message: a complete screening stays within 22 segments (bench/sms.py). Contacts a person
    may need (helplines) are sent on every channel; for anyone at risk they come before any
    word about the return programme."""
    how = contact if contact in NEXT_HANDOFF else "this_chat"
    first: list[Text] = [Text(THANKS), Text(_intro(outcome))]
    if outcome["programme"] == "out_of_scope":
        first.append(item("referrals.abroad"))
    # Each message stays within 4 SMS segments in every language, so what a programme offers
    # and what to bring go in their own messages, each under a neutral first line.
    about, about_more = _about(outcome["programme"])
    handoff = needs_handoff(outcome)
    deferred = priced_per_segment and handoff and bool(about or about_more)
    if deferred:
        first.append(Text(NEXT_HANDOFF_SMS[how]))
    programme_replies = [] if deferred else [
        Reply((Text(MORE_INFO), *block), kind="info") for block in (about, about_more) if block]
    contacts = _packed(_contacts(outcome))
    replies = [Reply(tuple(first), kind="info")]
    if _at_risk(list(outcome["reasons"])) or "minor_alone" in outcome["reasons"]:
        replies += contacts + programme_replies
    else:
        replies += programme_replies + contacts
    if not deferred:
        replies.append(Reply((Text(NEXT_HANDOFF[how] if handoff else NEXT_NONE),), kind="info"))
    return replies
