"""Webhook under load: ``intake serve`` on loopback, driven like Telegram and Twilio drive it.

The benchmark starts the fake Telegram and Twilio APIs (channels/fakes) in this process, runs
``intake serve`` as a subprocess on 127.0.0.1 with a temporary SQLite database and the real
provider clients pointed at the fakes, and sends signed webhooks: Telegram updates with the
secret header and Twilio message webhooks with ``X-Twilio-Signature``.

Each conversation behaves like a person: it answers only after the replies to its previous
message arrived (and, on Telegram, a second after the last one, since the bot paces each chat
at one message a second). Many conversations run at once; the number of requests in flight,
the number of conversations, the turns per conversation and the run's length are all bounded.

Three phases: a light one (conversations started at a slow steady rate: latency without
queueing); a staircase of steady rates, each for a few seconds, up to the first that misses
p99 < 100 ms (``webhook.turns_per_s``, with ``webhook.p50_ms`` and ``webhook.p99_ms`` at that
rate: what one worker sustains, the figure the target is set for); and a burst, every
conversation at once (``webhook.burst.*``: how much it gets through when overrun, with the
queueing in its latency).

Latency: from the webhook POST to the first outbound call for that turn recorded at the fake
provider (both clocks are this process's). At the end the server's own database is the truth:
lost = accepted inbound messages never stored + outbound messages never delivered; duplicated =
deliveries at the fake beyond the outbound messages stored, per address.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    ANSWERS,
    SECRET,
    TOKEN,
    bench_env,
    percentile,
    print_table,
    sqlite_url,
    telegram_update,
    temp_dir,
)

SIZES = {
    # A light phase first (load well under capacity: latency without queueing), then the others.
    "light_conversations": 60,
    "light_starts_per_s": 10.0,  # conversations started per second: ~20 turns/s offered
    "ceiling_requests": 3_000,  # GET /healthz with the same client and in-flight limit
    # Then a staircase: turns offered at a steady rate, each step for a few seconds, up to the
    # first step whose p99 passes the target (or that errs or times out): the highest rate one
    # worker sustains with that latency, which the burst (all at once) cannot show.
    "step_turns_per_s": (50, 100, 150, 175, 200, 225, 250, 300, 400, 500, 600, 700, 800, 900, 1_000, 1_200),
    "step_seconds": 4.0,
    "step_p99_ms": 100.0,
    "telegram_conversations": 1_000,
    "sms_conversations": 1_000,
    "turns_each": 2,  # a start + 1 answer: thousands of conversations, a bounded run
    "in_flight": 64,
    "deadline_s": 120.0,
    "reply_timeout_s": 60.0,
}
SMS_FROM = "+351300000000"
# Telegram update ids and Twilio SIDs are dedupe keys: unique across both phases of the run.
UPDATE_IDS = itertools.count(10_000_000)
WARM_UP = "tg:42"  # the conversation that warms the server up, left out of every figure


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Deliveries:
    """Watches the fakes' call logs: per address, the times of outbound messages."""

    def __init__(self, telegram: Any, twilio: Any) -> None:
        self.telegram, self.twilio = telegram, twilio
        self.times: dict[str, list[float]] = defaultdict(list)
        self._seen_tg = self._seen_tw = 0
        # Per address, who waits for how many deliveries: a scan wakes only those it satisfied
        # (one shared event woke thousands of waiting conversations on every scan).
        self._waiting: dict[str, list[tuple[int, asyncio.Future[None]]]] = defaultdict(list)

    def scan(self) -> None:
        changed = set()
        calls = self.telegram.calls[self._seen_tg:]  # list slices are atomic under the GIL
        self._seen_tg += len(calls)
        for call in calls:
            if call.method == "sendMessage":
                address = f"tg:{call.params.get('chat_id')}"
                self.times[address].append(call.at)
                changed.add(address)
        requests = self.twilio.requests[self._seen_tw:]
        self._seen_tw += len(requests)
        for req in requests:
            address = f"sms:{req.form.get('To')}"
            self.times[address].append(req.at)
            changed.add(address)
        for address in changed & self._waiting.keys():
            got = len(self.times[address])
            for count, future in self._waiting[address]:
                if got >= count and not future.done():
                    future.set_result(None)

    async def watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.scan()
            await asyncio.sleep(0.005)
        self.scan()

    async def wait_count(self, address: str, count: int, timeout: float) -> bool:
        if len(self.times[address]) >= count:
            return True
        waiter = (count, asyncio.get_running_loop().create_future())
        self._waiting[address].append(waiter)
        try:
            await asyncio.wait_for(waiter[1], timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting[address].remove(waiter)
            if not self._waiting[address]:
                del self._waiting[address]


def reference_counts(turns: int) -> dict[str, list[int]]:
    """Replies per step for each channel, from the real pipeline in-process, fed the inbounds
    the real channels parse from the same webhooks."""
    from bench.common import make_app
    from channels.twilio import SmsChannel

    counts: dict[str, list[int]] = {}
    tg_app = make_app(sqlite_url(temp_dir("wh-ref")), temp_dir("wh-ref-data"), channel="telegram")
    from channels.telegram import TelegramChannel

    tg = TelegramChannel(TOKEN, webhook_secret=SECRET)
    counts["telegram"] = [
        len(tg_app.pipeline.handle(tg.parse_update(telegram_update(900 + s, 77, say(s)))[0]).replies)
        for s in range(turns)]
    tg_app.db.dispose()
    sms_app = make_app(sqlite_url(temp_dir("wh-ref2")), temp_dir("wh-ref2-data"), channel="sms")
    sms = SmsChannel("AC" + "0" * 32, "test-token", from_number=SMS_FROM)
    counts["sms"] = [
        len(sms_app.pipeline.handle(sms.parse_inbound(sms_params(s, "+447700900001", f"SMref{s}"))[0]).replies)
        for s in range(turns)]
    sms_app.db.dispose()
    return counts


def say(step: int, sms: bool = False) -> str:
    if step == 0:
        return "hello" if sms else "/start"
    return ANSWERS[step - 1]


def sms_params(step: int, number: str, sid: str) -> dict[str, str]:
    return {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": number,
            "To": SMS_FROM, "Body": say(step, sms=True), "NumMedia": "0", "NumSegments": "1",
            "SmsStatus": "received", "ApiVersion": "2010-04-01"}


async def ceiling(base: str, n: int) -> float:
    """Requests per second this load generator gets from the server's most trivial route: the
    most any webhook figure can show on this machine (both share its cores)."""
    inflight = asyncio.Semaphore(SIZES["in_flight"])
    async with client_session(base) as client:
        async def one() -> None:
            async with inflight, client.get("/healthz") as response:
                response.raise_for_status()
                await response.read()

        await asyncio.gather(*(one() for _ in range(200)))  # connections open, code warm
        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        return n / (time.perf_counter() - started)


def client_session(base: str) -> Any:
    """The load generator's HTTP client: aiohttp with one connection per request in flight.
    (httpx spent most of this process's CPU re-scanning its pool: the generator, not the
    server, was what the webhook figures measured.)"""
    import aiohttp

    return aiohttp.ClientSession(base_url=base, connector=aiohttp.TCPConnector(limit=SIZES["in_flight"]),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def load(base: str, public: str, deliveries: Deliveries, expected: dict[str, list[int]],
               auth_token: str, people: list[tuple[str, str]],
               starts_per_s: float | None = None) -> dict[str, Any]:
    """Run every person's conversation at once, or started at a steady rate when given."""
    import aiohttp

    from channels.fakes.twilio_api import sign

    turns = SIZES["turns_each"]
    inflight = asyncio.Semaphore(SIZES["in_flight"])
    deadline = time.monotonic() + SIZES["deadline_s"]
    stats: dict[str, Any] = {"accepted": 0, "errors": 0, "latencies": [], "timeouts": 0,
                             "posted": defaultdict(int), "skipped": 0, "error_kinds": defaultdict(int),
                             "by_kind": defaultdict(list)}
    async with client_session(base) as client:

        async def post(kind: str, address_key: str, step: int, number: str) -> float | None:
            if kind == "tg":
                body = telegram_update(next(UPDATE_IDS), int(number), say(step))
                request = {"url": "/webhooks/telegram", "json": body,
                           "headers": {"X-Telegram-Bot-Api-Secret-Token": SECRET}}
            else:
                params = sms_params(step, number, f"SM{next(UPDATE_IDS):032d}")
                path = "/webhooks/twilio/messages"
                request = {"url": path, "data": params,
                           "headers": {"X-Twilio-Signature": sign(auth_token, public + path, params)}}
            async with inflight:
                sent_at = time.time()
                try:
                    async with client.post(**request) as response:
                        status = response.status
                        await response.read()
                except (aiohttp.ClientError, TimeoutError) as exc:
                    stats["errors"] += 1
                    stats["error_kinds"][type(exc).__name__] += 1
                    return None
            if status != 200:
                stats["errors"] += 1
                stats["error_kinds"][f"HTTP {status}"] += 1
                return None
            stats["accepted"] += 1
            stats["posted"][address_key] += 1
            return sent_at

        async def person(kind: str, number: str, start: float = 0.0) -> None:
            if start:
                await asyncio.sleep(start)
            key = f"{kind}:{number}"
            counts = expected["telegram" if kind == "tg" else "sms"]
            for step in range(turns):
                if time.monotonic() > deadline:
                    stats["skipped"] += turns - step
                    return
                before = sum(counts[:step])
                if kind == "tg" and deliveries.times[key]:
                    # the bot sends at most one message a second per chat: answer after that
                    wait = deliveries.times[key][-1] + 1.05 - time.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                sent_at = await post(kind, key, step, number)
                if sent_at is None:
                    return
                if not await deliveries.wait_count(key, before + 1, SIZES["reply_timeout_s"]):
                    stats["timeouts"] += 1
                    return
                stats["latencies"].append(deliveries.times[key][before] - sent_at)
                stats["by_kind"][kind].append(deliveries.times[key][before] - sent_at)
                if not await deliveries.wait_count(key, before + counts[step], SIZES["reply_timeout_s"]):
                    stats["timeouts"] += 1
                    return

        started = time.time()
        await asyncio.gather(*(person(kind, number, i / starts_per_s if starts_per_s else 0.0)
                               for i, (kind, number) in enumerate(people)))
        stats["wall"] = time.time() - started
    return stats


def step_people(rate: float, seconds: float, serial: itertools.count) -> list[tuple[str, str]]:
    """Conversations for one step, Telegram and SMS alternating; each makes ``turns_each`` turns."""
    people = []
    for i in range(max(2, int(rate / SIZES["turns_each"] * seconds))):
        n = next(serial)
        people.append(("tg", str(6_000_000 + n)) if i % 2 == 0 else ("sms", f"+44771{n:06d}"))
    return people


async def staircase(public: str, deliveries: Deliveries, expected: dict[str, list[int]],
                    auth_token: str) -> list[dict[str, Any]]:
    """Steady offered rates, lowest first, until one misses the latency target."""
    serial = itertools.count()
    steps = []
    for rate in SIZES["step_turns_per_s"]:
        people = step_people(rate, SIZES["step_seconds"], serial)
        got = await load(public, public, deliveries, expected, auth_token, people,
                         starts_per_s=rate / SIZES["turns_each"])
        p99 = percentile(got["latencies"], 99) * 1e3
        ok = p99 < SIZES["step_p99_ms"] and not got["errors"] and not got["timeouts"] and not got["skipped"]
        steps.append({"offered": rate, "accepted": got["accepted"], "p50_ms": percentile(got["latencies"], 50) * 1e3,
                      "p99_ms": p99, "errors": got["errors"], "timeouts": got["timeouts"], "ok": ok,
                      "posted": got["posted"]})
        if not ok:
            break
    return steps


def account(db_url: str, deliveries: Deliveries, stats: dict[str, Any]) -> dict[str, int]:
    """Lost and duplicated, from the server's database against what the fakes received."""
    from sqlalchemy import select

    from bench.common import KEY
    from core.db import Database
    from core.models import Contact, Conversation, Message, Outbox

    db = Database(db_url, (KEY,))
    stored_out: dict[str, int] = defaultdict(int)
    stored_in: dict[str, int] = defaultdict(int)
    with db.sessions() as s:
        contacts = {c.id: c for c in s.scalars(select(Contact))}
        convs = {c.id: c.contact_id for c in s.scalars(select(Conversation))}
        for conv_id, direction in s.execute(select(Message.conversation_id, Message.direction)):
            contact = contacts[convs[conv_id]]
            key = f"{'tg' if contact.channel == 'telegram' else 'sms'}:{contact.address}"
            (stored_out if direction == "out" else stored_in)[key] += 1
        unsent = len(s.scalars(select(Outbox.id).where(Outbox.status != "sent")).all())
    db.dispose()
    lost = duplicated = 0
    for key, posted in stats["posted"].items():
        lost += max(0, posted - stored_in.get(key, 0))
    for key in (set(stored_out) | set(deliveries.times)) - {WARM_UP}:
        got, stored = len(deliveries.times.get(key, [])), stored_out.get(key, 0)
        lost += max(0, stored - got)
        duplicated += max(0, got - stored)
    return {"lost": lost, "duplicated": duplicated, "unsent_outbox": unsent,
            "stored_in": sum(stored_in.values()), "stored_out": sum(stored_out.values())}


def server_cpu(pid: int) -> Any:
    """CPU seconds (user + system) used so far by the server process."""
    try:
        import psutil

        process = psutil.Process(pid)

        def read() -> float:
            times = process.cpu_times()
            return float(times.user + times.system)
    except ImportError:
        def read() -> float:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return read


def intake_command() -> list[str]:
    script = Path(sys.executable).parent / "intake"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


def run(context: dict[str, Any]) -> dict[str, Any]:
    from channels.fakes import FakeTelegramAPI, FakeTwilioAPI, Server

    turns = SIZES["turns_each"]
    expected = reference_counts(turns)
    work = temp_dir("webhook")
    db_url = sqlite_url(work)
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    tg_fake, tw_fake = FakeTelegramAPI(token=TOKEN), FakeTwilioAPI()
    tg_server, tw_server = Server(tg_fake.app).start(), Server(tw_fake.app).start()
    env = {**os.environ, **bench_env(
        db_url, work / "data",
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=tg_server.url + "/bot", INTAKE_PUBLIC_URL=public,
        TWILIO_ACCOUNT_SID=tw_fake.account_sid, TWILIO_AUTH_TOKEN=tw_fake.auth_token,
        TWILIO_FROM_NUMBER=SMS_FROM, TWILIO_API_BASE_URL=tw_server.url,
        # The server's own cost is measured here: Telegram's per-bot rate (kept in production,
        # tested in tests/core) would measure that limit's queue instead; the fake has none.
        INTAKE_SEND_RATES="telegram=0",
    )}
    log = open(work / "serve.log", "w")  # noqa: SIM115 - closed in finally
    subprocess.run([*intake_command(), "db", "upgrade"], env=env, check=True, cwd=work,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([*intake_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
    results: dict[str, Any] = {}
    # This process times every turn, and by now it holds what the earlier parts left: a full
    # collection over that heap stops its clock for tens of milliseconds, which the latencies
    # would count against the server. Frozen, the collector walks only what this part makes.
    gc.collect()
    gc.freeze()
    try:
        import httpx

        for _ in range(300):  # start-up loads lingua and the catalogs
            try:
                if httpx.get(public + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise RuntimeError(f"intake serve exited; see {work / 'serve.log'}")
            time.sleep(0.1)
        # Warm the server up (lingua's model loads on the first text) outside the measurement.
        httpx.post(public + "/webhooks/telegram", json=telegram_update(1, 42, "hello there, how are you"),
                   headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=60)
        time.sleep(1.5)

        light_n = SIZES["light_conversations"]
        light_people = [("tg", str(4_000_000 + i)) for i in range(light_n // 2)]
        light_people += [("sms", f"+4477008{i:05d}") for i in range(light_n - light_n // 2)]
        people = [("tg", str(5_000_000 + i)) for i in range(SIZES["telegram_conversations"])]
        people += [("sms", f"+4477009{i:05d}") for i in range(SIZES["sms_conversations"])]
        cpu = server_cpu(server.pid)

        async def main() -> tuple[dict[str, Any], dict[str, Any], Deliveries, float]:
            deliveries = Deliveries(tg_fake, tw_fake)
            stop = asyncio.Event()
            watcher = asyncio.create_task(deliveries.watch(stop))
            light = await load(public, public, deliveries, expected, tw_fake.auth_token, light_people,
                               starts_per_s=SIZES["light_starts_per_s"])
            light["ceiling"] = await ceiling(public, SIZES["ceiling_requests"])
            light["steps"] = await staircase(public, deliveries, expected, tw_fake.auth_token)
            cpu0 = cpu()
            heavy = await load(public, public, deliveries, expected, tw_fake.auth_token, people)
            heavy["server_cpu_s"] = cpu() - cpu0
            await asyncio.sleep(2.0)  # stragglers and would-be duplicates arrive now
            stop.set()
            await watcher
            return light, heavy, deliveries, cpu()

        light, stats, deliveries, _ = asyncio.run(main())
        for key, count in light["posted"].items():
            stats["posted"][key] += count
        for step in light["steps"]:
            for key, count in step["posted"].items():
                stats["posted"][key] += count
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        tg_server.stop()
        tw_server.stop()
    gc.unfreeze()
    truth = account(db_url, deliveries, stats)
    truth["stored_in"] -= 1  # the warm-up message
    lat = stats["latencies"]
    steps = light["steps"]
    passed = [step for step in steps if step["ok"]]
    step_errors = sum(step["errors"] for step in steps)
    results.update({
        "webhook.turns_per_s": passed[-1]["offered"] if passed else 0,
        "webhook.p50_ms": round(passed[-1]["p50_ms"], 1) if passed else 0.0,
        "webhook.p99_ms": round(passed[-1]["p99_ms"], 1) if passed else 0.0,
        "webhook.steps": [{k: round(v, 1) if isinstance(v, float) else v for k, v in step.items()
                           if k != "posted"} for step in steps],
        "webhook.light.conversations": SIZES["light_conversations"],
        "webhook.ceiling_requests_per_s": round(light["ceiling"], 1),
        "ratio.webhook_vs_ceiling": round(stats["accepted"] / stats["wall"] / light["ceiling"], 3)
        if stats["wall"] and light["ceiling"] else 0.0,
        "webhook.light.turns_per_s": round(light["accepted"] / light["wall"], 1) if light["wall"] else 0.0,
        "webhook.light.p50_ms": round(percentile(light["latencies"], 50) * 1e3, 1),
        "webhook.light.p99_ms": round(percentile(light["latencies"], 99) * 1e3, 1),
        "webhook.light.errors": light["errors"],
        **{f"webhook.{phase}.{kind}.p50_ms": round(percentile(got[kind], 50) * 1e3, 1)
           for phase, got in (("light", light["by_kind"]), ("burst", stats["by_kind"]))
           for kind in ("tg", "sms")},
        "webhook.server_cpu_ms_per_turn": round(stats["server_cpu_s"] / stats["accepted"] * 1e3, 2)
        if stats["accepted"] else 0.0,
        "webhook.server_cpu_utilisation": round(stats["server_cpu_s"] / stats["wall"], 2) if stats["wall"] else 0.0,
        "webhook.error_kinds": dict(stats["error_kinds"]) | dict(light["error_kinds"]),
        "webhook.conversations": SIZES["telegram_conversations"] + SIZES["sms_conversations"],
        "webhook.turns_each": turns,
        "webhook.in_flight_limit": SIZES["in_flight"],
        "webhook.accepted": stats["accepted"],
        "webhook.burst.turns_per_s": round(stats["accepted"] / stats["wall"], 1) if stats["wall"] else 0.0,
        "webhook.burst.p50_ms": round(percentile(lat, 50) * 1e3, 1),
        "webhook.burst.p99_ms": round(percentile(lat, 99) * 1e3, 1),
        "webhook.errors": stats["errors"] + light["errors"] + step_errors,
        "webhook.reply_timeouts": stats["timeouts"],
        "webhook.lost": truth["lost"],
        "webhook.duplicated": truth["duplicated"],
        "webhook.unsent_outbox": truth["unsent_outbox"] - 0,
        "webhook.outbound_delivered": sum(len(v) for v in deliveries.times.values()),
        "webhook.not_attempted": stats["skipped"],
        "webhook.wall_s": round(stats["wall"], 1),
    })
    rows = [
        ("webhook.turns_per_s", results["webhook.turns_per_s"],
         f"highest steady offered rate with p99 < {SIZES['step_p99_ms']:g} ms, no errors (target >= 500)"),
        ("webhook.p50_ms", results["webhook.p50_ms"], "at that rate: webhook POST -> first outbound call at the fake"),
        ("webhook.p99_ms", results["webhook.p99_ms"], "at that rate (target < 100)"),
        *((f"webhook.step.{step['offered']}", f"{step['p50_ms']:.1f} / {step['p99_ms']:.1f}",
           f"offered {step['offered']} turns/s for {SIZES['step_seconds']:g} s: p50 / p99 ms"
           + ("" if step["ok"] else " (missed: the staircase stops here)")) for step in steps),
        ("webhook.burst.turns_per_s", results["webhook.burst.turns_per_s"],
         f"accepted turns / wall; {results['webhook.conversations']} conversations x {turns} turns, "
         f"<= {SIZES['in_flight']} requests in flight, all started at once (a burst)"),
        ("webhook.burst.p50_ms", results["webhook.burst.p50_ms"], "the burst's, queueing included"),
        ("webhook.burst.p99_ms", results["webhook.burst.p99_ms"], "the burst's, queueing included"),
        ("webhook.errors", results["webhook.errors"],
         f"non-200 answers or connection errors {results['webhook.error_kinds'] or ''}"),
        ("webhook.server_cpu_ms_per_turn", results["webhook.server_cpu_ms_per_turn"],
         "server CPU per accepted turn, deliveries included (the burst)"),
        ("webhook.server_cpu_utilisation", results["webhook.server_cpu_utilisation"],
         "server CPU seconds per wall second (1.0 = one core busy)"),
        ("webhook.ceiling_requests_per_s", results["webhook.ceiling_requests_per_s"],
         "GET /healthz, same client and in-flight limit: what this machine can show at most"),
        ("ratio.webhook_vs_ceiling", results["ratio.webhook_vs_ceiling"],
         "webhook turns/s as a share of that ceiling"),
        ("webhook.light.turns_per_s", results["webhook.light.turns_per_s"],
         f"light phase: {SIZES['light_conversations']} conversations started "
         f"{SIZES['light_starts_per_s']:g}/s, well under capacity"),
        ("webhook.light.p50_ms", results["webhook.light.p50_ms"], "light phase latency, median"),
        ("webhook.light.p99_ms", results["webhook.light.p99_ms"], "light phase latency, 99th percentile"),
        ("webhook.light.tg.p50_ms", results["webhook.light.tg.p50_ms"], "light phase, Telegram turns"),
        ("webhook.light.sms.p50_ms", results["webhook.light.sms.p50_ms"], "light phase, SMS turns"),
        ("webhook.lost", truth["lost"], "accepted but never stored, or stored but never delivered (target 0)"),
        ("webhook.duplicated", truth["duplicated"], "delivered more often than stored (target 0)"),
        ("webhook.reply_timeouts", stats["timeouts"], f"turns whose replies took > {SIZES['reply_timeout_s']} s"),
        ("webhook.unsent_outbox", truth["unsent_outbox"], "outbox rows not 'sent' at the end"),
        ("webhook.not_attempted", stats["skipped"], f"turns left when the {SIZES['deadline_s']} s deadline came"),
        ("webhook.wall_s", results["webhook.wall_s"], ""),
    ]
    print_table("webhook: intake serve on loopback, signed Telegram and Twilio webhooks", rows)
    return results
