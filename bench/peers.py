"""Peers: the same 18-turn screening (a start + 17 answers) in other ways of building a bot.

TECH_NOTES §7 measured these once; this part measures them again in the same run as our engine,
so the ratios hold under the same load. Every peer gets the same inputs (interleaved
conversations, updates built before timing) and sends, per turn, as many replies as our
pipeline writes at that step, with the same texts and the same number of buttons.

- ``ptb_none``: python-telegram-bot's ``ConversationHandler``, no persistence (state only in
  memory: lost on restart). Network stubbed at PTB's transport (``BaseRequest.do_request``), so
  PTB still builds each request and parses a canned Bot API answer.
- ``ptb_pickle``: the same with ``PicklePersistence`` written after every update
  (``Application.update_persistence()``): its durable setting. Small N: it rewrites the whole
  file every time.
- ``aiogram_redis``: aiogram 3 FSM with ``RedisStorage``; network stubbed in the session
  (``make_request`` builds the form and parses a canned answer, no socket). Note that the Redis
  here runs without persistence (``--save "" --appendonly no``), so it is not durable either.
- ``floor``: a dict state machine doing one SQLite transaction per turn (WAL,
  ``synchronous=NORMAL``, the durability our engine has): read state, write state + record,
  store the inbound (unique update id: the dedupe key) and the replies, commit.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bench.common import (
    ANSWERS,
    REDIS_URL,
    STEPS,
    TOKEN,
    Timing,
    make_app,
    percentile,
    print_table,
    reference_transcript,
    sqlite_url,
    telegram_update,
    temp_dir,
    timed,
)

# The floor is fast enough that one run of it lasts a quarter of a second, short enough for a
# moment of load from elsewhere on a shared machine to move the ratio by half: it is measured
# several times and the median taken.
SIZES = {"conversations": 300, "ptb_pickle_conversations": 100, "engine_sample_conversations": 100,
         "floor_samples": 5, "ptb_none_samples": 3}
FIELDS = [f"answer_{i}" for i in range(len(ANSWERS))]
SENT = {"ptb": 0, "aiogram": 0}  # stubbed calls made: proof that each peer did send its replies
BOT_USER = {"id": 1000001, "is_bot": True, "first_name": "Intake", "username": "intake_bench_bot"}


def updates(conversations: int, first_chat: int) -> list[dict[str, Any]]:
    """Interleaved Bot API updates: every conversation's /start, then every first answer ..."""
    out, uid = [], first_chat * 100
    for step in range(STEPS):
        for c in range(conversations):
            uid += 1
            text = "/start" if step == 0 else ANSWERS[step - 1]
            out.append(telegram_update(uid, first_chat + c, text))
    return out


