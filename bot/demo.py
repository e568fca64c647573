"""``intake demo seed``: a year of made-up people, through the real pipeline, for the Reports
page and the export to show something on ``make run``.

Each person writes through ``Pipeline.handle`` on a channel, in a language, and answers what
the bot asks (buttons where it offers them, country names in their language, numbers): the
screening, the outcome, the case and the statistical trace are the application's own. A demo
caseworker claims most cases, replies after a while and closes them. Some people are in
danger, some opt out, some erase their data. Turns happen now; then each person's rows are
dated back to a day of the past year (their timestamps, and the trace's month and week), so
the figures spread over twelve months. Nothing is sent: their messages are marked sent.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import func, select, update

from channels.registry import capabilities

__all__ = ["register", "seed"]

# Who writes (locale, channel, nationality, weight), roughly as IOM Portugal's caseload: data,
# beside this module, as only channels/ names a channel in code.
PEOPLE = tuple(tuple(row) for row in json.loads(
    (Path(__file__).with_name("demo_people.json")).read_text(encoding="utf-8"))["people"])
INDICATORS = ("documents_withheld", "unpaid_wages", "debt", "movement_restricted", "threats_or_violence",
              "deceived_about_work")
VULNERABILITIES = ("pregnant", "medical", "disability", "elderly", "homeless", "domestic_violence")
OUTCOME_OF = {"arvore": "referred_arvore", "eu_trafficking_fund": "referred_eu_trafficking_fund",
              "trafficking_support": "referred_trafficking_support", "asylum_info": "referred_asylum",
              "referral": "referred_other"}


@dataclass
class Persona:
    """What one made-up person answers."""

    locale: str
    channel: str
    nationality: str
    answers: dict[str, Any] = field(default_factory=dict)
    indicators: tuple[str, ...] = ()
    vulnerabilities: tuple[str, ...] = ()
    leaves: str | None = None  # stop | erase, part way through


def _persona(rng: random.Random) -> Persona:
    locale, channel, nationality, _ = rng.choices(PEOPLE, weights=[p[3] for p in PEOPLE])[0]
    wants = rng.choices(("yes", "unsure", "no"), weights=(75, 15, 10))[0]
    answers = {
        "consent": "yes", "in_danger_now": "yes" if rng.random() < 0.03 else "no",
        "in_portugal": "yes" if rng.random() < 0.95 else "no", "eu_family_member": "no",
        "wants_to_return": wants, "fears_return": "yes" if rng.random() < 0.08 else "no",
        "travel_document": rng.choices(("valid_passport", "expired_passport", "none", "held_by_other"),
                                       weights=(60, 25, 10, 5))[0],
        "previous_return_assistance": "yes" if rng.random() < 0.05 else "no",
        "legal_impediment": rng.choices(("no", "unknown", "yes"), weights=(80, 15, 5))[0],
        "is_minor_alone": "no", "contact_preference": "this_chat", "household_size": rng.choice((1, 1, 1, 2, 3, 4)),
        "minors_count": rng.choice((0, 0, 0, 1, 2)),
        "district": rng.choice(("Lisboa", "Porto", "Faro", "Setúbal", "Braga", "Beja", "Leiria")),
    }
    exploited = rng.random() < 0.12
    return Persona(
        locale, channel, nationality, answers,
        tuple(rng.sample(INDICATORS, rng.randint(1, 3))) if exploited else (),
        tuple(rng.sample(VULNERABILITIES, 1)) if rng.random() < 0.15 else (),
        rng.choices((None, "stop", "erase"), weights=(94, 3, 3))[0],
    )


def _answer(persona: Persona, expecting: dict[str, Any], asked: int) -> tuple[str, str | None]:
    """(text, choice) for what the bot asks; a question asked again gets a simpler answer."""
    name, kind = expecting["field"], expecting["type"]
    values = [o["value"] for o in expecting.get("options") or []]
    if name == "language" and persona.locale in values:
        return persona.locale, persona.locale
    if name == "trafficking_indicators" and expecting.get("code"):
        said = "yes" if expecting["code"] in persona.indicators else "no"
        return said, said
    if name == "trafficking_indicators":  # the gentle question before the details
        said = "yes" if persona.indicators else "no"
        return said, said if said in values else None
    if name == "vulnerabilities":
        numbers = [str(values.index(v) + 1) for v in persona.vulnerabilities if v in values]
        return (" ".join(numbers), None) if numbers else ("none", "none")
    if kind == "country":
        if name == "destination_country" and "same_as_nationality" in values:
            return "same_as_nationality", "same_as_nationality"
        if asked > 1 and "talk_to_person" in values:
            return "talk_to_person", "talk_to_person"
        return Locale.parse(persona.locale).territories.get(persona.nationality, persona.nationality), None
    wanted = persona.answers.get(name)
    if values:
        chosen = str(wanted) if str(wanted) in values else ("no" if "no" in values else values[-1])
        return chosen, chosen
    return str(wanted if wanted is not None else 1), None


def _talk(app: Any, persona: Persona, address: str, rng: random.Random) -> int | None:
    """One person's conversation, through the pipeline; returns its conversation id."""
    from channels.base import Inbound

    def send(text: str, choice: str | None = None) -> Any:
        return app.pipeline.handle(Inbound(
            channel=persona.channel, address=address, text=text, kind="choice" if choice else "text",
            choice=choice, locale_hint=persona.locale, provider_id=secrets.token_hex(8)))

    turn = send(rng.choice(("Olá", "Hello", "Hi", "Bom dia")))
    last, asked, steps = None, 0, 0
    while turn.expecting and steps < 60:
        steps += 1
        if persona.leaves and steps == 6:
            turn = send(persona.leaves)
            if persona.leaves == "erase" and turn.expecting:
                turn = send("yes", "yes")
            return turn.conversation_id
        name = turn.expecting["field"]
        asked = asked + 1 if name == last else 1
        last = name
        turn = send(*_answer(persona, turn.expecting, asked))
    return turn.conversation_id


