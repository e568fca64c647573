"""What the person reads about referrals, in every language: the consent question names the
organisation, the details and why, and stays within four SMS segments with its menu; the
answer is read leaning towards not sharing."""

from __future__ import annotations

import pytest

import locales
from channels.twilio import sms_segments
from core.render import Renderer
from handoff.referrals import consent
from handoff.referrals.fields import FIELDS, PURPOSES, field_text, purpose_text
from handoff.referrals.partners import load

SEGMENTS = 4  # an explanation's budget (bot/catalogs.py INFO_SEGMENTS)


class _Pipeline:
    renderer = Renderer(locales.translator, country_name=locales.country_name, number=locales.format_number)


@pytest.mark.parametrize("locale", locales.SUPPORTED)
def test_the_question_names_who_what_and_why_within_four_segments(locale):
    worst = 0
    for partner in load():
        purpose = partner.accepts[0]
        reply = consent.question(_Pipeline, partner, purpose, ["nationality", "district", "phone"], locale)
        rendered = _Pipeline.renderer.reply(reply, locale)
        assert partner.short in rendered.text
        assert _Pipeline.renderer.text(purpose_text(purpose), locale) in rendered.text
        assert _Pipeline.renderer.text(field_text("district"), locale) in rendered.text
        assert [value for _label, value in rendered.options] == ["yes", "no"]
        worst = max(worst, sms_segments(rendered.text, [label for label, _ in rendered.options]))
    assert worst <= SEGMENTS, worst


@pytest.mark.parametrize("locale", [loc for loc in locales.SUPPORTED if loc != "en"])
def test_every_field_and_purpose_is_translated(locale):
    tr = locales.translator(locale)
    for code in FIELDS:
        assert tr.pgettext("referral field", FIELDS[code][0]) != FIELDS[code][0], code
    for code, words in PURPOSES.items():
        assert tr.pgettext("referral purpose", words) != words, code


@pytest.mark.parametrize(("text", "locale", "read"), [
    ("sim", "pt", "yes"), ("1", "hi", "yes"), ("2", "hi", "no"), ("não, obrigado", "pt", "no"),
    ("haan ji", "hi", "yes"), ("нет", "ru", "no"),
    # Not a clear, short yes: left for the caseworker.
    ("sim, mas quem é a APAV?", "pt", None), ("APAV kaun hai?", "hi", None),
    ("ok, I will call you later about this when I finish my shift", "en", None),
    # A withdrawal is never a yes.
    ("withdraw", "en", "withdraw"), ("retirar", "pt", "withdraw"),
])
def test_the_answer_is_read_leaning_towards_not_sharing(text, locale, read):
    assert consent.read_answer(text, None, locale) == read


def test_a_button_is_its_value():
    assert consent.read_answer("whatever the label said", "yes", "en") == "yes"
