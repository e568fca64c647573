"""Machine translation for caseworkers: read a person's message in one's own language.

Optional: it talks to a LibreTranslate server the organisation hosts itself, so what people
write about their situation never goes to a third-party cloud. With no server configured there
is no translator, and nothing is sent anywhere. Errors never quote the message: it is personal
data, and error messages end up in logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["MAX_CHARS", "Translation", "TranslationError", "Translator", "translator_from"]

ENGINE = "libretranslate"
MAX_CHARS = 5000  # a message is far shorter; beyond this it is not a message, and slow to translate


@dataclass(frozen=True)
class Translation:
    text: str
    source: str | None  # the language the server detected, or the one given
    target: str
    engine: str


class TranslationError(Exception):
    """The translation failed; the message is safe to show a caseworker and to log."""


def engine_code(locale: str) -> str:
    """LibreTranslate knows languages, not regions or scripts: ``pt_BR`` → ``pt``."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


class Translator:
    """A client of one LibreTranslate server; ``client`` lets tests bring their own."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 8.0,
                 client: httpx.Client | None = None) -> None:
        self.endpoint = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout
        self.client = client

    def translate(self, text: str, target: str, source: str | None = None) -> Translation:
        if not text.strip():
            return Translation(text, None, target, ENGINE)
        if len(text) > MAX_CHARS:
            raise TranslationError(f"the message is too long to translate (over {MAX_CHARS} characters)")
        body: dict[str, str] = {"q": text, "source": engine_code(source) if source else "auto",
                                "target": engine_code(target), "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        post = self.client.post if self.client else httpx.post
        try:
            response = post(self.endpoint, json=body, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            raise TranslationError("the translation server did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise TranslationError("the translation server could not be reached") from exc
        if response.status_code >= 400:
            raise TranslationError(f"the translation server answered {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            # from None: the decoder's error could quote the answer, which is the message.
            raise TranslationError("the translation server's answer was not JSON") from None
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("the translation server's answer had no translation")
        return Translation(translated, _detected(answer) or source, target, ENGINE)


def _detected(answer: dict[str, Any]) -> str | None:
    """The detected language; some LibreTranslate versions answer a list of guesses, best first."""
    found = answer.get("detectedLanguage")
    if isinstance(found, list):
        found = found[0] if found else None
    language = found.get("language") if isinstance(found, dict) else None
    return language if isinstance(language, str) and language else None


def translator_from(url: str | None, api_key: str | None) -> Translator | None:
    """The configured translator, or None: without a server, messages are never sent."""
    url = (url or "").strip()
    return Translator(url, api_key or None) if url else None
