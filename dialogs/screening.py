"""The screening flow as data: its questions, transitions and guards (diagram: screening.mmd).

Order: consent, safety, situation, nationality, return wish, fear of return, then (only for
people ARVoRe could help) destination, household, documents, previous help and legal
impediment; then an optional gentle block on exploitation, vulnerabilities and contact.
Questions whose answer is implied are skipped by the guards (EU nationals never see
ARVoRe-only questions; someone who fears return is not asked about travel).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.base import N_, Choice, Text
from dialogs.engine import Flow, Question
from dialogs.places import EU

__all__ = ["CONTACT_OPTIONS", "EXPLOITATION", "FLOW", "INDICATORS", "NEEDS_NUMBER"]


def _c(value: str, label: str) -> Choice:
    return Choice(value, Text(label))


YES, NO = _c("yes", N_("Yes")), _c("no", N_("No"))
DONT_KNOW = _c("unknown", N_("I don't know"))
SKIP = _c("skip", N_("Skip these questions"))
YES_NO, YES_NO_UNKNOWN = (YES, NO), (YES, NO, DONT_KNOW)

HINT_YES_NO = N_("Please answer yes or no, or reply with the number of an option.")
HINT_CHOICE = N_("Please reply with the number of one of the options.")
HINT_NUMBER = N_("Please write a number, for example 1 or 3.")
HINT_COUNTRY = N_("Please write a country, for example Brasil, Angola, India or Ukraine.")


def _yes_no(state: str, prompt: str, unknown: bool = False, **kw: Any) -> Question:
    return Question(state, state, "yes_no", prompt, HINT_YES_NO,
                    YES_NO_UNKNOWN if unknown else YES_NO, allow_unknown=unknown, **kw)


# How the team reaches the person; the closing message and the case card say which. "sms"
# is a record value (the contract's contact_preference), a way to be reached, not a channel.
BY_SMS = "sms"
CONTACT_OPTIONS = (_c("this_chat", N_("Here in this chat")), _c("phone_call", N_("A phone call")),
                   _c(BY_SMS, N_("By SMS")), _c("in_person", N_("In person, at an office")))
NEEDS_NUMBER = frozenset({"phone_call", BY_SMS})
# Yes at the overall exploitation question: an indicator even if every detail is skipped.
EXPLOITATION = "exploitation_reported"

# The trafficking indicator questions (DOMAIN.md §3.3, ACM self-screening leaflet), in order.
INDICATORS: tuple[tuple[str, str], ...] = (
    ("documents_withheld", N_("Does someone else keep your passport or documents against your will?")),
    ("unpaid_wages", N_("Have you worked without being paid what you were promised?")),
    ("debt", N_("Do you owe money to the people who brought you here or gave you work?")),
    ("movement_restricted", N_("Are you stopped from leaving your work or home, or watched all the time?")),
    ("threats_or_violence", N_("Has anyone hurt or threatened you or your family?")),
    ("deceived_about_work", N_("Was the job or housing different from what you were promised?")),
    ("forced_activity", N_("Has anyone forced you to do things you did not want, like begging or sex work?")),
)

QUESTIONS: tuple[Question, ...] = (
    _yes_no("consent", N_("Do you agree that we keep your answers to help you?"), required=True,
            why=N_("We need your OK to keep your answers: without it we cannot see which help "
                   "fits you. You can also talk to a person."), intro=N_(
        "Hello. This service is free and confidential.\n"
        "I can help you find support if you want to go home from Portugal, are stuck or unsafe. "
        "Only our caseworkers see your answers. Write 'privacy' to read more, 'delete' to erase "
        "your data."), sms_intro=N_(
        "Hello. This service is free and confidential. Write 'delete' to erase your data, "
        "'privacy' to read more.")),
    _yes_no("in_danger_now", N_("First, do you need urgent help right now?")),
    _yes_no("in_portugal", N_("Are you in Portugal now?")),
    Question("district", "district", "district",
             N_("In which district or town of Portugal are you? For example: Lisboa, Porto, Faro."),
             N_("Please write a district or town, for example Lisboa, Porto, Setúbal or Faro."),
             (DONT_KNOW,), allow_unknown=True),
    Question("nationality", "nationality", "country",
             N_("What is your nationality? Write your country, for example Brasil, India, Nepal."),
             HINT_COUNTRY),
    _yes_no("eu_family_member",
            N_("Are you the husband, wife, partner, child or parent of a citizen of an EU country?"),
            unknown=True),
    Question("wants_to_return", "wants_to_return", "choice",
             N_("Do you want to return to your country?"), HINT_CHOICE,
             (YES, NO, _c("unsure", N_("I am not sure yet")))),
    _yes_no("fears_return", N_("Are you afraid of what could happen to you if you go back?"),
            unknown=True),
    Question("destination_country", "destination_country", "country",
             N_("To which country do you want to go? Write it, or choose your own country."),
             HINT_COUNTRY, (_c("same_as_nationality", N_("My own country")),)),
    Question("household_size", "household_size", "number",
             N_("How many people would travel, counting you? Write a number, for example 1 or 3."),
             HINT_NUMBER),
    Question("minors_count", "minors_count", "number",
             N_("How many of them are under 18 years old?"), HINT_NUMBER),
    _yes_no("is_minor_alone", N_("Are you under 18 years old?"), under_age=18),
    Question("travel_document", "travel_document", "choice", N_("Do you have a passport?"),
             HINT_CHOICE, (_c("valid_passport", N_("Yes, a valid one")),
                           _c("expired_passport", N_("Yes, but it has expired")),
                           _c("held_by_other", N_("Someone else keeps it")),
                           _c("none", N_("No passport"))),
             negative="none", plain=("valid_passport",)),
    _yes_no("previous_return_assistance",
            N_("Have you ever had help from IOM or ARVoRe to return home before?"), unknown=True),
    # Only a return already made with ARVoRe excludes (DOMAIN.md §1.2); other help is looked at.
    _yes_no("returned_with_arvore",
            N_("Did you already travel home once with the ARVoRe programme?"), unknown=True),
    Question("legal_impediment", "legal_impediment", "choice",
             N_("Do you have a case with the police or a court in Portugal that could stop you leaving?"),
             HINT_CHOICE, (YES, NO, DONT_KNOW)),
    Question("work_safety", "trafficking_indicators", "yes_no_skip",
             N_("At work or where you live, has anyone taken your documents, not paid you, threatened or controlled you?"),
             HINT_YES_NO, (YES, NO, SKIP), intro=N_(
                 "The next questions are optional. Answer only if you feel safe.\n"
                 "Some people who come to Portugal to work are deceived or exploited.")),
    *(Question(f"tip_{code}", "trafficking_indicators", "yes_no_skip", prompt, HINT_YES_NO,
               (YES, NO, SKIP), code=code) for code, prompt in INDICATORS),
    Question("vulnerabilities", "vulnerabilities", "multi_choice",
             N_("Does any of this apply to you? You can choose more than one, for example: 1 3"),
             N_("Please reply with the numbers that apply, for example 1 3, or 'none'."),
             sms_prompt=N_("Do any of these apply to you? You can choose more than one."), options=(_c("pregnant", N_("Pregnant")), _c("medical", N_("Serious illness")),
              _c("disability", N_("Disability")), _c("elderly", N_("Older person (65+)")),
              _c("homeless", N_("No safe place to sleep")),
              _c("domestic_violence", N_("Violence at home")), _c("none", N_("None of these"))),
             negative="none"),
    Question("contact_preference", "contact_preference", "choice",
             N_("How would you like our team to contact you?"), HINT_CHOICE, CONTACT_OPTIONS),
    Question("contact_phone", "contact_phone", "phone",
             N_("Which phone number should we use? Give it only if it is safe for you."),
             N_("Please write the number, for example 912 345 678, or 'skip'.")),
)


def _t(source: str, dest: str, *guards: str, unless: tuple[str, ...] = ()) -> dict[str, Any]:
    spec: dict[str, Any] = {"source": source, "dest": dest}
    if guards:
        spec["conditions"] = list(guards)
    if unless:
        spec["unless"] = list(unless)
    return spec


_TIPS = [f"tip_{code}" for code, _ in INDICATORS]
TRANSITIONS: tuple[dict[str, Any], ...] = (
    _t("consent", "ended", "said_no"),
    _t("consent", "in_portugal", "danger_known"),
    _t("consent", "in_danger_now"),
    _t("in_danger_now", "in_portugal"),
    _t("in_portugal", "done", "said_no"),
    _t("in_portugal", "district"),
    _t("district", "nationality"),
    _t("nationality", "wants_to_return", "eu_national"),
    _t("nationality", "eu_family_member"),
    _t("eu_family_member", "wants_to_return"),
    _t("wants_to_return", "fears_return"),  # of everyone: staying may be fleeing
    _t("fears_return", "destination_country", "arvore_path", unless=("said_yes",)),
    _t("fears_return", "work_safety"),
    _t("destination_country", "household_size"),
    _t("household_size", "minors_count", "travels_with_others"),
    _t("household_size", "is_minor_alone"),
    _t("minors_count", "travel_document"),
    _t("is_minor_alone", "travel_document"),
    _t("travel_document", "previous_return_assistance"),
    _t("previous_return_assistance", "returned_with_arvore", "said_yes"),
    _t("previous_return_assistance", "legal_impediment"),
    _t("returned_with_arvore", "work_safety", "said_yes"),
    _t("returned_with_arvore", "legal_impediment"),
    _t("legal_impediment", "work_safety"),
    _t("work_safety", _TIPS[0], "said_yes"),
    _t("work_safety", "vulnerabilities"),
    *(t for here, then in zip(_TIPS, [*_TIPS[1:], "vulnerabilities"], strict=True)
      for t in (_t(here, "vulnerabilities", "skipped"), _t(here, then))),
    _t("vulnerabilities", "contact_preference"),
    _t("contact_preference", "contact_phone", "needs_number"),
    _t("contact_preference", "done"),
    _t("contact_phone", "done"),
)


def _arvore_path(record: Mapping[str, Any], value: Any) -> bool:
    """Only a third-country national who wants to return needs ARVoRe's practical questions
    (family of an EU citizen too: whether that excludes them is for a caseworker to see)."""
    return record.get("wants_to_return") == "yes" and record.get("nationality") not in EU


GUARDS = {
    "said_yes": lambda record, value: value is True,
    "said_no": lambda record, value: value is False,
    "skipped": lambda record, value: value == "skip",
    "danger_known": lambda record, value: record.get("in_danger_now") is True,
    "eu_national": lambda record, value: record.get("nationality") in EU,
    "arvore_path": _arvore_path,
    "travels_with_others": lambda record, value: isinstance(value, int) and value > 1,
    # A call or an SMS, and the number is not the one the person writes from.
    "needs_number": lambda record, value: value in NEEDS_NUMBER and not record.get("contact_phone"),
}

FLOW = Flow(name="screening", initial="consent", questions=QUESTIONS, endings=("done", "ended"),
            transitions=TRANSITIONS, guards=GUARDS, source=__file__)
