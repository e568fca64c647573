"""SMS, where every segment is paid for: the compact greeting, the short menu prompt, the
programme's details on request ('info'), and the same decisions as on every other channel."""

from __future__ import annotations

import re

import pytest

import locales
from dialogs import outcome as o
from dialogs.commands import match_command
from dialogs.screening import FLOW
from tests.dialogs.test_screening import ARVORE_PT
from tests.dialogs.transcript import msgids, run

SAYS = [say for say, _, _ in ARVORE_PT]
CONSENT, VULNERABILITIES = FLOW.by_state["consent"], FLOW.by_state["vulnerabilities"]


def test_the_greeting_shares_the_consent_question_on_sms_only():
    (sms,) = run([], "pt", channel="sms")[0].replies
    assert [p.msgid for p in sms.parts] == [CONSENT.sms_intro, CONSENT.prompt]
    assert sms.kind == "prompt" and len(sms.options) == 2
    telegram = run([], "pt", channel="telegram")[0].replies
    assert [r.kind for r in telegram] == ["info", "prompt"]
    assert telegram[0].parts[0].msgid == CONSENT.intro


def test_the_long_menu_has_a_short_prompt_on_sms():
    at = SAYS.index("nenhum")
    sms, telegram = run(SAYS[:at], "pt", channel="sms")[-1], run(SAYS[:at], "pt", channel="telegram")[-1]
    assert sms.state == telegram.state == "vulnerabilities"
    assert msgids(sms) == [VULNERABILITIES.sms_prompt]
    assert msgids(telegram) == [VULNERABILITIES.prompt]
    assert sms.expecting == telegram.expecting  # the same answers are understood


def test_the_outcome_on_sms_leaves_the_details_for_info():
    sms, telegram = run(SAYS, "pt", channel="sms")[-1], run(SAYS, "pt", channel="telegram")[-1]
    assert sms.outcome == telegram.outcome and sms.actions == telegram.actions == ("handoff",)
    assert sms.record == {**telegram.record, "consent": sms.record["consent"]}
    assert len(sms.replies) == 1 and msgids(sms)[-1] == o.NEXT_HANDOFF_SMS["this_chat"]
    assert o.MORE_INFO not in msgids(sms)
    assert msgids(telegram).count(o.MORE_INFO) == 2
    assert o.NEXT_HANDOFF["this_chat"] in msgids(telegram)


def test_info_at_the_end_sends_the_details_the_outcome_left_out():
    steps = run([*SAYS, "info"], "pt", channel="sms")
    info = steps[-1]
    assert info.state == "done" and not info.actions
    assert [r.parts[0].msgid for r in info.replies] == [o.MORE_INFO, o.MORE_INFO]
    # The same two messages the other channels get unasked.
    telegram_details = [r for r in run(SAYS, "pt", channel="telegram")[-1].replies
                        if r.parts[0].msgid == o.MORE_INFO]
    assert info.replies == telegram_details


def test_info_during_the_screening_says_what_arvore_is_and_asks_again():
    steps = run(["sim", "não", "sim", "informações"], "pt", channel="sms")
    info = steps[-1]
    assert info.state == "district" and info.record == steps[-2].record
    assert info.replies[0].parts[0].msgid == o.MORE_INFO
    assert msgids(info)[-1] == FLOW.by_state["district"].prompt


def test_a_trafficking_outcome_on_sms_still_gives_the_helpline():
    outcome = {"programme": "trafficking_support", "eligibility": "needs_review", "priority": "high",
               "reasons": ["trafficking_indicators"]}
    replies = o.explain(outcome, priced_per_segment=True)
    assert o.CONTACTS in [r.parts[0].msgid for r in replies]
    assert msgids_of(replies)[-1] != o.NEXT_HANDOFF["this_chat"]
    assert o.NEXT_HANDOFF_SMS["this_chat"] in msgids_of(replies)


def msgids_of(replies):
    return [p.msgid for r in replies for p in r.parts]


@pytest.mark.parametrize("locale", locales.SUPPORTED)
def test_the_word_each_locale_tells_people_to_write_is_the_command(locale):
    """The SMS outcome says "write 'info'" in every language: that word must work."""
    tr = locales.translator(locale)
    said = [*((msgid, "info") for msgid in o.NEXT_HANDOFF_SMS.values()),
            (CONSENT.sms_intro, "privacy")]
    for msgid, command in said:
        text = tr.gettext(msgid)
        quoted = re.findall(r"['\"«„“](.+?)['\"»“”]", text)
        assert quoted, (locale, text)
        assert match_command(quoted[-1]) == command, (locale, quoted)
