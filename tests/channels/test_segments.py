"""SMS segment counting: GSM-7 vs UCS-2, extension characters, surrogate pairs."""

from __future__ import annotations

import pytest

from channels.segments import count_segments, encoding, split_segments, units

EMOJI = "😀"  # outside the BMP: a surrogate pair, two UTF-16 units

CASES = [
    # (text, encoding, units, segments)
    ("", "GSM-7", 0, 0),
    ("a", "GSM-7", 1, 1),
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("a" * 459, "GSM-7", 459, 3),
    ("a" * 460, "GSM-7", 460, 4),
    ("€", "GSM-7", 2, 1),
    ("a" * 158 + "€", "GSM-7", 160, 1),
    ("a" * 159 + "€", "GSM-7", 161, 2),
    ("{}[]~|^\\", "GSM-7", 16, 1),
    ("é É à Ç ü ñ è ò ù ì", "GSM-7", 19, 1),
    ("a" * 159 + "Ç", "GSM-7", 160, 1),     # capital Ç is GSM 0x09
    ("a" * 159 + "ç", "UCS-2", 160, 3),     # lowercase ç is not
    ("ã", "UCS-2", 1, 1),
    ("a" * 69 + "ã", "UCS-2", 70, 1),
    ("a" * 70 + "ã", "UCS-2", 71, 2),
    ("ã" * 134, "UCS-2", 134, 2),
    ("ã" * 135, "UCS-2", 135, 3),
    (EMOJI, "UCS-2", 2, 1),
    (EMOJI * 35, "UCS-2", 70, 1),
    (EMOJI * 36, "UCS-2", 72, 2),         # 33 pairs fit in 67 units: 33 + 3
    (EMOJI * 67, "UCS-2", 134, 3),        # 134 units would be 2 parts if a pair could be cut
    ("Olá! A sua marcação está confirmada para amanhã às 10h.", "UCS-2", 55, 1),
    ("Привіт", "UCS-2", 6, 1),
    ("नमस्ते", "UCS-2", 6, 1),
]


@pytest.mark.parametrize(("text", "enc", "length", "segments"), CASES)
def test_counts(text: str, enc: str, length: int, segments: int) -> None:
    assert encoding(text) == enc
    assert units(text) == length
    assert count_segments(text) == segments
    assert "".join(split_segments(text)) == text


def test_escape_pair_is_never_split() -> None:
    # 152 plain septets then "€" (2): a 153-septet part cannot take it, so it starts part two.
    parts = split_segments("a" * 152 + "€" + "b" * 10)
    assert parts[0] == "a" * 152
    assert parts[1].startswith("€")


def test_surrogate_pair_is_never_split() -> None:
    parts = split_segments("a" * 66 + EMOJI + "b" * 10)
    assert parts == ["a" * 66, EMOJI + "b" * 10]
    assert all(units(p) <= 67 for p in parts)


def test_multipart_parts_fit_their_budget() -> None:
    text = "Olá " * 100
    assert all(units(p) <= 67 for p in split_segments(text))
    assert all(units(p) <= 153 for p in split_segments("hello " * 100))


def test_folding_keeps_gsm_letters_and_drops_only_missing_accents():
    from channels.segments import fold_to_gsm

    assert fold_to_gsm("não, você está em Lisboa? Ç é à ü ñ") == "nao, voce esta em Lisboa? Ç é à ü ñ"
    assert fold_to_gsm("Acceptați să păstrăm “datele” – mulțumim…") == 'Acceptati sa pastram "datele" - multumim...'
    assert fold_to_gsm("Не знаю") is None and fold_to_gsm("नहीं") is None


def test_cheapest_folds_only_when_it_saves_a_segment():
    from channels.segments import cheapest, count_segments

    short = "Está em Portugal?\n1 Sim\n2 Não"
    assert cheapest(short) == short  # one segment either way: accents kept
    long = "Você concorda que guardemos as suas respostas para o ajudar?\n1 Sim\n2 Não"
    assert count_segments(long) == 2 and count_segments(cheapest(long)) == 1
    assert cheapest("Не знаю, что делать дальше") == "Не знаю, что делать дальше"
