"""The language-choice policy, with a fake detector (fast) and the real one (end to end)."""

from __future__ import annotations

import pytest

from locales import Detection, Resolution, resolve


def fake(locale: str | None, confidence: float = 0.95, method: str = "lingua", alts=()):
    found = Detection(locale, confidence, method, tuple(alts)) if locale else None
    return lambda text: found


LONG_UK = "Доброго дня, мені потрібна допомога щоб повернутися додому"


def test_explicit_choice_always_wins() -> None:
    got = resolve("uk", LONG_UK, "pt", "pt-br", "+5511987654321", True, detector=fake("ru"))
    assert got == Resolution("uk", "explicit")
    assert resolve("pt-br", "", None, None, None, False).locale == "pt_BR"  # any spelling


def test_confident_first_message_beats_every_hint() -> None:
    got = resolve(None, LONG_UK, None, "en", "+447911123456", False, detector=fake("uk"))
    assert got == Resolution("uk", "detected")


@pytest.mark.parametrize(
    ("current", "telegram", "phone", "expected"),
    [
        ("ru", "en", "+5511987654321", Resolution("ru", "current")),
        (None, "pt-br", "+380501234567", Resolution("pt_BR", "device")),
        (None, "nb", "+380501234567", Resolution("uk", "phone")),
        (None, None, "+351912345678", Resolution(None, "menu")),
        (None, None, None, Resolution(None, "menu")),
        ("xx", "zh-TW", "+4915112345678", Resolution(None, "menu")),
    ],
)
def test_fallback_order_without_detection(current, telegram, phone, expected) -> None:
    assert resolve(None, "👍", current, telegram, phone, False, detector=fake(None)) == expected


def test_ongoing_conversation_short_text_never_switches() -> None:
    got = resolve(None, "так", "en", None, None, True, detector=fake("uk", 0.4))
    assert got == Resolution("en", "current")
    # unique script, one word: offer, don't switch
    got = resolve(None, "ਹਾਂ", "en", None, None, True, detector=fake("pa", 0.99, "script"))
    assert got == Resolution("en", "current", ask="pa")


def test_ongoing_conversation_long_confident_message_switches() -> None:
    got = resolve(None, LONG_UK, "en", None, None, True, detector=fake("uk", 0.95))
    assert got == Resolution("uk", "detected-switch")


def test_ongoing_conversation_medium_evidence_asks() -> None:
    got = resolve(None, "Hola necesito ayuda", "en", None, None, True, detector=fake("es", 0.85))
    assert got == Resolution("en", "current", ask="es")
    romanised = fake("hi", 0.6, "romanised", ("ur",))
    got = resolve(
        None, "mujhe ghar wapas jana hai please", "en", None, None, True, detector=romanised
    )
    assert got == Resolution("en", "current", ask="hi")


def test_portuguese_variants_never_flip_mid_conversation() -> None:
    got = resolve(None, "estou a precisar de ajuda agora mesmo", "pt_BR", None, None, True,
                  detector=fake("pt", 0.95, "lingua+markers"))  # fmt: skip
    assert got == Resolution("pt_BR", "current")


def test_plain_portuguese_uses_a_hint_or_asks() -> None:
    plain = fake("pt", 0.7, "lingua", ("pt_BR",))
    text = "Preciso de ajuda para voltar ao meu país"
    assert resolve(None, text, None, "pt-br", None, False, detector=plain) == Resolution(
        "pt_BR", "detected+hint"
    )
    assert (
        resolve(None, text, None, None, "+5511987654321", False, detector=plain).locale == "pt_BR"
    )
    assert resolve(None, text, None, None, None, False, detector=plain) == Resolution(
        "pt", "detected", ask="pt_BR"
    )


def test_romanised_first_message_answers_in_the_guess_and_offers_the_sister() -> None:
    romanised = fake("hi", 0.6, "romanised", ("ur",))
    got = resolve(None, "mujhe ghar wapas jana hai", None, None, None, False, detector=romanised)
    assert got == Resolution("hi", "detected", ask="ur")
    got = resolve(
        None, "mujhe ghar wapas jana hai", None, None, "+923001234567", False, detector=romanised
    )
    assert got == Resolution("ur", "detected+hint")


def test_romanised_first_sms_gets_the_short_menu() -> None:
    romanised = fake("pa", 0.6, "romanised", ("hi", "ur"))
    got = resolve(None, "mainu ghar jana hai ji", None, None, "+351912345678", False,
                  shortlist_romanised=True, detector=romanised)
    assert got == Resolution(None, "menu", ask="pa", shortlist=("pa", "hi", "ur"))


def test_what_they_write_outranks_every_prior() -> None:
    got = resolve(None, LONG_UK, "en", "en", None, True, settled=False, page="en",
                  detector=fake("uk", 0.6))
    assert got == Resolution("uk", "detected") and got.source == "text"
    kept = resolve(None, "ok", "en", None, None, True, settled=False, detector=fake(None))
    assert kept == Resolution("en", "current") and kept.source is None


def test_weak_detection_only_decorates_a_hint() -> None:
    got = resolve(None, "hello there", None, "uk", None, False, detector=fake("en", 0.25))
    assert got == Resolution("uk", "device")


def test_a_weak_guess_in_its_own_script_beats_a_prior_it_cannot_be_written_in() -> None:
    # "алло" on a phone set to English: too short to be sure, but never English.
    got = resolve(None, "алло", None, "en", None, False, settled=False, detector=fake("ru", 0.25))
    assert got == Resolution("ru", "detected")
    # Latin letters can be any language romanised: the prior stays.
    kept = resolve(None, "salam", None, "en", None, False, settled=False, detector=fake("ar", 0.25))
    assert kept == Resolution("en", "device")


@pytest.mark.usefixtures("preloaded")
@pytest.mark.parametrize(
    ("text", "current", "telegram", "phone", "ongoing", "locale", "ask"),
    [
        (
            "oi quero voltar pro brasil nao tenho dinheiro",
            None,
            None,
            "+351912345678",
            False,
            "pt_BR",
            None,
        ),
        ("Olá, estou a precisar de ajuda para voltar", None, "en", None, False, "pt", None),
        ("Olá", None, "pt-br", None, False, "pt_BR", None),
        ("sim", "pt_BR", None, None, True, "pt_BR", None),
        ("Я потеряла работу и не знаю, что делать дальше", "uk", None, None, True, "ru", None),
        ("म नेपाल फर्कन चाहन्छु", None, "en", None, False, "ne", None),
        ("ਸਤ ਸ੍ਰੀ ਅਕਾਲ", None, None, None, False, "pa", None),
        ("ok", None, None, "+9779812345678", False, "ne", None),
    ],
)
def test_end_to_end(text, current, telegram, phone, ongoing, locale, ask) -> None:
    got = resolve(None, text, current, telegram, phone, ongoing)
    assert (got.locale, got.ask) == (locale, ask), got