def sent_message(chat_id: int = 1, text: str = "ok") -> dict[str, Any]:
    return {"message_id": 7, "date": 1764300000, "text": text,
            "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}


async def atimed(items: Sequence[Any], handle: Callable[[Any], Awaitable[Any]]) -> Timing:
    """``timed`` for coroutines: each awaited in turn on this loop."""
    import gc

    latencies: list[float] = []
    perf = time.perf_counter
    gc.collect()
    wall0, cpu0 = perf(), time.process_time()
    for item in items:
        t = perf()
        await handle(item)
        latencies.append(perf() - t)
    return Timing(len(latencies), perf() - wall0, time.process_time() - cpu0, latencies)


# -- python-telegram-bot -----------------------------------------------------------------------


def ptb_timing(transcript: list[list[tuple[str, int]]], conversations: int, pickle_path: str | None
               ) -> Timing:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        Application,
        CommandHandler,
        ConversationHandler,
        MessageHandler,
        PicklePersistence,
        filters,
    )
    from telegram.request import BaseRequest

    canned = {
        "getMe": json.dumps({"ok": True, "result": BOT_USER}).encode(),
        "sendMessage": json.dumps({"ok": True, "result": sent_message()}).encode(),
    }

    class StubRequest(BaseRequest):
        """PTB's transport with the socket taken out: the request is built, an answer parsed."""

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        @property
        def read_timeout(self) -> float | None:
            return 5.0

        async def do_request(self, url: str, method: str, request_data: Any = None,
                             **_timeouts: Any) -> tuple[int, bytes]:
            SENT["ptb"] += 1
            if request_data is not None:
                request_data.json_parameters  # noqa: B018 - the encoding work a real request does
            return 200, canned[url.rsplit("/", 1)[1]]

    def markup(options: int) -> Any:
        if not options:
            return None
        return InlineKeyboardMarkup([[InlineKeyboardButton(f"Option {i}", callback_data=str(i))]
                                     for i in range(options)])

    async def reply(update: Any, step: int) -> None:
        for text, options in transcript[step]:
            await update.effective_message.reply_text(text, reply_markup=markup(options))

    async def start(update: Any, context: Any) -> int:
        context.user_data.clear()
        await reply(update, 0)
        return 0

    def answer(state: int) -> Callable[[Any, Any], Awaitable[int]]:
        async def handle(update: Any, context: Any) -> int:
            context.user_data[FIELDS[state]] = update.effective_message.text
            await reply(update, state + 1)
            return state + 1 if state + 1 < len(ANSWERS) else ConversationHandler.END
        return handle

    text_only = filters.TEXT & ~filters.COMMAND
    handler = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={s: [MessageHandler(text_only, answer(s))] for s in range(len(ANSWERS))},
        fallbacks=[CommandHandler("start", start)],
        name="screening",
        persistent=pickle_path is not None,
    )
    builder = Application.builder().token(TOKEN).request(StubRequest()).updater(None)
    if pickle_path is not None:
        builder = builder.persistence(PicklePersistence(filepath=pickle_path))
    application = builder.build()
    application.add_handler(handler)

    async def main() -> Timing:
        await application.initialize()
        bot = application.bot
        warm = [Update.de_json(u, bot) for u in updates(3, 1)]
        items = [Update.de_json(u, bot) for u in updates(conversations, 10_000)]
        for u in warm:
            await application.process_update(u)

        async def feed(update: Any) -> None:
            await application.process_update(update)
            if pickle_path is not None:  # the durable setting: on disk after every update
                await application.update_persistence()

        timing = await atimed(items, feed)
        await application.shutdown()
        return timing

    return asyncio.run(main())


# -- aiogram + Redis ---------------------------------------------------------------------------


def aiogram_timing(transcript: list[list[tuple[str, int]]], conversations: int) -> Timing:
    from aiogram import Bot, Dispatcher, Router
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.filters import CommandStart
    from aiogram.fsm.context import FSMContext
    from aiogram.fsm.state import State, StatesGroup
    from aiogram.fsm.storage.base import DefaultKeyBuilder
    from aiogram.fsm.storage.redis import RedisStorage
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
    from redis.asyncio import Redis

    canned = json.dumps({"ok": True, "result": sent_message()})

    class StubSession(AiohttpSession):
        """aiogram's session with the socket taken out: form built, canned answer parsed."""

        async def make_request(self, bot: Any, method: Any, timeout: int | None = None) -> Any:
            SENT["aiogram"] += 1
            self.build_form_data(bot=bot, method=method)
            return self.check_response(bot=bot, method=method, status_code=200, content=canned).result

    Screening = type("Screening", (StatesGroup,), {f"q{i}": State() for i in range(len(ANSWERS))})
    states = [getattr(Screening, f"q{i}") for i in range(len(ANSWERS))]
    prefix = f"intake_bench_{int(time.time())}"

    def markup(options: int) -> Any:
        if not options:
            return None
        return InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text=f"Option {i}", callback_data=str(i))] for i in range(options)])

    async def reply(message: Message, step: int) -> None:
        for text, options in transcript[step]:
            await message.answer(text, reply_markup=markup(options))

    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        await state.set_data({})
        await state.set_state(states[0])
        await reply(message, 0)

    def answer(i: int) -> None:
        @router.message(states[i])
        async def handle(message: Message, state: FSMContext) -> None:
            await state.update_data({FIELDS[i]: message.text})
            if i + 1 < len(ANSWERS):
                await state.set_state(states[i + 1])
            else:
                await state.clear()
            await reply(message, i + 1)

    for i in range(len(ANSWERS)):
        answer(i)

    async def main() -> Timing:
        redis = Redis.from_url(REDIS_URL)
        storage = RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix=prefix))
        dp = Dispatcher(storage=storage)
        dp.include_router(router)
        bot = Bot(TOKEN, session=StubSession())
        warm = [Update.model_validate(u, context={"bot": bot}) for u in updates(3, 1)]
        items = [Update.model_validate(u, context={"bot": bot}) for u in updates(conversations, 10_000)]
        try:
            for u in warm:
                await dp.feed_update(bot, u)
            return await atimed(items, lambda u: dp.feed_update(bot, u))
        finally:
            keys = [k async for k in redis.scan_iter(match=f"{prefix}:*")]  # only our own keys
            if keys:
                await redis.delete(*keys)
            await storage.close()
            await bot.session.close()

    return asyncio.run(main())


