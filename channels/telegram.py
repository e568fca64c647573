"""The Telegram channel: Bot API updates in, messages with inline keyboards out (python-telegram-bot).

Webhook and long polling both end in ``parse_update``; ``send`` renders options as an inline
keyboard, splits long texts, paces each chat and translates PTB's errors into ``channels.base``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar, Self

import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram import error as tg_error
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from channels._aiohttp_request import AiohttpRequest
from channels._slots import Slots
from channels._telegram_update import (
    decode_callback,
    encode_callback,
    plain_text,
    shape_problem,
    to_inbound,
)
from channels._text import split_text, without_surrogates
from channels.base import (
    BadRequest,
    Capabilities,
    ChannelBase,
    Forbidden,
    Handler,
    Inbound,
    Option,
    Outbound,
    PermanentError,
    RateLimited,
    Received,
    Sent,
    TemporaryError,
    Unreachable,
    WebhookCall,
    plain,
)

__all__ = ["TelegramChannel", "decode_callback", "encode_callback"]

log = logging.getLogger(__name__)
# PTB warns when its generic call names a method it also wraps; _send_text does so on purpose.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage' instead", category=PTBUserWarning)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK = "/webhooks/telegram"
_READ = ("message", "edited_message", "callback_query")  # the update types whose content we use
DEFAULT_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


def _file_url(base_url: str) -> str:
    # ".../bot" -> ".../file/bot" (also with "{token}"), as Telegram and local servers lay it out.
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url


def _header(headers: Mapping[str, str], name: str) -> str | None:
    got = headers.get(name)
    if got is None:  # a plain dict is case-sensitive; Starlette's Headers is not
        got = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return got


POOL = 8


class TelegramChannel(ChannelBase):
    """A Telegram bot: one ``telegram.Bot`` and one HTTP pool for the whole process."""

    name: ClassVar[str] = "telegram"
    capabilities: ClassVar[Capabilities] = Capabilities(
        buttons=True, max_length=4096, can_delete=True, title="Telegram",
        pace=timedelta(seconds=1),  # about one message a second per chat (Bot FAQ)
        rate=30.0,  # about thirty a second from one bot to all chats (Bot FAQ)
    )
    webhooks: ClassVar[tuple[str, ...]] = (WEBHOOK,)
    loggers: ClassVar[tuple[str, ...]] = ("telegram",)

    @classmethod
    def configured(cls, settings: Any) -> Self | None:
        """The bot the settings describe, or None without a token."""
        token = plain(settings.telegram_bot_token)
        if not token:
            return None
        return cls(token, webhook_secret=plain(settings.telegram_webhook_secret),
                   api_base_url=settings.telegram_api_base_url)

    def __init__(
        self,
        token: str,
        webhook_secret: str | None = None,
        api_base_url: str = "https://api.telegram.org/bot",
        *,
        base_file_url: str | None = None,
        pace_seconds: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.pace_seconds = pace_seconds
        self._slot_sem: Slots | None = None  # made in the loop that uses it
        self._slot_loop: asyncio.AbstractEventLoop | None = None
        # aiohttp rather than PTB's default httpx: a third of the CPU per call (see the module).
        # A few keep-alive connections are all one host needs.
        request = AiohttpRequest(POOL, read_timeout=timeout, pool_timeout=timeout)
        # getUpdates holds its connection for the whole long poll, so it gets its own small pool.
        polling = AiohttpRequest(1, read_timeout=timeout)
        self.bot = telegram.Bot(
            token,
            base_url=api_base_url,
            base_file_url=base_file_url or _file_url(api_base_url),
            request=request,
            get_updates_request=polling,
        )
        self._next_slot: dict[str, float] = {}

    async def start(self) -> None:
        """Open the HTTP pools and check the token (``getMe``)."""
        await self._call(self.bot.initialize())

    async def close(self) -> None:
        await self.bot.shutdown()

    # -- receiving -------------------------------------------------------------------------

    def receive(self, call: WebhookCall) -> Received:
        inbounds = tuple(self.parse_webhook(call.headers, call.body))
        queries = [i.meta["callback_query_id"] for i in inbounds if i.meta.get("callback_query_id")]
        if not queries:
            return Received(inbounds=inbounds)

        async def stop_spinners() -> None:
            for query in queries:
                await self.answer_callback(query)

        return Received(inbounds=inbounds, after=stop_spinners)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        """Verify the secret header and parse a webhook body; Forbidden or BadRequest otherwise."""
        got = _header(headers, SECRET_HEADER)
        if not self.webhook_secret or got is None or not hmac.compare_digest(
            got.encode(), self.webhook_secret.encode()
        ):
            raise Forbidden("missing or wrong Telegram secret token")
        try:
            data = json.loads(body)
        except RecursionError as exc:
            raise BadRequest("body is nested too deeply") from exc
        except ValueError as exc:  # UnicodeDecodeError included
            raise BadRequest("body is not JSON") from exc
        return self.parse_update(data)

    def parse_update(self, data: Any) -> list[Inbound]:
        """Turn one Update (as a dict) into inbound messages: none when nobody can be answered.

        BadRequest says in words what is wrong ("message.text must be a string"), never with
        a Python exception's name. A lone surrogate in any text becomes U+FFFD: the message is
        kept, and can be stored."""
        if not isinstance(data, dict):
            raise BadRequest("not a Telegram update: the body must be a JSON object")
        if type(data.get("update_id")) is not int:
            raise BadRequest("not a Telegram update: update_id must be a whole number")
        try:
            data = without_surrogates(data)
        except RecursionError as exc:
            raise BadRequest("body is nested too deeply") from exc
        quick = plain_text(self.name, data)
        if quick is not None:
            return [quick]
        problem = shape_problem(data)
        if problem:
            raise BadRequest(f"malformed update: {problem}")
        kind = next((k for k in data if k != "update_id"), "")
        try:
            update = Update.de_json(data, self.bot)
        except Exception as exc:  # a field with the wrong shape, or one PTB now requires
            if kind in _READ:
                raise BadRequest(f"malformed update: {kind} is not what Telegram sends") from exc
            update = Update(data["update_id"])  # a type we only acknowledge: the raw JSON will do
        try:
            found = to_inbound(self.name, update, kind, data.get(kind))
        except (TypeError, AttributeError, ValueError, KeyError, OverflowError) as exc:
            # PTB accepts some wrong shapes that shape_problem does not look for.
            raise BadRequest(f"malformed update: a field of {kind} has the wrong type") from exc
        return [found] if found else []

    # -- sending ---------------------------------------------------------------------------

    async def send(self, message: Outbound) -> Sent:
        """Deliver one message: options as buttons on the last part, answering a pending tap first."""
        if message.meta.get("callback_query_id"):
            await self.answer_callback(message.meta["callback_query_id"])
        parts = split_text(message.text, self.capabilities.max_length) or [""]
        markup = self.keyboard(message.options) if message.options else None
        ids: list[str] = []
        for i, part in enumerate(parts):
            await self._pace(message.address)
            last = i == len(parts) - 1
            sent = await self._call(self._send_text(message.address, part, markup if last else None))
            ids.append(str(sent["message_id"]))
        return Sent(provider_ids=tuple(ids), segments=len(parts))

    def _send_text(self, chat_id: str, text: str, markup: InlineKeyboardMarkup | None) -> Awaitable[Any]:
        # sendMessage through the Bot's generic call, which returns Telegram's answer as it
        # came: only its message_id is read, and Bot.send_message's parsing of the answer into
        # a Message was a tenth of the server's CPU under load (bench/webhook.py). Errors,
        # retries and the request itself are the same.
        params: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if markup is not None:
            params["reply_markup"] = markup
        return self.bot.do_api_request("sendMessage", api_kwargs=params)

    @staticmethod
    def keyboard(options: Sequence[Option]) -> InlineKeyboardMarkup:
        """One button per row, or two when every label is short (yes/no fits a phone)."""
        buttons = [InlineKeyboardButton(o.label, callback_data=encode_callback(o, i))
                   for i, o in enumerate(options)]
        width = 2 if all(len(o.label) <= 14 for o in options) else 1
        return InlineKeyboardMarkup([buttons[i:i + width] for i in range(0, len(buttons), width)])

    async def answer_callback(self, query_id: str) -> None:
        """Stop the spinner on a pressed button; a stale query (over ~15 min old) is ignored."""
        with contextlib.suppress(PermanentError):
            await self._call(self.bot.answer_callback_query(query_id))

    async def clear_keyboard(self, chat_id: str, message_id: str) -> None:
        """Remove the buttons of an answered question, so an old answer can't be pressed twice."""
        await self._call(self.bot.edit_message_reply_markup(chat_id, int(message_id)))

    async def delete_messages(self, chat_id: str, message_ids: Sequence[str]) -> None:
        """Delete what the bot sent (quick exit); Telegram takes at most 100 ids a call."""
        ids = [int(m) for m in message_ids]
        for i in range(0, len(ids), 100):
            await self._call(self.bot.delete_messages(chat_id, ids[i:i + 100]))

    async def forget(self, address: str, sent: Sequence[str], received: Sequence[str]) -> None:
        """Delete what the bot sent, where Telegram still allows it (48 hours); the person's
        own messages are theirs to delete."""
        with contextlib.suppress(PermanentError, Unreachable):
            await self.delete_messages(address, [m for m in sent if m.isdigit()])

    async def _pace(self, chat_id: str) -> None:
        # About one message a second per chat (Bot FAQ); PTB's AIORateLimiter has no such limit.
        # Reserving the slot before sleeping keeps concurrent sends to one chat in line.
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._next_slot.get(chat_id, now))
        self._next_slot[chat_id] = slot + self.pace_seconds
        if len(self._next_slot) > 10_000:  # forget chats that went quiet
            self._next_slot = {k: v for k, v in self._next_slot.items() if v > now}
        if slot > now:
            await asyncio.sleep(slot - now)

    # -- webhook and long polling ------------------------------------------------------------

    async def run(self, public_url: str | None, handle: Handler, stop: asyncio.Event) -> None:
        """Without a public URL there is no webhook: long-poll until ``stop``."""
        if not public_url:
            log.info("Telegram long polling (no public URL)")
            await self.poll(handle, stop=stop)

    async def register(self, public_url: str | None, *, delete: bool = False) -> str:
        """Point Telegram at our webhook (or remove it, for long polling); what was done."""
        if delete:
            await self.delete_webhook()
            return "Telegram webhook removed"
        if not public_url:
            raise PermanentError("a webhook needs a public URL (INTAKE_PUBLIC_URL or --url)")
        await self.set_webhook(public_url.rstrip("/") + WEBHOOK)
        return f"Telegram webhook set to {public_url.rstrip('/') + WEBHOOK}"

    async def set_webhook(self, url: str, allowed_updates: Sequence[str] = DEFAULT_UPDATES) -> None:
        if not self.webhook_secret:
            raise PermanentError("a webhook needs TELEGRAM_WEBHOOK_SECRET")
        await self._call(self.bot.set_webhook(
            url, secret_token=self.webhook_secret, allowed_updates=list(allowed_updates)))

    async def delete_webhook(self) -> None:
        await self._call(self.bot.delete_webhook())

    async def get_updates(
        self, offset: int | None = None, timeout: int = 30,
        allowed_updates: Sequence[str] = DEFAULT_UPDATES,
    ) -> tuple[list[Inbound], int | None]:
        """One long poll: the inbound messages and the offset that confirms them next time."""
        updates = await self._call(self.bot.get_updates(
            offset=offset, timeout=timeout, allowed_updates=list(allowed_updates)), long_poll=True)
        found: list[Inbound] = []
        for update in updates:
            raw = update.to_dict()
            kind = next((k for k in raw if k != "update_id"), "")
            inbound = to_inbound(self.name, update, kind, raw.get(kind))
            if inbound:
                found.append(inbound)
        next_offset = updates[-1].update_id + 1 if updates else offset
        return found, next_offset

    async def poll(self, handle: Callable[[list[Inbound]], Awaitable[None]], *, timeout: int = 30,
                   stop: asyncio.Event | None = None) -> None:
        """Long polling until ``stop`` is set (or the task is cancelled).

        A batch is confirmed (the offset moves on) only after ``handle`` returned, so a crash
        loses nothing: Telegram serves the batch again and ``provider_id`` drops the repeats.
        """
        offset: int | None = None
        delay = 1.0
        webhook_removed = False
        while not (stop and stop.is_set()):
            try:
                if not webhook_removed:  # getUpdates is refused while a webhook is set
                    await self.delete_webhook()
                    webhook_removed = True
                found, next_offset = await self.get_updates(offset, timeout)
            except RateLimited as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except (TemporaryError, PermanentError) as exc:  # e.g. a second poller: 409 Conflict
                log.warning("Telegram polling failed, retrying in %.0f s: %s", delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = 1.0
            if found:
                await handle(found)
            offset = next_offset

    def _slots(self) -> Slots:
        # As many calls under way as the pool has connections. A call queued inside the HTTP
        # client would spend its timeout waiting for a connection, and a burst of replies
        # would come back as timeouts to retry; queued here, a call's timeout starts when it
        # is sent, and the HTTP client's pool never holds a long queue of its own.
        loop = asyncio.get_running_loop()
        if self._slot_sem is None or self._slot_loop is not loop:
            self._slot_sem, self._slot_loop = Slots(POOL), loop
        return self._slot_sem

    async def _call(self, request: Any, *, long_poll: bool = False) -> Any:
        """Await one Bot API call, translating PTB's errors at the seam."""
        try:
            if long_poll:  # its own pool; it would hold a slot for the whole poll
                return await request
            async with self._slots():
                return await request
        except tg_error.RetryAfter as exc:
            raise RateLimited(str(exc), retry_after=_seconds(exc)) from exc
        except tg_error.Forbidden as exc:  # blocked, deactivated, never started the bot
            raise Unreachable(str(exc)) from exc
        except tg_error.BadRequest as exc:  # before NetworkError: it is a subclass of it
            if "chat not found" in str(exc).lower():
                raise Unreachable(str(exc)) from exc
            raise PermanentError(str(exc)) from exc
        except tg_error.NetworkError as exc:  # includes TimedOut and 5xx answers
            raise TemporaryError(str(exc)) from exc
        except tg_error.TelegramError as exc:  # InvalidToken, Conflict, ChatMigrated ...
            raise PermanentError(str(exc)) from exc


def _seconds(exc: tg_error.RetryAfter) -> float:
    # PTB 22 returns an int with a deprecation warning, or a timedelta under PTB_TIMEDELTA=1.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
