"""Scale-out: two ``intake serve`` and two ``intake worker`` on PostgreSQL, as an NGO would
run it, under Telegram load and with processes killed.

The fake Telegram API runs in this process and answers each sendMessage after a short delay
(a distant API: a message is with the provider for a moment). 500 chats write 6 messages each;
every chat waits for a reply before its next message, as a person does; one update in ten is
also posted to the other web process (a provider retrying through the load balancer). Part way
through, one worker gets SIGKILL (restarted two seconds later), then one web process (the
client moves to the other, as a load balancer would), then a worker gets SIGTERM.

Figures:
- ``scaleout.lost``: updates acknowledged but not stored, and replies stored but not sent;
- ``scaleout.duplicated``: deliveries beyond the replies stored (per chat), and for each
  fault the repeats that followed it, against ``in_flight`` (sendMessage calls the fake had not
  answered when the fault hit: the bound a crash can repeat);
- ``scaleout.stall_s``: after the worker's SIGKILL, how long after it the last message that was
  already due went (the dead worker's rows wait for their leases to run out);
- ``scaleout.replies_per_s`` and ``scaleout.pacing_violations`` (two deliveries to one chat
  less than a second apart).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import signal
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    SECRET,
    TOKEN,
    bench_env,
    ensure_pg_database,
    print_table,
    reset_postgres,
    telegram_update,
    temp_dir,
)
from bench.webhook import free_port, intake_command

SIZES = {"chats": 500, "messages": 6, "in_flight_requests": 64, "latency_s": 0.05}
TEXTS = ("hello", "yes", "no", "yes", "Porto", "India")
RETRY_SHARE = 0.1


class Cluster:
    """The four processes, started, killed and restarted by name."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.env, self.work = env, work
        self.ports = [free_port(), free_port()]
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.log = open(work / "cluster.log", "wb")  # noqa: SIM115 - closed in stop()

    def start(self, name: str) -> None:
        if name.startswith("web"):
            port = self.ports[int(name[-1])]
            args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
        else:
            args = ["worker"]
        self.procs[name] = subprocess.Popen([*intake_command(), *args], env=self.env, cwd=self.work,
                                            stdout=self.log, stderr=subprocess.STDOUT)

    def signal(self, name: str, sig: int) -> None:
        proc = self.procs[name]
        proc.send_signal(sig)
        proc.wait(30)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.log.close()


def _wait_up(port: int) -> None:
    import httpx

    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("intake serve did not come up")


