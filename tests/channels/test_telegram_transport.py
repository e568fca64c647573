"""The aiohttp transport under python-telegram-bot: requests as PTB's own transport sends them,
its errors, and its life across event loops."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # how Bot builds its calls

from channels._aiohttp_request import AiohttpRequest


def serve(handler: Any) -> Any:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return TestServer(app)


def data(**params: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


def test_parameters_are_form_encoded_json_values_like_ptb_sends_them() -> None:
    seen: dict[str, Any] = {}

    async def handler(request: web.Request) -> web.Response:
        seen.update(await request.post())
        seen["agent"] = request.headers["User-Agent"]
        return web.json_response({"ok": True, "result": True})

    async def main() -> tuple[int, bytes]:
        async with serve(handler) as server:
            transport = AiohttpRequest()
            await transport.initialize()
            try:
                return await transport.do_request(str(server.make_url("/bot1:A/sendMessage")), "POST",
                                                  data(chat_id=42, text="Olá", reply_markup={"a": [1]}))
            finally:
                await transport.shutdown()

    status, body = asyncio.run(main())
    assert status == 200 and json.loads(body) == {"ok": True, "result": True}
    assert seen["chat_id"] == "42" and seen["text"] == "Olá"
    assert json.loads(seen["reply_markup"]) == {"a": [1]}
    assert "python-telegram-bot" in seen["agent"]


def test_files_go_as_multipart_beside_the_parameters() -> None:
    seen: dict[str, Any] = {}

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        seen["chat_id"] = form["chat_id"]
        upload = form["document"]
        seen["file"] = (upload.filename, upload.file.read())
        return web.json_response({"ok": True, "result": True})

    async def main() -> None:
        async with serve(handler) as server:
            transport = AiohttpRequest()
            try:
                await transport.do_request(
                    str(server.make_url("/bot1:A/sendDocument")), "POST",
                    data(chat_id=42, document=InputFile(b"hello", filename="note.txt")))
            finally:
                await transport.shutdown()

    asyncio.run(main())
    assert seen["chat_id"] == "42" and seen["file"] == ("note.txt", b"hello")


def test_a_server_that_never_answers_is_a_timeout() -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response()

    async def main() -> None:
        async with serve(handler) as server:
            transport = AiohttpRequest(read_timeout=0.2)
            try:
                await transport.do_request(str(server.make_url("/x")), "POST")
            finally:
                await transport.shutdown()

    with pytest.raises(TimedOut):
        asyncio.run(main())


def test_nobody_listening_is_a_network_error() -> None:
    async def main() -> None:
        transport = AiohttpRequest()
        try:
            await transport.do_request("http://127.0.0.1:9/bot1:A/getMe", "POST")
        finally:
            await transport.shutdown()

    with pytest.raises(NetworkError):
        asyncio.run(main())


def test_one_transport_serves_successive_event_loops() -> None:
    """A restart (or a test) runs the bot in a new loop: a new session, not an error."""
    transport = AiohttpRequest()

    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": True})

    async def once() -> int:
        async with serve(handler) as server:
            status, _ = await transport.do_request(str(server.make_url("/x")), "POST")
            return status

    assert asyncio.run(once()) == 200
    assert asyncio.run(once()) == 200


def test_timeouts_given_by_ptb_win_over_the_defaults() -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response({"ok": True, "result": True})

    async def main() -> int:
        async with serve(handler) as server:
            transport = AiohttpRequest(read_timeout=0.1)
            try:  # getUpdates asks for the long poll's own read timeout
                status, _ = await transport.do_request(str(server.make_url("/x")), "POST", read_timeout=2.0)
                return status
            finally:
                await transport.shutdown()

    assert asyncio.run(main()) == 200
    assert AiohttpRequest(read_timeout=3.0).read_timeout == 3.0
