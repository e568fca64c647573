"""``intake demo seed``: made-up people through the real pipeline, spread over the past year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.demo import seed
from core.models import Contact, Conversation
from handoff.models import Case
from handoff.stats.trace import StatsTrace


def test_a_year_of_people_through_the_pipeline(sqlite_db, tmp_path):
    from bot.app import build
    from bot.settings import Settings
    from channels import registry
    from channels.fake import RecordingChannel
    from tests.conftest import TEST_KEYS

    settings = Settings(database_url=sqlite_db.url, encryption_keys=TEST_KEYS, secret_key="test",
                        inline_worker=False, data_dir=tmp_path)
    app = build(settings, channels={name: RecordingChannel(name) for name in registry.NAMES})
    done = seed(app, people=40, seed_value=3, today=date(2026, 6, 30))
    with app.db.sessions() as s:
        months = set(s.scalars(select(StatsTrace.month).distinct()))
        languages = set(s.scalars(select(Conversation.language).distinct()))
        channels = set(s.scalars(select(Conversation.channel).distinct()))
        screened = s.scalar(select(func.count()).select_from(StatsTrace).where(StatsTrace.kind == "screening"))
        outcomes = s.scalar(select(func.count()).select_from(Conversation).where(Conversation.outcome.is_not(None)))
        closed = s.scalar(select(func.count()).select_from(Case).where(Case.status == "closed"))
        newest = s.scalar(select(func.max(Conversation.created_at)))
        people = s.scalar(select(func.count()).select_from(Contact))
    assert done["people"] == 40 and people == 40
    assert len(months) >= 6 and min(months) >= date(2025, 6, 1) and max(months) <= date(2026, 6, 1)
    assert len(languages) >= 5 and channels >= {"whatsapp", "telegram"}
    # Every screening's trace row was written by the pipeline as the outcome was decided
    # (an erased person's outcome keeps its codes too).
    assert screened >= 30 and screened == outcomes
    assert closed > 0 and newest.date() <= date(2026, 6, 27)
    assert all(ch.sent == [] for ch in app.channels.values())  # nothing went anywhere
