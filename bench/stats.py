"""Statistics over a year of 100,000 conversations: the export and the Reports page.

The database is filled in bulk (multi-row inserts, not the pipeline): 100,000 conversations of
25,000 people over the past year, 60,000 cases (replied to, late, waiting, closed), 100,000
trace rows (screenings with nationalities, indicators and vulnerabilities, opt-outs and
erasures) and 5,000 referrals. Then it times ``intake stats export`` (all three formats) and a
supervisor's ``GET /console/reports`` over the whole year, by month, on SQLite and PostgreSQL.
The target is under 2 seconds each (``stats.100k.seconds``: the slowest of them).
"""

from __future__ import annotations

import io
import random
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import (
    ensure_pg_database,
    make_app,
    print_table,
    reset_postgres,
    sqlite_url,
    temp_dir,
)

SIZES = {"conversations": 100_000, "people": 25_000, "cases": 60_000, "trace": 100_000, "referrals": 5_000}
LANGUAGES = ("pt_BR", "pt", "en", "hi", "ne", "bn", "ur", "uk", "ru", "ro", "es", "fr", "ar", "zh_Hans")
CHANNELS = ("whatsapp", "sms", "telegram", "webchat")
NATIONALITIES = ("BR", "BR", "BR", "AO", "CV", "IN", "NP", "BD", "PK", "UA", "MD", "VE", "SN", "MA", "CN", "NG")
BATCH = 5_000


def _fill(app: Any, now: datetime) -> None:
    from sqlalchemy import insert

    from core.models import Contact, Conversation
    from handoff.models import Case
    from handoff.referrals.models import Referral
    from handoff.stats.trace import INDICATOR_CODES, VULNERABILITY_CODES, StatsTrace, row

    rng = random.Random(8)
    zone = ZoneInfo("Europe/Lisbon")
    year = [now - timedelta(days=365 * rng.random() ** 0.8, minutes=rng.randrange(1440))
            for _ in range(SIZES["conversations"])]

    def batches(rows: list[dict[str, Any]]) -> Any:
        for i in range(0, len(rows), BATCH):
            yield rows[i:i + BATCH]

    with app.db.engine.begin() as conn:
        people = [{"channel": CHANNELS[i % 4], "address_hash": f"{i:064x}", "address": "",
                   "status": "active", "created_at": now} for i in range(SIZES["people"])]
        for part in batches(people):
            conn.execute(insert(Contact), part)
        convs = [{"contact_id": 1 + i % SIZES["people"], "channel": CHANNELS[i % 4],
                  "flow": "screening", "state": "done", "record": {}, "status": "closed",
                  "language": rng.choice(LANGUAGES), "version": 18, "created_at": when, "updated_at": when,
                  "window_count": 0}
                 for i, when in enumerate(year)]
        for part in batches(convs):
            conn.execute(insert(Conversation), part)
        cases = []
        for i in range(SIZES["cases"]):
            opened = year[i]
            due = opened + timedelta(minutes=rng.choice((30, 240, 480, 1440)))
            replied = opened + timedelta(minutes=rng.choice((5, 60, 300, 900, 3000))) if rng.random() < 0.9 else None
            closed = replied + timedelta(days=3) if replied and rng.random() < 0.85 else None
            cases.append({"conversation_id": i + 1, "contact_id": 1 + i % SIZES["people"],
                          "channel": CHANNELS[i % 4], "language": "pt", "lang": "pt",
                          "status": "closed" if closed else "queued", "priority": rng.choice(("urgent", "high", "normal", "low")),
                          "rank": 2, "reasons": [], "programme": rng.choice(("arvore", "asylum_info", "referral", "trafficking_support")),
                          "eligibility": "likely_eligible", "opened_at": opened, "queued_at": opened,
                          "first_response_at": replied, "sla_due_at": due, "closed_at": closed,
                          "outcome": rng.choice(("referred_arvore", "referred_other", "information_given")) if closed else None,
                          "version": 1})
        for part in batches(cases):
            conn.execute(insert(Case), part)
        trace = []
        for i in range(SIZES["trace"]):
            kind = "screening" if i % 20 else rng.choice(("stop", "erase"))
            trace.append(row(kind, year[i], zone, CHANNELS[i % 4], rng.choice(LANGUAGES),
                             {"programme": rng.choice(("arvore", "asylum_info", "referral")),
                              "eligibility": "needs_review", "priority": "normal"},
                             {"nationality": rng.choice(NATIONALITIES), "destination_country": rng.choice(NATIONALITIES),
                              "trafficking_indicators": rng.sample(INDICATOR_CODES, rng.choice((0, 0, 0, 1, 2))),
                              "vulnerabilities": rng.sample(VULNERABILITY_CODES, rng.choice((0, 0, 1)))}))
        for part in batches(trace):
            conn.execute(insert(StatsTrace), part)
        referrals = [{"reference": f"R{i:08d}", "case_id": i + 1, "partner": rng.choice(("cig", "apav", "jrs", "cpr")),
                      "purpose": "support", "fields": [], "values": {}, "status": rng.choice(("prepared", "sent", "accepted")),
                      "notify_person": False, "note": "", "created_at": year[i], "delivery": "email",
                      "delivery_status": "sent", "attempts": 0, "next_attempt_at": year[i], "notice_due": False}
                     for i in range(SIZES["referrals"])]
        for part in batches(referrals):
            conn.execute(insert(Referral), part)


