"""The same screening, typed in each of the 16 languages through the real pipeline, ends in
the same outcome, with every reply in that language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import locales
from bot.models import Conversation
from channels.base import Inbound
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
    assert (conv.outcome["programme"], conv.outcome["eligibility"]) == ("arvore", "likely_eligible")
    assert conv.status == "handoff"
    app.db.dispose()
