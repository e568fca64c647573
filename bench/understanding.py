"""Understanding people, measured on the corpora written from their side (tests/corpora).

Per locale: answers understood (``understanding.<locale>.accuracy``, and "no" read as "yes",
``understanding.no_as_yes``, which must be 0), danger heard (``danger.<locale>.recall``) and
false alarms (``danger.false_alarm_rate``), and the language a first message is answered in with
the device set to another language (``language.first_message.exact`` / ``.family``). Also the
cost of the checks every turn runs: the danger check and an answer, in microseconds.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import print_table
from tests.corpora.score import (
    locales,
    rows,
    score_answers,
    score_danger,
    score_first_messages,
    score_referral_replies,
    understood,
)


def _cost_us(fn: Any, items: list[Any], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            fn(*item)
        best = min(best, time.perf_counter() - started)
    return round(best / len(items) * 1e6, 1)


def _held_out(table: list[tuple[str, Any, str]]) -> dict[str, Any]:
    """The same figures on the held-out set (never used to tune the word lists): how the
    lists do on what nobody has written yet."""
    totals = dict.fromkeys(("answers", "right", "no_as_yes", "danger", "heard", "ordinary",
                            "alarms", "first", "exact", "family"), 0)
    out: dict[str, Any] = {}
    for loc in locales():
        a, d, f = (score_answers(loc, True), score_danger(loc, True),
                   score_first_messages(loc, True))
        if a.total:
            out[f"held_out.understanding.{loc}.accuracy"] = round(a.accuracy, 3)
        if d.danger:
            out[f"held_out.danger.{loc}.recall"] = round(d.recall, 3)
        if f.total:
            out[f"held_out.language.{loc}.exact"] = round(f.exact / f.total, 3)
        if a.total and d.danger and f.total:
            table.append((loc, f"{a.accuracy:.1%} of {a.total}",
                          f"no->yes {a.no_as_yes}; danger recall {d.recall:.1%} of {d.danger}, "
                          f"false alarms {d.false_alarms}/{d.ordinary}; first message exact "
                          f"{f.exact}/{f.total}, family {f.family}/{f.total}"))
        for key, value in (("answers", a.total), ("right", a.right), ("no_as_yes", a.no_as_yes),
                           ("danger", d.danger), ("heard", d.heard), ("ordinary", d.ordinary),
                           ("alarms", d.false_alarms), ("first", f.total), ("exact", f.exact),
                           ("family", f.family)):
            totals[key] += value
    if not totals["answers"]:
        return out
    out["held_out.understanding.accuracy"] = round(totals["right"] / totals["answers"], 3)
    out["held_out.understanding.no_as_yes"] = totals["no_as_yes"]
    out["held_out.danger.recall"] = round(totals["heard"] / totals["danger"], 3)
    out["held_out.danger.false_alarm_rate"] = round(totals["alarms"] / totals["ordinary"], 4)
    out["held_out.language.first_message.exact"] = round(totals["exact"] / totals["first"], 3)
    out["held_out.language.first_message.family"] = round(totals["family"] / totals["first"], 3)
    return out


def run(context: dict[str, Any]) -> dict[str, Any]:
    from dialogs.danger import danger
    from locales import preload

    preload()
    results: dict[str, Any] = {}
    table: list[tuple[str, Any, str]] = []
    totals = {"answers": 0, "right": 0, "no_as_yes": 0, "not_yes_as_yes": 0, "danger": 0,
              "heard": 0, "ordinary": 0, "alarms": 0, "first": 0, "exact": 0, "family": 0,
              "offered": 0, "sms": 0}
    for loc in locales():
        a, d, f = score_answers(loc), score_danger(loc), score_first_messages(loc)
        results[f"understanding.{loc}.accuracy"] = round(a.accuracy, 3)
        results[f"understanding.{loc}.no_as_yes"] = a.no_as_yes
        results[f"danger.{loc}.recall"] = round(d.recall, 3)
        results[f"danger.{loc}.false_alarms"] = d.false_alarms
        results[f"language.{loc}.exact"] = round(f.exact / f.total, 3)
        results[f"language.{loc}.family"] = round(f.family / f.total, 3)
        for key, value in (("answers", a.total), ("right", a.right), ("no_as_yes", a.no_as_yes),
                           ("not_yes_as_yes", a.not_yes_as_yes), ("danger", d.danger),
                           ("heard", d.heard), ("ordinary", d.ordinary),
                           ("alarms", d.false_alarms), ("first", f.total), ("exact", f.exact),
                           ("family", f.family), ("offered", f.offered), ("sms", f.sms_menu)):
            totals[key] += value
        table.append((loc, f"{a.accuracy:.1%} of {a.total}",
                      f"no->yes {a.no_as_yes}; danger recall {d.recall:.1%} of {d.danger}, "
                      f"false alarms {d.false_alarms}/{d.ordinary}; first message exact "
                      f"{f.exact}/{f.total}, family {f.family}/{f.total}"))
    results["understanding.accuracy"] = round(totals["right"] / totals["answers"], 3)
    results["understanding.no_as_yes"] = totals["no_as_yes"]
    results["understanding.not_yes_as_yes"] = totals["not_yes_as_yes"]
    results["danger.recall"] = round(totals["heard"] / totals["danger"], 3)
    results["danger.false_alarm_rate"] = round(totals["alarms"] / totals["ordinary"], 4)
    results["language.first_message.exact"] = round(totals["exact"] / totals["first"], 3)
    results["language.first_message.family"] = round(totals["family"] / totals["first"], 3)
    results["language.first_message.exact_or_offered"] = round(totals["offered"] / totals["first"], 3)
    results["language.first_message.sms_exact_or_menu"] = round(totals["sms"] / totals["first"], 3)

    referral_table: list[tuple[str, Any, str]] = []
    replies = {"total": 0, "right": 0, "false_consent": 0, "withdrawals": 0, "heard": 0}
    for loc in locales():
        r = score_referral_replies(loc)
        results[f"referrals.{loc}.accuracy"] = round(r.accuracy, 3)
        results[f"referrals.{loc}.false_consent"] = r.false_consent
        for key, value in (("total", r.total), ("right", r.right), ("false_consent", r.false_consent),
                           ("withdrawals", r.withdrawals), ("heard", r.withdrawals_heard)):
            replies[key] += value
        referral_table.append((loc, f"{r.accuracy:.1%} of {r.total}",
                               f"false consent {r.false_consent}; withdrawals heard "
                               f"{r.withdrawals_heard}/{r.withdrawals}"))
    results["referrals.reply.accuracy"] = round(replies["right"] / replies["total"], 3)
    results["referrals.reply.false_consent"] = replies["false_consent"]
    results["referrals.withdrawal.recall"] = round(replies["heard"] / replies["withdrawals"], 3)

    held_out: list[tuple[str, Any, str]] = []
    results.update(_held_out(held_out))
    messages = [(line[2],) for loc in locales() for line in rows("danger", loc)]
    answers = [(line[0], line[2], loc) for loc in locales() for line in rows("answers", loc)]
    # The check itself, not its cache of recent messages (a turn's "yes" is mostly a cache hit).
    results["danger.cost_us_per_check"] = _cost_us(danger.__wrapped__, messages)
    short = [(text,) for text in ("sim", "não", "Lisboa", "brasileiro", "1", "3 pessoas", "yes")]
    results["danger.cost_us_per_short_answer"] = _cost_us(danger.__wrapped__, short * 20)
    results["understanding.cost_us_per_answer"] = _cost_us(understood, answers)

    print_table("understanding, per locale (corpora written by native speakers)", table)
    print_table("referral consent replies and withdrawals, per locale (written blind to the code)",
                referral_table)
    if held_out:
        print_table("understanding, held out per locale (never used for tuning)", held_out)
    print_table("understanding, overall", [
        (key, results[key], "") for key in (
            "understanding.accuracy", "understanding.no_as_yes", "understanding.not_yes_as_yes",
            "danger.recall", "danger.false_alarm_rate", "language.first_message.exact",
            "language.first_message.family", "language.first_message.exact_or_offered",
            "language.first_message.sms_exact_or_menu", "danger.cost_us_per_check",
            "danger.cost_us_per_short_answer", "understanding.cost_us_per_answer",
            "held_out.understanding.accuracy", "held_out.understanding.no_as_yes",
            "held_out.danger.recall", "held_out.danger.false_alarm_rate",
            "held_out.language.first_message.exact", "held_out.language.first_message.family",
            "referrals.reply.accuracy", "referrals.reply.false_consent", "referrals.withdrawal.recall",
        ) if key in results])
    return results
