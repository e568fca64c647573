"""Message ids shared by every flow: re-asks, command replies, the emergency and help notes.

Every string is English source text marked with N_ so that Babel extracts it; translation
happens when the pipeline sends the reply.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs.base import N_, Reply, Text
from dialogs.content import item
from locales.negotiate import native_name

__all__ = ["emergency_reply", "help_reply", "offer_language", "privacy_replies", "privacy_short",
           "run_by"]

NOT_UNDERSTOOD = N_("Sorry, I did not understand.")
MOVING_ON = N_("Let's go on.")
NO_PROBLEM = N_("No problem.")
# Offered in the language it offers, when the first message was close to two (pt / pt_BR).
OFFER_LANGUAGE = N_("To continue in {language}, write {word}.")
OFFER_PERSON = N_("You can also choose to talk to a person.")
STOPPED = N_("OK, you will get no more messages from us. Write again at any time if you need help.")
PERSON_COMING = N_("OK. A person from our team will write to you here as soon as possible.")
CHOOSE_LANGUAGE = N_("Choose your language:")
# Shown before we know any language, so it is written in several at once and never translated.
CHOOSE_LANGUAGE_ANY = "Language / Língua / Idioma / Langue / Мова / Язык / भाषा / زبان / 语言:"
CONFIRM_ERASE = N_("Delete everything you told us? This cannot be undone.")
ERASED = N_("Done. We deleted your data. You can write again at any time.")
NOT_ERASED = N_("OK, nothing was deleted.")
# 'withdraw': the person takes back any agreement to share their details with an organisation.
WITHDRAWN = N_("Done. We will not share your details with any organisation.")
LANGUAGE_SET = N_("OK.")
TEXT_ONLY = N_("Sorry, I can only read text messages here.")
NOTICE_VERSION = "2026-11"

_NUMBERS = N_("Useful numbers:")
_DANGER = N_("If you are in danger now, call these numbers. We are also telling our team now.")
_HELP = N_(
    "You can write at any time: 'language', 'person' (talk to a person), 'restart', 'privacy', "
    "'delete' (delete your data), 'stop' or 'exit'. In danger? Call 112."
)
_PRIVACY_SHORT = N_(
    "Your answers are confidential. Only our caseworkers see them, to help you. You can ask us "
    "to delete them at any time. Write 'privacy' to read more."
)
# Who runs the service: the operator the deployer names (a setting), or neutral words.
_RUN_BY = N_("This service is run by {operator}.")
_RUN_BY_NEUTRAL = N_("This service is run by a team that helps migrants in Portugal.")
_WHO_SEES = N_("Who sees it: our caseworkers only. We share it with a programme (such as IOM) "
               "only if you agree. The messaging app and phone company also see that you wrote "
               "to us.")
_WHO_SEES_OPERATOR = N_("Who sees it: only the caseworkers of {operator}. We share it with a "
                        "programme (such as IOM) only if you agree. The messaging app and phone "
                        "company also see that you wrote to us.")
_PRIVACY_FULL = (
    N_("What we keep: your answers and messages here, your language and how to reach you. "
       "Why: to see which help fits you and to let a caseworker contact you."),
    _WHO_SEES,
    N_("Your rights: write 'delete' to erase your data, 'stop' to get no more messages. "
       "If someone else may read your phone, write 'exit' to leave quickly."),
)


def emergency_reply(locale: str | None = None) -> Reply:
    """Emergency numbers first (DOMAIN.md §3.2): 112 and the trafficking support line; in
    ``locale`` when the conversation's language is not settled yet (the best guess)."""
    # A neutral first line: a lock screen may show it to whoever holds the phone.
    parts: tuple[Text, ...] = (Text(_NUMBERS), item("helplines.emergency"),
                               item("helplines.trafficking"), Text(_DANGER))
    if locale:
        parts = tuple(replace(part, locale=locale) for part in parts)
    return Reply(parts, kind="info")


# What a person types to take up the offer: a word every keyboard has, parse_language reads.
_OFFER_WORDS = {"pt": "PT", "pt_BR": "BR"}


def offer_language(locale: str) -> Reply:
    """One short line, in ``locale``, offering to continue in it."""
    word = _OFFER_WORDS.get(locale, native_name(locale))
    return Reply((Text(OFFER_LANGUAGE, {"language": native_name(locale), "word": word},
                       locale=locale),), kind="info")


def help_reply() -> Reply:
    return Reply((Text(_HELP),), kind="info")


def privacy_short() -> Text:
    return Text(_PRIVACY_SHORT)


def run_by(operator: str = "") -> Text:
    """Who runs the service, for the greeting."""
    return Text(_RUN_BY, {"operator": operator}) if operator else Text(_RUN_BY_NEUTRAL)


def privacy_replies(operator: str = "") -> list[Reply]:
    """The full notice, one short message per paragraph (each fits 4 SMS segments); the
    paragraph on who sees the data names the operator when there is one."""
    return [Reply((Text(_WHO_SEES_OPERATOR, {"operator": operator}) if p == _WHO_SEES and operator
                   else Text(p),), kind="info") for p in _PRIVACY_FULL]
