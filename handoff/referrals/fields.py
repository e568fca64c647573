"""What a referral may carry, and why it is made: the codes, the words the person reads in the
consent question, and the values taken from the case at the moment of sending.

Nothing is shared by default: a caseworker ticks each field, the person agrees to those
fields by name, and the transcript is never one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.base import Text
from handoff.i18n import field_value

__all__ = ["FIELDS", "PURPOSES", "field_text", "purpose_text", "values_of"]

FIELD_CONTEXT = "referral field"
PURPOSE_CONTEXT = "referral purpose"


def pgettext(context: str, message: str) -> str:
    """Marks a message with its context for extraction; translation happens on rendering."""
    return message


# code -> (the words in the consent question, record keys it reads)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "phone": (pgettext("referral field", "your phone number"), ("contact_phone",)),
    "language": (pgettext("referral field", "your language"), ()),
    "nationality": (pgettext("referral field", "your nationality"), ("nationality",)),
    "district": (pgettext("referral field", "where you are in Portugal"), ("district",)),
    "household": (pgettext("referral field", "how many people are with you"),
                  ("household_size", "minors_count")),
    "travel_document": (pgettext("referral field", "your travel documents"), ("travel_document",)),
    "situation": (pgettext("referral field", "what you told us about your work and living conditions"),
                  ("trafficking_indicators",)),
    "vulnerabilities": (pgettext("referral field", "your health and special needs"), ("vulnerabilities",)),
    "destination_country": (pgettext("referral field", "the country you want to go to"),
                            ("destination_country",)),
}

PURPOSES: dict[str, str] = {
    "victim_support": pgettext("referral purpose", "support for victims of crime"),
    "legal_advice": pgettext("referral purpose", "free legal advice"),
    "asylum": pgettext("referral purpose", "help to ask for asylum and protection"),
    "shelter": pgettext("referral purpose", "a safe place to stay"),
    "child_protection": pgettext("referral purpose", "protection for a child"),
    "return_help": pgettext("referral purpose", "help to return home"),
    "documents": pgettext("referral purpose", "help with documents and residence"),
    "consular": pgettext("referral purpose", "help from your country's consulate"),
}

# The caseworker's and the partner's words for the same codes (console and referral sheet).
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "phone": ("Phone number", "Número de telefone"),
    "language": ("Language", "Língua"),
    "nationality": ("Nationality", "Nacionalidade"),
    "district": ("District", "Distrito"),
    "household": ("Household", "Agregado"),
    "travel_document": ("Travel document", "Documento de viagem"),
    "situation": ("Work and living conditions", "Condições de trabalho e de vida"),
    "vulnerabilities": ("Health and special needs", "Saúde e necessidades especiais"),
    "destination_country": ("Country of return", "País de regresso"),
}
PURPOSE_NAMES: dict[str, tuple[str, str]] = {
    "victim_support": ("Victim support", "Apoio à vítima"),
    "legal_advice": ("Free legal advice", "Apoio jurídico gratuito"),
    "asylum": ("Asylum and protection", "Asilo e proteção"),
    "shelter": ("Safe accommodation", "Acolhimento seguro"),
    "child_protection": ("Child protection", "Proteção de crianças"),
    "return_help": ("Return home", "Regresso ao país de origem"),
    "documents": ("Documents and residence", "Documentos e residência"),
    "consular": ("Consular help", "Apoio consular"),
}


def field_text(code: str) -> Text:
    return Text(FIELDS[code][0], context=FIELD_CONTEXT)


def purpose_text(code: str) -> Text:
    return Text(PURPOSES[code], context=PURPOSE_CONTEXT)


def field_name(code: str, lang: str) -> str:
    pair = FIELD_NAMES.get(code, (code, code))
    return pair[1] if lang == "pt" else pair[0]


def purpose_name(code: str, lang: str) -> str:
    pair = PURPOSE_NAMES.get(code, (code, code))
    return pair[1] if lang == "pt" else pair[0]


def values_of(fields: list[str], record: Mapping[str, Any], language: str | None,
              phone_address: str | None, lang: str = "pt") -> dict[str, str]:
    """The chosen fields' values as a partner reads them (in ``lang``); a field the person never
    answered reads "—". ``phone_address`` is the number they write from, on SMS and WhatsApp."""
    out: dict[str, str] = {}
    for code in fields:
        if code == "language":
            out[code] = field_value("language", language, lang)
        elif code == "phone":
            number = record.get("contact_phone")
            if number == "this_number" or (not number and phone_address):
                number = phone_address
            out[code] = str(number) if number else "—"
        elif code == "household":
            size, minors = record.get("household_size"), record.get("minors_count")
            if size is None and minors is None:
                out[code] = "—"
            else:
                adults = "—" if size is None else str(size)
                children = "—" if minors is None else str(minors)
                out[code] = (f"{adults} pessoas, das quais {children} menores" if lang == "pt"
                             else f"{adults} people, of whom {children} minors")
        else:
            key = FIELDS[code][1][0]
            value = record.get(key)
            out[code] = "—" if value in (None, "", []) else field_value(key, value, lang)
    return out
