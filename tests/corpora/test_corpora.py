"""Every line of the corpora native speakers wrote (tests/corpora), run and scored.

The targets are the issue's (answers >= 97 % per locale and no "no" ever read as "yes";
danger heard >= 98 % per locale, false alarms <= 1 % overall; a first message answered in
its language >= 97 % exact overall, >= 90 % per locale, >= 99 % in the right family). Where a
locale does not reach a target yet, FLOOR holds what it reached, so that nothing gets worse
unnoticed; ``python -m bench understanding`` and the README give the figures."""

from __future__ import annotations

import pytest

from tests.corpora.score import (
    locales,
    score_answers,
    score_danger,
    score_first_messages,
    score_referral_replies,
)

ANSWERS, DANGER, FALSE_ALARMS = 0.97, 0.98, 0.01
EXACT, EXACT_EACH, FAMILY = 0.97, 0.90, 0.99
# Below-target floors, per (figure, locale): what the corpus measured, not what we want.
# Greetings and pleas with no language in them ("hello", "help", "olá") are answered in the
# device's language; romanised Hindustani is answered in Hindi with Urdu offered; unmarked
# Portuguese in European Portuguese with Brazilian offered (README, "Language").
FLOOR: dict[tuple[str, str], float] = {
    ("exact", "pt"): 0.86, ("exact", "pt_BR"): 0.81, ("exact", "en"): 0.87,
    ("exact", "ur"): 0.72, ("exact", "pa"): 0.87, ("exact", "ne"): 0.89,
    ("exact", "all"): 0.91, ("family", "all"): 0.94,
}
# The held-out set (never tuned on), as measured: answers, "no" read as "yes", danger heard,
# first message exact, first message in the right family. Any change must not lower these.
HELD_OUT: dict[str, tuple[float, int, float, float, float]] = {
    "pt": (0.93, 0, 0.94, 0.78, 0.85),
    "pt_BR": (0.94, 0, 0.94, 0.61, 0.92),
    "en": (0.96, 0, 0.71, 0.85, 0.85),
    "es": (0.97, 0, 0.82, 0.92, 0.92),
    "fr": (0.96, 0, 0.87, 1.00, 1.00),
    "ro": (0.93, 0, 0.94, 0.95, 0.95),
    "uk": (0.92, 0, 0.83, 0.97, 0.97),
    "ru": (0.93, 0, 0.77, 1.00, 1.00),
    "bg": (0.91, 0, 0.75, 0.95, 0.95),
    "ar": (0.88, 1, 0.71, 0.89, 0.89),
    "ur": (0.93, 0, 0.89, 0.70, 0.89),
    "hi": (0.93, 1, 0.80, 0.92, 0.92),
    "pa": (0.91, 1, 0.80, 0.73, 0.73),
    "ne": (0.90, 1, 0.71, 0.72, 0.72),
    "bn": (0.92, 1, 0.77, 0.80, 0.80),
    "zh_Hans": (0.94, 0, 0.82, 1.00, 1.00),
}
HELD_OUT_FALSE_ALARMS = 0.031


def _floor(figure: str, locale: str, target: float) -> float:
    return min(target, FLOOR.get((figure, locale), target))


@pytest.mark.parametrize("locale", locales())
def test_answers_typed_as_people_type_them(locale):
    score = score_answers(locale)
    assert score.total >= 60
    assert score.no_as_yes == 0, [m for m in score.misses if m[1] == "no" and m[2] == "yes"]
    want = _floor("answers", locale, ANSWERS)
    assert score.accuracy >= want, (f"{score.accuracy:.1%} < {want:.0%}", score.misses[:20])


@pytest.mark.parametrize("locale", locales())
def test_danger_is_heard(locale):
    score = score_danger(locale)
    assert score.danger >= 30 and score.ordinary >= 30
    want = _floor("danger", locale, DANGER)
    assert score.recall >= want, (f"{score.recall:.1%} < {want:.0%}", score.misses)


def test_false_alarms_overall():
    scores = [score_danger(loc) for loc in locales()]
    alarms = sum(s.false_alarms for s in scores)
    ordinary = sum(s.ordinary for s in scores)
    limit = max(FALSE_ALARMS, FLOOR.get(("false_alarms", "all"), 0.0))
    assert alarms / ordinary <= limit, [a for s in scores for a in s.alarms]


@pytest.mark.parametrize("locale", locales())
def test_first_message_language(locale):
    score = score_first_messages(locale)
    assert score.total >= 40
    want = _floor("exact", locale, EXACT_EACH)
    assert score.exact / score.total >= want, (score.exact, score.total, score.misses)


def test_first_message_language_overall():
    scores = [score_first_messages(loc) for loc in locales()]
    total = sum(s.total for s in scores)
    exact = sum(s.exact for s in scores) / total
    family = sum(s.family for s in scores) / total
    assert exact >= _floor("exact", "all", EXACT), exact
    assert family >= _floor("family", "all", FAMILY), family


@pytest.mark.parametrize("locale", locales())
def test_held_out_set_does_not_get_worse(locale):
    answers, no_as_yes, danger, exact, family = HELD_OUT[locale]
    a = score_answers(locale, held_out=True)
    d = score_danger(locale, held_out=True)
    f = score_first_messages(locale, held_out=True)
    assert a.total >= 100 and d.danger >= 30 and f.total >= 30
    assert a.no_as_yes <= no_as_yes, [m for m in a.misses if m[1] == "no" and m[2] == "yes"]
    assert a.accuracy >= answers, a.misses
    assert d.recall >= danger, d.misses
    assert f.exact / f.total >= exact, f.misses
    assert f.family / f.total >= family, f.misses


def test_held_out_false_alarms_overall():
    scores = [score_danger(loc, held_out=True) for loc in locales()]
    alarms = sum(s.false_alarms for s in scores)
    assert alarms / sum(s.ordinary for s in scores) <= HELD_OUT_FALSE_ALARMS, \
        [a for s in scores for a in s.alarms]


# Replies to the referral consent question and later withdrawals (tests/corpora/referrals),
# written by native speakers who never saw the reader. No reply that is not a yes may ever be
# taken as agreement to share; below that, what each locale reached, so nothing gets worse.
REFERRAL_FLOOR: dict[str, float] = {
    "pt": 0.83, "pt_BR": 0.83, "en": 0.74, "es": 0.96, "fr": 0.93, "ro": 0.87, "bg": 0.90, "uk": 0.93,
    "ru": 0.96, "ar": 0.80, "hi": 0.83, "pa": 0.80, "ne": 0.83, "bn": 0.83, "ur": 0.74, "zh_Hans": 0.80,
}


@pytest.mark.parametrize("locale", locales())
def test_referral_replies_never_give_consent_that_was_not_given(locale):
    score = score_referral_replies(locale)
    assert score.total >= 30
    assert score.false_consent == 0, [m for m in score.misses if m[1] == "yes"]
    want = REFERRAL_FLOOR.get(locale, 0.0)
    assert score.accuracy >= want, (f"{score.accuracy:.1%} < {want:.0%}", score.misses)