async def _drive(cluster: Cluster, fake: Any, faults: list[dict[str, Any]]) -> dict[str, Any]:
    import httpx

    chats = [8_000_000 + i for i in range(SIZES["chats"])]
    total = len(chats) * SIZES["messages"]
    ids = iter(range(1, 10 * total))
    acknowledged: set[int] = set()
    seen = 0
    delivered: dict[str, int] = defaultdict(int)
    arrived: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
    alive = [True, True]  # web processes the client may post to
    limit = asyncio.Semaphore(SIZES["in_flight_requests"])
    done = asyncio.Event()

    async def watch() -> None:
        nonlocal seen
        while not done.is_set():
            new = fake.timeline[seen:]
            seen += len(new)
            for chat, _, _ in new:
                delivered[chat] += 1
                arrived[chat].set()
            await asyncio.sleep(0.01)

    async def post(client: httpx.AsyncClient, update: dict[str, Any], prefer: int) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        while True:  # as Telegram does: until a 2xx, here through whichever web process is up
            target = prefer if alive[prefer] else 1 - prefer
            try:
                async with limit:
                    r = await client.post(f"http://127.0.0.1:{cluster.ports[target]}/webhooks/telegram",
                                          json=update, headers=headers)
                if r.status_code == 200:
                    acknowledged.add(update["update_id"])
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)

    async def person(client: httpx.AsyncClient, chat: int) -> None:
        await asyncio.sleep(random.uniform(0, 10))  # people do not all start in the same second
        key = str(chat)
        for text in TEXTS:
            before = delivered[key]
            update = telegram_update(next(ids), chat, text)
            prefer = chat % 2
            await post(client, update, prefer)
            if random.random() < RETRY_SHARE:  # the provider's retry, to the other process
                await post(client, update, 1 - prefer)
            deadline = time.monotonic() + 30
            while delivered[key] <= before and time.monotonic() < deadline:
                arrived[key].clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(arrived[key].wait(), 1.0)
            await asyncio.sleep(random.uniform(4.0, 8.0))  # reading, typing

    async def chaos() -> None:
        loop = asyncio.get_running_loop()
        plan = [(0.25, "worker0", signal.SIGKILL, 2.0), (0.5, "web0", signal.SIGKILL, 2.0),
                (0.75, "worker1", signal.SIGTERM, 2.0)]
        settled = time.monotonic()
        for share, name, sig, restart_after in plan:
            # Each fault apart from the last one's aftermath, so that what follows is its own.
            while len(acknowledged) < share * total or time.monotonic() < settled + 15:
                await asyncio.sleep(0.05)
            fault = {"name": name, "signal": sig.name, "at": time.time(), "in_flight": fake.in_flight}
            if name.startswith("web"):
                alive[int(name[-1])] = False
            await loop.run_in_executor(None, cluster.signal, name, sig)
            # Sends with the provider at the kill: those open just before it and just after
            # (the fake answers each 50 ms later), whichever process had them.
            fault["in_flight"] = max(fault["in_flight"], fake.in_flight)
            faults.append(fault)
            await asyncio.sleep(restart_after)
            cluster.start(name)
            if name.startswith("web"):
                await loop.run_in_executor(None, _wait_up, cluster.ports[int(name[-1])])
                alive[int(name[-1])] = True
            settled = time.monotonic()

    watcher = asyncio.create_task(watch())
    started = time.time()
    async with httpx.AsyncClient(timeout=10) as client:
        faults_task = asyncio.create_task(chaos())
        await asyncio.gather(*(person(client, chat) for chat in chats))
        await faults_task
    done.set()
    await watcher
    return {"acknowledged": acknowledged, "started": started, "total": total}


def _stored(db_url: str) -> tuple[set[int], int, dict[str, Counter[str]]]:
    """What the database holds: inbound provider ids, unsent outbox rows, and each chat's
    replies (decrypted: the benchmark has the key)."""
    from sqlalchemy import func, select

    from bench.common import KEY
    from core.db import Database
    from core.models import Contact, Conversation, Message, Outbox

    db = Database(db_url, (KEY,))
    replies: dict[str, Counter[str]] = defaultdict(Counter)
    with db.sessions() as s:
        inbound = {int(p) for p in s.scalars(select(Message.provider_id).where(
            Message.direction == "in", Message.provider_id.is_not(None)))}
        unsent = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status != "sent")) or 0
        rows = s.execute(select(Contact.address, Message.body).join(
            Conversation, Conversation.id == Message.conversation_id).join(
            Contact, Contact.id == Conversation.contact_id).where(Message.direction == "out"))
        for address, body in rows:
            replies[address][body] += 1
    db.dispose()
    return inbound, unsent, replies


