"""The translation client against a fake LibreTranslate server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from handoff.translate import Translation, TranslationError, Translator, translator_from
from tests.handoff.fake_translate import FakeLibreTranslate

ARABIC = "صاحب العمل أخذ جواز سفري"
HINDI = "मालिक मुझे धमकी देता है"


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy from the environment would take 127.0.0.1 requests elsewhere."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as server:
        yield server


def test_a_known_phrase_in_portuguese_and_english(fake):
    translator = Translator(fake.url)
    assert translator.translate(ARABIC, "pt") == Translation(
        "O empregador tirou-me o passaporte", "ar", "pt", "libretranslate")
    assert translator.translate(HINDI, "en").text == "The owner threatens me"
    assert fake.requests == [
        {"q": ARABIC, "source": "auto", "target": "pt", "format": "text"},
        {"q": HINDI, "source": "auto", "target": "en", "format": "text"},
    ]


def test_our_locale_codes_become_the_servers(fake):
    translator = Translator(fake.url + "/")  # a trailing slash is forgiven
    assert translator.translate(HINDI, "pt_BR", source="hi_IN").text == "O patrão ameaça-me"
    assert translator.translate("hello", "zh_Hans").text == "[zh] hello"
    assert [(r["source"], r["target"]) for r in fake.requests] == [("hi", "pt"), ("auto", "zh")]


def test_the_detected_language_is_returned_only_when_asked_to_detect(fake):
    translator = Translator(fake.url)
    assert translator.translate(HINDI, "pt").source == "hi"
    assert translator.translate("good morning", "pt").source == "en"
    assert translator.translate(ARABIC, "en", source="ar").source == "ar"


def test_a_list_of_detected_languages_gives_the_first():
    answer = {"translatedText": "x", "detectedLanguage": [{"confidence": 80, "language": "ur"},
                                                         {"confidence": 20, "language": "hi"}]}
    client = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=answer)))
    assert Translator("http://translate.test", client=client).translate("x", "en").source == "ur"


def test_the_api_key_is_sent_and_required():
    with FakeLibreTranslate(api_key="s3cret") as fake:
        assert Translator(fake.url, "s3cret").translate(ARABIC, "en").text == "The employer took my passport"
        assert fake.requests[0]["api_key"] == "s3cret"
        with pytest.raises(TranslationError, match="answered 403"):
            Translator(fake.url).translate(ARABIC, "en")
        assert "api_key" not in fake.requests[1]


def test_a_server_error_does_not_quote_the_message(fake):
    fake.fail = True
    with pytest.raises(TranslationError, match="answered 500") as caught:
        Translator(fake.url).translate(ARABIC, "pt")
    assert ARABIC not in str(caught.value)
    assert len(fake.requests) == 1


def test_a_slow_server_times_out(fake):
    fake.delay = 2.0
    with pytest.raises(TranslationError, match="did not answer in time"):
        Translator(fake.url, timeout=0.3).translate(HINDI, "pt")


def test_an_unreachable_server():
    fake = FakeLibreTranslate()
    fake.start().stop()  # the port is now closed
    with pytest.raises(TranslationError, match="could not be reached"):
        Translator(fake.url, timeout=1).translate(HINDI, "pt")


def test_an_answer_that_is_not_a_translation(fake):
    fake.raw = b"<html>" + ARABIC.encode() + b"</html>"
    with pytest.raises(TranslationError, match="not JSON") as caught:
        Translator(fake.url).translate(ARABIC, "pt")
    assert ARABIC not in str(caught.value)
    fake.raw = b'{"error": null}'
    with pytest.raises(TranslationError, match="no translation"):
        Translator(fake.url).translate(ARABIC, "pt")


def test_an_over_long_text_is_refused_without_a_request(fake):
    translator = Translator(fake.url)
    with pytest.raises(TranslationError, match="too long") as caught:
        translator.translate("x" * 5001, "pt")
    assert "xxx" not in str(caught.value)
    assert fake.requests == []
    assert translator.translate("x" * 5000, "pt").text.startswith("[pt] xxx")


@pytest.mark.parametrize("text", ["", "  \n\t"])
def test_empty_text_is_not_sent(fake, text):
    assert Translator(fake.url).translate(text, "pt") == Translation(text, None, "pt", "libretranslate")
    assert fake.requests == []


@pytest.mark.parametrize("url", [None, "", "  "])
def test_no_server_configured_no_translator(fake, url):
    assert translator_from(url, "key") is None
    assert fake.requests == []


def test_a_configured_translator():
    translator = translator_from("http://translate.internal:5000/", "")
    assert translator is not None
    assert translator.endpoint == "http://translate.internal:5000/translate"
    assert translator.api_key is None
