"""The same screening, typed in each of the 16 languages through the real pipeline, ends in
the same outcome, with every reply in that language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import locales
from channels.base import Inbound
from core.models import Conversation
from dialogs.return_safety import RETURN_SAFETY
from tests.dialogs.test_screening import PER_LOCALE

CONSENT = "Do you agree that we keep your answers to help you?"


@pytest.mark.parametrize(("lang", "yes", "no", "town", "country", "none"), PER_LOCALE,
                         ids=[row[0] for row in PER_LOCALE])
def test_simple_case_in_every_locale_through_the_pipeline(sqlite_db, tmp_path, lang, yes, no, town, country, none):
    from bot.app import build
    from channels.fake import RecordingChannel
    from tests.bot.conftest import settings_for

    app = build(settings_for(sqlite_db, tmp_path), channels={"fake": RecordingChannel("fake")})
    address = f"+3519100{abs(hash(lang)) % 100000:05d}"
    first = app.pipeline.handle(Inbound(channel="fake", address=address, kind="start", meta={"language": lang}))
    tr = locales.translator(lang)
    assert first.language == lang
    assert first.replies[-1].text == tr.gettext(CONSENT)
    assert [o["label"] for o in first.expecting["options"]] == [tr.gettext("Yes"), tr.gettext("No")]
    if lang != "en":
        assert tr.gettext(CONSENT) != CONSENT, f"{lang} has no translation of the consent question"
    says = [yes, no, yes, town, country, no, yes, no, "1", "1", no, "1", no, no, no, none, "1"]
    for text in says:
        turn = app.pipeline.handle(Inbound(channel="fake", address=address, text=text))
        assert turn.language == lang, (text, turn.language)  # short answers never switch language
    with app.db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
    # Going back to Ukraine is not advised now (the return-safety list): a caseworker looks.
    listed = RETURN_SAFETY.advice(conv.record["nationality"]) is not None
    assert (conv.outcome["programme"], conv.outcome["eligibility"]) == (
        "arvore", "needs_review" if listed else "likely_eligible")
    assert ("return_not_advised" in conv.outcome["reasons"]) is listed
    assert conv.status == "handoff"
    app.db.dispose()


@pytest.mark.parametrize(("lang", "yes", "no", "town", "country", "none"), PER_LOCALE,
                         ids=[row[0] for row in PER_LOCALE])
def test_every_sms_of_a_screening_fits_its_segment_budget(lang, yes, no, town, country, none):
    """As SMS sends them (text, numbered menu, accents folded when it pays; a greeting that
    would push its question past 2 segments in a message of its own, as the pipeline does): a
    question at most 2 segments, anything else at most 4."""
    from channels.segments import cheapest, count_segments
    from channels.twilio import render_menu
    from core.render import Renderer
    from dialogs.base import Reply
    from tests.dialogs.transcript import run

    renderer = Renderer(locales.translator, locales.country_name, locales.format_number)

    def segments(reply: Reply) -> int:
        rendered = renderer.reply(reply, lang)
        return count_segments(cheapest(render_menu(rendered.text,
                                                   [label for label, _ in rendered.options])))

    says = [yes, no, yes, town, country, no, yes, no, "1", "1", no, "1", no, no, no, none, "1"]
    for step in run(says, lang, channel="sms"):
        for reply in step.replies:
            sent = [reply]
            if reply.options and len(reply.parts) > 1 and segments(reply) > 2:
                sent = [Reply(reply.parts[:-1], kind="info"), Reply(reply.parts[-1:], reply.options)]
            for message in sent:
                budget = 2 if message.options else 4
                assert segments(message) <= budget, (lang, message.parts[0].msgid[:80])


@pytest.mark.parametrize("lang", locales.SUPPORTED)
def test_every_outcome_message_fits_four_sms_segments(lang):
    """What each outcome says (the scenarios of the outcome rules, most contacts at once) stays
    within 4 segments per message, in every language, as SMS sends it."""
    from channels.segments import cheapest, count_segments
    from core.render import Renderer
    from dialogs.outcome import explain
    from dialogs.rules import decide
    from tests.dialogs.test_rules import BASE

    renderer = Renderer(locales.translator, locales.country_name, locales.format_number)
    changes = [{"nationality": "UA"}, {"nationality": "SY", "wants_to_return": "no", "fears_return": True},
               {"nationality": "AF", "wants_to_return": "unsure", "fears_return": None},
               {"household_size": 1, "is_minor_alone": True},
               {"nationality": "NP", "wants_to_return": "no", "fears_return": True,
                "trafficking_indicators": ["debt"], "vulnerabilities": ["domestic_violence"]},
               {"trafficking_indicators": ["debt"], "vulnerabilities": ["domestic_violence"]},
               {"wants_to_return": "no", "vulnerabilities": ["domestic_violence"]},
               {"in_portugal": False}, {"nationality": "RO"},
               {"previous_return_assistance": True, "returned_with_arvore": True}]
    for change in changes:
        record = {**BASE, **change}
        outcome = {**decide(record), "vulnerabilities": record["vulnerabilities"]}
        for sms in (True, False):
            for reply in explain(outcome, priced_per_segment=sms):
                text = renderer.reply(reply, lang).text
                assert count_segments(cheapest(text)) <= 4, (lang, change, text[:120])