def redis_ready() -> str | None:
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


# -- the floor ---------------------------------------------------------------------------------


def floor_timing(transcript: list[list[tuple[str, int]]], conversations: int) -> Timing:
    path = temp_dir("floor") / "floor.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE conv (chat INTEGER PRIMARY KEY, state INTEGER NOT NULL, record TEXT NOT NULL)")
    conn.execute("CREATE TABLE msg (id INTEGER PRIMARY KEY, chat INTEGER NOT NULL, "
                 "update_id INTEGER UNIQUE, body TEXT NOT NULL)")
    following = {s: s + 1 for s in range(len(ANSWERS))}  # the dict state machine
    replies = [[text for text, _ in step] for step in transcript]

    def turn(update: tuple[int, int, str]) -> None:
        uid, chat, text = update
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT state, record FROM conv WHERE chat = ?", (chat,)).fetchone()
        if text == "/start" or row is None:
            state, record = 0, {}
        else:
            record = json.loads(row[1])
            record[FIELDS[row[0]]] = text
            state = following[row[0]]
        conn.execute("INSERT INTO msg (chat, update_id, body) VALUES (?, ?, ?)", (chat, uid, text))
        conn.execute("INSERT OR REPLACE INTO conv VALUES (?, ?, ?)", (chat, state, json.dumps(record)))
        conn.executemany("INSERT INTO msg (chat, body) VALUES (?, ?)",
                         [(chat, body) for body in replies[state]])
        conn.execute("COMMIT")

    def items(n: int, first: int) -> list[tuple[int, int, str]]:
        return [(u["update_id"], u["message"]["chat"]["id"], u["message"]["text"])
                for u in updates(n, first)]

    for u in items(3, 1):
        turn(u)
    timing = timed(items(conversations, 10_000), turn)
    conn.close()
    return timing


# -- the part ------------------------------------------------------------------------------------


