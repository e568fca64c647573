"""Sending through the real python-telegram-bot client to the fake Bot API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from channels.base import (
    Option,
    Outbound,
    PermanentError,
    RateLimited,
    TemporaryError,
    Unreachable,
)
from channels.fakes import FakeTelegramAPI
from channels.fakes.telegram_api import text_update
from channels.telegram import TelegramChannel
from tests.channels.conftest import TOKEN

Api = tuple[FakeTelegramAPI, str]


def run(api: Api, body: Callable[[TelegramChannel], Awaitable[Any]], **kwargs: Any) -> Any:
    """Start a channel on the fake, run ``body`` with it, close it."""
    async def main() -> Any:
        channel = TelegramChannel(TOKEN, "secret", api[1], pace_seconds=0, **kwargs)
        await channel.start()
        try:
            return await body(channel)
        finally:
            await channel.close()
    return asyncio.run(main())


def out(text: str, *options: tuple[str, str], **meta: str) -> Outbound:
    return Outbound("telegram", "42", text, tuple(Option(*o) for o in options), meta=meta)


def test_start_calls_get_me_on_the_configured_base_url(telegram_api: Api) -> None:
    run(telegram_api, lambda ch: asyncio.sleep(0))
    [call] = telegram_api[0].requests("getMe")
    assert call.token == TOKEN


def test_plain_text(telegram_api: Api) -> None:
    sent = run(telegram_api, lambda ch: ch.send(out("Olá")))
    [params] = telegram_api[0].sent
    assert params == {"chat_id": 42, "text": "Olá"}
    assert len(sent.provider_ids) == 1 and sent.segments == 1


def test_options_become_an_inline_keyboard(telegram_api: Api) -> None:
    run(telegram_api, lambda ch: ch.send(out("Tem passaporte?", ("Sim", "yes"), ("Não", "no"))))
    keyboard = telegram_api[0].sent[0]["reply_markup"]["inline_keyboard"]
    assert keyboard == [[{"text": "Sim", "callback_data": "o:yes"},
                         {"text": "Não", "callback_data": "o:no"}]]


def test_long_labels_get_a_row_each_and_long_values_an_index(telegram_api: Api) -> None:
    options = [("Passaporte válido", "valid_passport"), ("Não tenho documento", "v" * 70)]
    run(telegram_api, lambda ch: ch.send(out("?", *options)))
    rows = telegram_api[0].sent[0]["reply_markup"]["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in rows] == [["o:valid_passport"], ["i:2"]]
    assert all(len(b["callback_data"].encode()) <= 64 for row in rows for b in row)


def test_long_text_is_split_with_the_keyboard_on_the_last_part(telegram_api: Api) -> None:
    text = "\n\n".join(f"Parágrafo {i}." + " palavra" * 60 for i in range(20))
    sent = run(telegram_api, lambda ch: ch.send(out(text, ("OK", "ok"))))
    calls = telegram_api[0].sent
    assert len(calls) == sent.segments == len(sent.provider_ids) >= 3
    assert all(len(c["text"]) <= 4096 for c in calls)
    assert all(c["text"].startswith("Parágrafo") for c in calls)  # cut at paragraphs
    assert [("reply_markup" in c) for c in calls] == [False] * (len(calls) - 1) + [True]
    assert "\n\n".join(c["text"] for c in calls) == text


def test_a_pending_button_press_is_answered_first(telegram_api: Api) -> None:
    run(telegram_api, lambda ch: ch.send(out("Obrigado", callback_query_id="77")))
    methods = [c.method for c in telegram_api[0].requests() if c.method != "getMe"]
    assert methods == ["answerCallbackQuery", "sendMessage"]
    assert telegram_api[0].requests("answerCallbackQuery")[0].params == {"callback_query_id": "77"}


def test_a_stale_callback_query_does_not_stop_the_reply(telegram_api: Api) -> None:
    telegram_api[0].bad_request_next(description="Bad Request: query is too old",
                                     method="answerCallbackQuery")
    run(telegram_api, lambda ch: ch.send(out("Obrigado", callback_query_id="77")))
    assert len(telegram_api[0].sent) == 1


@pytest.mark.parametrize(("arm", "error"), [
    (lambda f: f.fail_next(status=500), TemporaryError),
    (lambda f: f.fail_next(status=502), TemporaryError),
    (lambda f: f.block_next(), Unreachable),
    (lambda f: f.bad_request_next(), Unreachable),  # "chat not found"
    (lambda f: f.bad_request_next(description="Bad Request: message text is empty"),
     PermanentError),
    (lambda f: f.fail_next(status=503), TemporaryError),
])
def test_faults_are_translated(telegram_api: Api, arm: Callable[[FakeTelegramAPI], None],
                               error: type[Exception]) -> None:
    arm(telegram_api[0])
    with pytest.raises(error):
        run(telegram_api, lambda ch: ch.send(out("Olá")))


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB
def test_429_carries_retry_after(telegram_api: Api) -> None:
    telegram_api[0].rate_limit_next(retry_after=7)
    with pytest.raises(RateLimited) as caught:
        run(telegram_api, lambda ch: ch.send(out("Olá")))
    assert caught.value.retry_after == 7.0


def test_unreachable_server_is_temporary() -> None:
    async def main() -> None:
        channel = TelegramChannel(TOKEN, "s", "http://127.0.0.1:9/bot", pace_seconds=0)
        try:
            await channel.send(out("Olá"))
        finally:
            await channel.close()
    with pytest.raises(TemporaryError):
        asyncio.run(main())


def test_messages_to_one_chat_are_paced(telegram_api: Api) -> None:
    async def three(ch: TelegramChannel) -> None:
        ch.pace_seconds = 0.2
        other = Outbound("telegram", "43", "x")
        await asyncio.gather(ch.send(out("1")), ch.send(out("2")), ch.send(out("3")),
                             ch.send(other))
    run(telegram_api, three)
    times = {c.params["text"]: c.at for c in telegram_api[0].requests("sendMessage")}
    assert times["3"] - times["1"] >= 0.35            # 1 -> 2 -> 3 spaced by the pace
    assert abs(times["x"] - times["1"]) < 0.15        # another chat does not wait


def test_webhook_set_and_delete(telegram_api: Api) -> None:
    async def body(ch: TelegramChannel) -> None:
        await ch.set_webhook("https://bot.example.org/webhooks/telegram")
        assert telegram_api[0].webhook["secret_token"] == "secret"
        await ch.delete_webhook()
    run(telegram_api, body)
    [call] = telegram_api[0].requests("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhooks/telegram"
    assert call.params["secret_token"] == "secret"
    assert "callback_query" in call.params["allowed_updates"]
    assert telegram_api[0].webhook == {}


def test_long_polling_returns_inbound_and_the_next_offset(telegram_api: Api) -> None:
    first = telegram_api[0].queue_update(text_update(42, "/start ngo1"))
    telegram_api[0].queue_update(text_update(43, "olá", language_code="ne"))

    async def body(ch: TelegramChannel) -> tuple[Any, Any, Any]:
        found, offset = await ch.get_updates(None, timeout=0)
        again, offset2 = await ch.get_updates(offset, timeout=0)
        return found, offset, (again, offset2)
    found, offset, (again, offset2) = run(telegram_api, body)
    assert [(i.address, i.text, i.source, i.locale_hint) for i in found] == [
        ("42", "/start", "ngo1", "pt-br"), ("43", "olá", None, "ne")]
    assert offset == first["update_id"] + 2
    assert (again, offset2) == ([], offset)  # confirmed updates are not served again


def test_long_poll_waits_for_an_update(telegram_api: Api) -> None:
    async def body(ch: TelegramChannel) -> Any:
        async def later() -> None:
            await asyncio.sleep(0.2)
            telegram_api[0].queue_update(text_update(42, "hi"))
        task = asyncio.create_task(later())
        started = time.monotonic()
        found, _ = await ch.get_updates(None, timeout=5)
        await task
        return found, time.monotonic() - started
    found, took = run(telegram_api, body)
    assert [i.text for i in found] == ["hi"] and 0.15 < took < 3


def test_quick_exit_deletes_in_batches_of_100(telegram_api: Api) -> None:
    ids = [str(i) for i in range(1, 151)]
    run(telegram_api, lambda ch: ch.delete_messages("42", ids))
    calls = telegram_api[0].requests("deleteMessages")
    assert [len(c.params["message_ids"]) for c in calls] == [100, 50]
    assert calls[0].params["chat_id"] == 42


def test_clear_keyboard(telegram_api: Api) -> None:
    run(telegram_api, lambda ch: ch.clear_keyboard("42", "20"))
    [call] = telegram_api[0].requests("editMessageReplyMarkup")
    assert call.params == {"chat_id": 42, "message_id": 20}


def test_wrong_token_is_permanent(telegram_api: Api) -> None:
    async def main() -> None:
        channel = TelegramChannel("999:WRONG", "s", telegram_api[1], pace_seconds=0)
        try:
            await channel.start()
        finally:
            await channel.close()
    with pytest.raises(PermanentError):
        asyncio.run(main())


def test_file_url_follows_the_api_base_url() -> None:
    channel = TelegramChannel(TOKEN, "s", "http://127.0.0.1:8081/bot")
    assert channel.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    templated = TelegramChannel(TOKEN, "s", "http://h/tg/bot{token}/x")
    assert templated.bot.base_url == f"http://h/tg/bot{TOKEN}/x"
    assert templated.bot.base_file_url == f"http://h/tg/file/bot{TOKEN}/x"


def test_poll_hands_over_batches_and_survives_a_5xx(telegram_api: Api) -> None:
    fake = telegram_api[0]
    fake.queue_update(text_update(42, "um"))
    fake.fail_next(times=1, method="getUpdates")
    got: list[str] = []

    async def body(ch: TelegramChannel) -> None:
        stop = asyncio.Event()

        async def handle(batch: list[Any]) -> None:
            got.extend(i.text for i in batch)
            if len(got) == 1:
                fake.queue_update(text_update(42, "dois"))
            else:
                stop.set()
        await asyncio.wait_for(ch.poll(handle, timeout=1, stop=stop), 10)
    run(telegram_api, body)
    assert got == ["um", "dois"]
    assert fake.requests("deleteWebhook")
    offsets = [c.params.get("offset") for c in fake.requests("getUpdates")]
    assert offsets[0] is None and offsets[-1] is not None