def _stall(db_url: str, at: float) -> float:
    """The last message that was due when the worker died (written before, sent after): how
    long after the kill it went. The dead worker's own rows wait for their leases to run out;
    the rest only for their turn (and their chat's pace)."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine, func, select

    from core.models import Outbox

    killed = datetime.fromtimestamp(at, UTC)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        last = conn.execute(select(func.max(Outbox.sent_at)).where(
            Outbox.created_at < killed, Outbox.sent_at >= killed)).scalar()
    engine.dispose()
    return (last - killed).total_seconds() if last is not None else 0.0


def _figures(db_url: str, fake: Any, driven: dict[str, Any], faults: list[dict[str, Any]]) -> dict[str, Any]:
    stored, unsent, replies = _stored(db_url)
    timeline = list(fake.timeline)
    by_chat: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for chat, body, at in timeline:
        by_chat[chat].append((at, body))
    lost_in = len(driven["acknowledged"] - stored)
    # A repeat: a reply delivered more often than it was stored (a question asked twice is
    # stored twice); its time is that of the extra delivery.
    duplicates: list[float] = []
    firsts: list[float] = []  # when each repeated reply had first gone
    for chat, items in by_chat.items():
        left = Counter(replies.get(chat, Counter()))
        first: dict[str, float] = {}
        for at, body in items:
            first.setdefault(body, at)
            if left[body] > 0:
                left[body] -= 1
            else:
                duplicates.append(at)
                firsts.append(first[body])
    extra = len(duplicates)
    pacing = sum(1 for items in by_chat.values() for (a, _), (b, _) in itertools.pairwise(items)
                 if b - a < 0.999)
    stall = 0.0
    for fault in faults:
        later = [f["at"] for f in faults if f["at"] > fault["at"]]
        until = min(later) if later else float("inf")
        fault["repeated"] = sum(1 for at in duplicates if fault["at"] <= at < until)
        # How long before the fault the repeated ones had first gone (accepted, not yet marked).
        fault["first_sent_ms_before"] = sorted(round((fault["at"] - first) * 1000) for at, first
                                               in zip(duplicates, firsts, strict=True) if fault["at"] <= at < until)
        if fault["name"].startswith("worker") and fault["signal"] == "SIGKILL":
            stall = max(stall, _stall(db_url, fault["at"]))
    first, last = (timeline[0][2], timeline[-1][2]) if timeline else (0.0, 0.0)
    results: dict[str, Any] = {
        "scaleout.chats": SIZES["chats"],
        "scaleout.updates": driven["total"],
        "scaleout.lost": lost_in + unsent,
        "scaleout.duplicated": extra,
        "scaleout.stall_s": round(stall, 2),
        "scaleout.replies_per_s": round(len(timeline) / max(0.001, last - first), 1),
        "scaleout.pacing_violations": pacing,
    }
    for fault in faults:
        key = f"scaleout.{fault['name']}_{fault['signal'].lower()}"
        results[f"{key}.in_flight"] = fault["in_flight"]
        results[f"{key}.repeated"] = fault["repeated"]
        if fault["first_sent_ms_before"]:
            results[f"{key}.repeated_first_sent_ms_before"] = fault["first_sent_ms_before"]
    return results


def run(context: dict[str, Any]) -> dict[str, Any]:
    from channels.fakes import FakeTelegramAPI, Server

    pg = ensure_pg_database()
    if pg is None:
        return {"scaleout.skipped": "PostgreSQL unavailable"}
    reset_postgres(pg)
    work = temp_dir("scaleout")
    fake = FakeTelegramAPI(token=TOKEN)
    fake.latency = SIZES["latency_s"]
    server = Server(fake.app).start()
    # Telegram's 30 messages a second per bot (kept, and tested, by tests/core) would make this
    # a measure of that limit's queue: the fake has none, and neither has the run.
    env = {**os.environ, **bench_env(pg, work / "data", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET=SECRET,
                                     TELEGRAM_API_BASE_URL=server.url + "/bot", INTAKE_INLINE_WORKER="0",
                                     INTAKE_SEND_RATES="telegram=0",
                                     INTAKE_PUBLIC_URL="http://127.0.0.1:8443")}  # webhooks, not polling
    cluster = Cluster(env, work)
    faults: list[dict[str, Any]] = []
    try:
        for name in ("web0", "web1", "worker0", "worker1"):
            cluster.start(name)
        for port in cluster.ports:
            _wait_up(port)
        driven = asyncio.run(_drive(cluster, fake, faults))
        deadline = time.monotonic() + 60  # the last replies, then anything sent twice
        while time.monotonic() < deadline and fake.in_flight:
            time.sleep(0.1)
        time.sleep(5.0)
        results = _figures(pg, fake, driven, faults)
    finally:
        cluster.stop()
        server.stop()
    print_table("scale-out: 2 web + 2 workers on PostgreSQL, faults injected",
                [(k, v, "") for k, v in results.items()])
    return results