def _caseworker(app: Any) -> Any:
    from handoff import auth
    from handoff.models import Caseworker

    email = "demo.caseworker@example.org"
    with app.db.transaction() as s:
        found = s.scalars(select(Caseworker).where(Caseworker.email == email)).first()
        if found is None:  # nobody signs in as them: the password is thrown away
            found = auth.add_caseworker(s, email, "Demo caseworker", "caseworker", ["pt", "en"],
                                        secrets.token_urlsafe(24))
        s.expunge(found)
        return found


def _work_case(app: Any, conv_id: int, cw: Any, rng: random.Random, back: int) -> None:
    """A caseworker claims the case, replies after a while and, mostly, closes it."""
    from handoff.errors import HandoffError

    try:
        _reply_and_close(app, conv_id, cw, rng, back)
    except HandoffError:  # the person opted out or erased meanwhile: nobody may write to them
        return


def _reply_and_close(app: Any, conv_id: int, cw: Any, rng: random.Random, back: int) -> None:
    from handoff import queue
    from handoff.models import Case
    from handoff.reply import send_reply

    with app.db.transaction() as s:
        case = s.scalars(select(Case).where(Case.conversation_id == conv_id, Case.status != "closed")).first()
        if case is None or rng.random() < (0.5 if back < 10 else 0.04):
            return  # still waiting for a caseworker
        # WhatsApp takes a free-form reply only within 24 hours of the person's last message.
        waits = (5, 20, 45, 90, 180, 400, 900) + (() if capabilities(case.channel).window else (2000, 4000))
        now = case.opened_at + timedelta(minutes=rng.choice(waits))
        cw = s.merge(cw)
        queue.claim(s, case.id, cw, now)
        sent = send_reply(s, app.pipeline, case.id, cw, now, template_code=None,
                          text="Olá, sou técnico da equipa. Podemos falar aqui.")
        s.flush()
        _date_message(s, sent["id"], now)
        if rng.random() < 0.85:
            queue.close(s, case.id, cw, OUTCOME_OF.get(case.programme or "", "information_given"),
                        now + timedelta(days=rng.randint(1, max(1, min(20, back - 3)))))


def _date_message(s: Any, message_id: int, when: datetime) -> None:
    from core.models import Message, Outbox

    s.execute(update(Message).where(Message.id == message_id).values(created_at=when))
    s.execute(update(Outbox).where(Outbox.id == message_id).values(created_at=when, next_attempt_at=when))