def run(context: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    n, n_pickle = SIZES["conversations"], SIZES["ptb_pickle_conversations"]
    transcript = context.get("reference")
    engine: Timing | None = context.get("engine_sqlite")
    if transcript is None or engine is None:
        # Run alone: a smaller engine sample of our own, for the ratios.
        from bench.common import TelegramInbounds
        from bench.engine import run_engine, warm_up

        app = make_app(sqlite_url(temp_dir("peers-engine")), temp_dir("peers-engine-data"))
        inbounds = TelegramInbounds()
        warm_up(app, inbounds, 1)
        transcript = reference_transcript(app)
        engine = run_engine(app, inbounds, 10_000, SIZES["engine_sample_conversations"])
        app.db.dispose()
        results.update(engine.summary("peers.engine_sample"))
    results["peers.replies_per_screening"] = sum(len(s) for s in transcript)

    floors = sorted((floor_timing(transcript, n) for _ in range(SIZES["floor_samples"])),
                    key=lambda t: t.cpu_us_per_turn)
    timings: dict[str, Timing] = {"floor": floors[len(floors) // 2]}
    results["peers.floor.cpu_us_per_turn_samples"] = [round(t.cpu_us_per_turn, 1) for t in floors]
    # Like ours (bench/engine.py), the median of three runs of under a second each.
    nones = sorted((ptb_timing(transcript, n, None) for _ in range(SIZES["ptb_none_samples"])),
                   key=lambda t: t.turns_per_s)
    timings["ptb_none"] = nones[len(nones) // 2]
    results["peers.ptb_none.turns_per_s_samples"] = [round(t.turns_per_s, 1) for t in nones]
    timings["ptb_pickle"] = ptb_timing(transcript, n_pickle, str(temp_dir("ptb") / "ptb.pickle"))
    problem = redis_ready()
    if problem is None:
        timings["aiogram_redis"] = aiogram_timing(transcript, n)
    else:
        results["peers.aiogram_redis.skipped"] = f"Redis unreachable at {REDIS_URL}: {problem}"
    for name, timing in timings.items():
        results.update(timing.summary(f"peers.{name}"))
    # Stubbed Bot API calls made (getMe + every reply): shows the peers really sent their replies.
    results["peers.ptb.stub_calls"] = SENT["ptb"]
    results["peers.aiogram.stub_calls"] = SENT["aiogram"]

    ours = engine.turns_per_s
    ours_cost = engine.cpu_us_per_turn
    floor = timings["floor"]
    results["ratio.engine_vs_floor_cost"] = round(ours_cost / floor.cpu_us_per_turn, 2)
    results["ratio.engine_vs_ptb_none"] = round(ours / timings["ptb_none"].turns_per_s, 3)
    results["ratio.engine_vs_ptb_pickle"] = round(ours / timings["ptb_pickle"].turns_per_s, 3)
    if "aiogram_redis" in timings:
        results["ratio.engine_vs_aiogram_redis"] = round(ours / timings["aiogram_redis"].turns_per_s, 3)

    rows: list[tuple[str, Any, str]] = [
        ("engine (ours, SQLite)", round(ours, 1),
         f"{engine.cpu_us_per_turn:,.0f} us CPU/turn, {engine.cpu_us_per_turn / floor.cpu_us_per_turn:.1f}x floor"),
    ]
    notes = {"floor": f"{n} conversations, median of {len(floors)} runs",
             "ptb_none": f"{n} conversations, median of {len(nones)} runs, state in memory only",
             "ptb_pickle": f"{n_pickle} conversations, pickle written after every update",
             "aiogram_redis": f"{n} conversations, Redis storage"}
    for name, timing in timings.items():
        rows.append((f"peers.{name}.turns_per_s", round(timing.turns_per_s, 1),
                     f"{timing.cpu_us_per_turn:,.0f} us CPU/turn, "
                     f"p99 {percentile(timing.latencies, 99) * 1e3:.2f} ms, "
                     f"{timing.cpu_us_per_turn / floor.cpu_us_per_turn:.1f}x floor; {notes[name]}"))
    for key, note in (
        ("ratio.engine_vs_floor_cost", "our CPU per turn / the floor's (target <= 5)"),
        ("ratio.engine_vs_ptb_none", "our turns/s / PTB without persistence (target >= 1)"),
        ("ratio.engine_vs_ptb_pickle", "our turns/s / PTB with PicklePersistence"),
        ("ratio.engine_vs_aiogram_redis", "our turns/s / aiogram + Redis (target >= 5)"),
    ):
        if key in results:
            rows.append((key, results[key], note))
    print_table(f"peers: the same {STEPS}-turn screening, in-process, network stubbed", rows)
    return results
