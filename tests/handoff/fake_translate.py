"""A fake LibreTranslate server: real HTTP on 127.0.0.1, so the client is tested end to end
without a real server (or any network) and every request it sends can be inspected.

    with FakeLibreTranslate(api_key="k") as fake:
        Translator(fake.url, "k").translate(...)
        fake.requests   # the JSON bodies received, in order
        fake.fail = True     # answer 500
        fake.delay = 1.0     # sleep this long before answering
        fake.raw = b"<html>" # answer these bytes with 200 instead of a translation
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["PHRASES", "FakeLibreTranslate"]

# (text, target) → translation; anything else comes back as "[<target>] <text>".
PHRASES = {
    ("صاحب العمل أخذ جواز سفري", "pt"): "O empregador tirou-me o passaporte",
    ("صاحب العمل أخذ جواز سفري", "en"): "The employer took my passport",
    ("मालिक मुझे धमकी देता है", "pt"): "O patrão ameaça-me",
    ("मालिक मुझे धमकी देता है", "en"): "The owner threatens me",
}
CODE = re.compile(r"[a-z]{2,3}")  # like the real server, it knows "pt", not "pt_BR"


def guess_language(text: str) -> str:
    if re.search(r"[\u0600-\u06ff]", text):
        return "ar"
    if re.search(r"[\u0900-\u097f]", text):
        return "hi"
    return "en"


class FakeLibreTranslate:
    """Start with ``with`` (or ``start()``/``stop()``); settable: fail, delay, raw, api_key."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key
        self.fail = False
        self.delay = 0.0
        self.raw: bytes | None = None
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        # A short poll: shutdown() waits for the loop to notice, half a second by default.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes a slow answer, so stopping never waits for it
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, body: dict[str, Any]) -> tuple[int, Any]:
        """The status and JSON the real server would give (given the switches)."""
        with self._lock:
            self.requests.append(body)
        if self.delay:
            self._stopping.wait(self.delay)
        if self.fail:
            return 500, {"error": "Internal Server Error"}
        if self.api_key and body.get("api_key") != self.api_key:
            return 403, {"error": "Invalid API key"}
        q, source, target = body.get("q"), body.get("source"), body.get("target")
        if not isinstance(q, str) or not isinstance(target, str) or not CODE.fullmatch(target):
            return 400, {"error": "Invalid request"}
        answer: dict[str, Any] = {"translatedText": PHRASES.get((q, target), f"[{target}] {q}")}
        if source == "auto":
            answer["detectedLanguage"] = {"confidence": 90, "language": guess_language(q)}
        return 200, answer


def _handler(fake: FakeLibreTranslate) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/translate":
                self._send(404, b'{"error": "Not Found"}')
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                self._send(400, b'{"error": "Invalid request"}')
                return
            status, answer = fake.answer(body)
            if status == 200 and fake.raw is not None:
                self._send(200, fake.raw, "text/html")
            else:
                self._send(status, json.dumps(answer).encode())

        def _send(self, status: int, data: bytes, kind: str = "application/json") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up waiting (the timeout tests)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    return Handler