def _date_back(app: Any, contact_id: int, first_trace: int, day: datetime) -> None:
    """Move every timestamp of one person back to ``day`` (the trace's month and week too)."""
    from core.models import Contact, Conversation, Message, Outbox
    from handoff.models import AuditEntry, Case, Notification
    from handoff.stats.trace import StatsTrace, month_of, week_of

    with app.db.transaction() as s:
        contact = s.get(Contact, contact_id)
        assert contact is not None
        shift = contact.created_at - day
        rows: list[Any] = [contact]
        convs = s.scalars(select(Conversation).where(Conversation.contact_id == contact_id)).all()
        ids = [c.id for c in convs]
        rows += convs
        rows += s.scalars(select(Message).where(Message.conversation_id.in_(ids))).all()
        rows += s.scalars(select(Outbox).where(Outbox.conversation_id.in_(ids))).all()
        cases = s.scalars(select(Case).where(Case.contact_id == contact_id)).all()
        rows += cases
        case_ids = [c.id for c in cases]
        rows += s.scalars(select(AuditEntry).where(AuditEntry.case_id.in_(case_ids))).all()
        rows += s.scalars(select(Notification).where(Notification.case_id.in_(case_ids))).all()
        for found in rows:
            for column in found.__table__.columns:
                value = getattr(found, column.key)
                if isinstance(value, datetime):
                    setattr(found, column.key, value - shift)
        for out in s.scalars(select(Outbox).where(Outbox.conversation_id.in_(ids))):
            if out.status in ("pending", "sending"):
                out.status, out.sent_at, out.lease_until = "sent", out.created_at, None
        s.execute(update(Message).where(Message.conversation_id.in_(ids), Message.status == "queued")
                  .values(status="sent"))
        local = day.astimezone(app.handoff.policy.office.zone).date()
        s.execute(update(StatsTrace).where(StatsTrace.id >= first_trace)
                  .values(month=month_of(local), week=week_of(local)))


def seed(app: Any, people: int = 300, seed_value: int = 1, today: date | None = None) -> dict[str, int]:
    """Fill the app's database with ``people`` made-up people over the past year."""
    from core.models import Contact, Conversation
    from handoff.stats.trace import StatsTrace

    rng = random.Random(seed_value)
    today = today or datetime.now(UTC).date()
    zone = app.handoff.policy.office.zone
    cw = _caseworker(app)
    done = {"people": 0, "cases_worked": 0}
    # More people lately than a year ago: the service grows.
    days = sorted((int(365 * (1 - rng.random() ** 1.4)) + 4 for _ in range(people)), reverse=True)
    from tqdm import tqdm

    for n, back in enumerate(tqdm(days, desc="people", unit="person", disable=None, leave=False)):
        persona = _persona(rng)
        # New addresses on every run (a second seed adds people, it does not continue them).
        address = (f"+3519{secrets.randbelow(10**8):08d}" if capabilities(persona.channel).phone_address
                   else str(700_000_000 + secrets.randbelow(10**8)))
        with app.db.sessions() as s:
            first_trace = (s.scalar(select(func.max(StatsTrace.id))) or 0) + 1
        conv_id = _talk(app, persona, address, rng)
        if conv_id is None:
            continue
        _work_case(app, conv_id, cw, rng, back)
        with app.db.sessions() as s:
            contact_id = s.scalar(select(Conversation.contact_id).where(Conversation.id == conv_id))
        moment = datetime.combine(today - timedelta(days=back), time(rng.randint(8, 22), rng.randint(0, 59)),
                                  tzinfo=zone).astimezone(UTC)
        _date_back(app, contact_id, first_trace, moment)
        done["people"] = n + 1
    with app.db.sessions() as s:
        done["contacts"] = s.scalar(select(func.count()).select_from(Contact)) or 0
        done["screenings"] = s.scalar(select(func.count()).select_from(StatsTrace)
                                      .where(StatsTrace.kind == "screening")) or 0
    return done


def cmd_seed(args: argparse.Namespace) -> int:
    from bot import migrate
    from bot import settings as settings_module
    from bot.app import build
    from channels import registry
    from channels.fake import RecordingChannel

    settings = settings_module.load_or_exit()
    logging.getLogger("core").setLevel(logging.WARNING)  # thousands of turns: one line at the end
    if settings.production:
        print("intake: demo seed refuses to run in production", flush=True)
        return 2
    # Recording stand-ins named like the real channels: their capabilities, nothing sent.
    app = build(settings, channels={name: RecordingChannel(name) for name in registry.NAMES})
    migrate.upgrade(app.db.engine)
    done = seed(app, args.people, args.seed)
    app.db.dispose()
    print(f"demo: {done['people']} people over the past year, {done['screenings']} screenings; "
          "see /console/reports as a supervisor")
    return 0


def register(sub: Any) -> None:
    """Add ``demo seed`` to the ``intake`` command."""
    demo = sub.add_parser("demo", help="demo data")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    seed_cmd = demo_sub.add_parser("seed", help="a year of made-up people through the real pipeline")
    seed_cmd.add_argument("--people", type=int, default=300)
    seed_cmd.add_argument("--seed", type=int, default=1, help="the same seed, the same people")
    seed_cmd.set_defaults(func=cmd_seed)
