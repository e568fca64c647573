"""Splitting long texts at clean boundaries."""

from __future__ import annotations

import pytest

from channels._text import split_text, utf16_len


def test_short_text_is_one_part() -> None:
    assert split_text("  Olá  ", 10) == ["Olá"]
    assert split_text("   ", 10) == []


def test_paragraphs_are_preferred() -> None:
    text = "a" * 60 + "\n\n" + "b" * 30 + " " + "c" * 5
    assert split_text(text, 100) == [text]
    assert split_text(text, 80) == ["a" * 60, "b" * 30 + " " + "c" * 5]


def test_a_word_boundary_near_the_limit_beats_an_early_paragraph() -> None:
    text = "a" * 10 + "\n\n" + "word " * 30
    parts = split_text(text, 100)
    assert len(parts[0]) > 50
    assert all(not p.endswith("wor") for p in parts)


def test_sentences_keep_their_full_stop() -> None:
    text = ("Frase um. " * 12).strip()
    parts = split_text(text, 60)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text


def test_words_are_not_cut_and_nothing_is_lost() -> None:
    text = " ".join(f"palavra{i}" for i in range(1000))
    parts = split_text(text, 4096)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert " ".join(parts) == text


def test_an_unbroken_word_is_cut_hard() -> None:
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_limit_counts_utf16_units() -> None:
    parts = split_text("😀" * 30, 20)
    assert [len(p) for p in parts] == [10, 10, 10]


def test_tiny_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 1)