def measure(url: str, label: str, data_dir: Any) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from bot.web import create_app
    from core.db import utcnow
    from handoff import auth
    from handoff.stats import export
    from handoff.stats.published import Rule, figures, reading

    app = make_app(url, data_dir)
    now = utcnow()
    t0 = time.perf_counter()
    _fill(app, now)
    filled = time.perf_counter() - t0
    zone = app.handoff.policy.office.zone
    first, last = (now - timedelta(days=365)).date(), now.date()
    timings: dict[str, float] = {}
    for fmt in export.FORMATS:
        t0 = time.perf_counter()
        with reading(app.db) as s:
            data = figures(s, first, last, "month", zone, Rule(), now, complete_only=True)
        export.write(data, fmt, io.BytesIO())
        timings[f"export_{fmt}"] = time.perf_counter() - t0
    with app.db.transaction() as s:
        auth.add_caseworker(s, "sup@bench.invalid", "Sup", "supervisor", ["pt"], "correct horse battery staple")
    with TestClient(create_app(app)) as client:
        login = client.get("/console/login")
        token = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/console/login", data={"email": "sup@bench.invalid", "password": "correct horse battery staple",
                                            "csrf_token": token})
        query = f"/console/reports?from={first}&to={last}&by=month"
        client.get(query)  # templates compiled, pygal imported: the page as a supervisor sees it next
        t0 = time.perf_counter()
        page = client.get(query)
        timings["page"] = time.perf_counter() - t0
        assert page.status_code == 200 and page.text.count("<svg") == 5, page.status_code
    app.db.dispose()
    p = f"stats.{label}"
    return {f"{p}.fill_seconds": round(filled, 1),
            **{f"{p}.{k}_seconds": round(v, 3) for k, v in timings.items()},
            f"{p}.seconds": round(max(timings.values()), 3)}


def run(context: dict[str, Any]) -> dict[str, Any]:
    from bot import migrate
    from core.db import make_engine

    results: dict[str, Any] = {}
    directory = temp_dir("stats")
    url = sqlite_url(directory)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    results.update(measure(url, "sqlite", directory))
    pg = ensure_pg_database()
    if pg:
        reset_postgres(pg)
        results.update(measure(pg, "postgres", temp_dir("stats-pg")))
    slowest = [v for k, v in results.items() if k.endswith(".seconds") and k.count(".") == 2]
    results["stats.100k.seconds"] = max(slowest)
    rows = [(k, v, "target < 2" if k.endswith("seconds") and "fill" not in k else "")
            for k, v in sorted(results.items())]
    print_table(f"statistics over {SIZES['conversations']:,} conversations and a year", rows)
    return results

