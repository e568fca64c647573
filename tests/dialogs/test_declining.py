"""People who decline, hesitate or cannot be understood still get through, and nobody is asked
the same question a fourth time; a person in danger is never asked twice."""

from __future__ import annotations

from dialogs import DIALOGS
from dialogs.base import Context, Given
from dialogs.messages import OFFER_LANGUAGE
from tests.dialogs.transcript import field, msgids, run

DECLINE = "prefiro não dizer"


def test_a_person_who_declines_every_optional_detail_reaches_a_case():
    says = ["sim", "não", "sim"] + [DECLINE] * 12
    steps = run(says, "pt")
    last = next(s for s in steps if s.state == "done")
    assert "handoff" in last.actions, [s.state for s in steps]
    assert {"district", "nationality"} <= set(last.record["declined"])
    assert all(s.state.partition("#")[2] == "" for s in steps)  # never asked again


def test_no_question_is_asked_a_fourth_time():
    steps = run(["yes", "no", "yes", "qwerty", "asdf", "zxcv"])
    asked = [s.state for s in steps[3:]]
    assert asked == ["district", "district#1", "district#2", "nationality"]
    assert "Let's go on." in msgids(steps[-1])
    assert steps[-1].record["unanswered"] == ["district"]
    assert "talk_to_person" in [o.value for o in steps[-2].expecting.options]  # offered on the third


def test_consent_cannot_go_without_an_answer_says_why_once_and_ends_politely():
    steps = run(["não sei", "xyz", "qwerty"], "pt")
    first = msgids(steps[1])
    assert first[0].startswith("We need your OK")
    assert "talk_to_person" in [o.value for o in steps[1].expecting.options]
    assert steps[-1].state == "ended" and steps[-1].record["consent"]["given"] is False


def test_a_person_in_danger_is_never_asked_the_same_question_twice():
    steps = run(["sim", "sim", "sim", "qwerty"], "pt")
    assert steps[2].record["in_danger_now"] is True
    assert steps[-1].state == "nationality"  # the district was not asked again


def test_a_danger_message_that_answers_the_question_is_stored():
    steps = run(["yes", "no", "yes", "Lisboa", "India", "no", "yes", "no",
                 "my boss has my passport and locked me in"])
    last = steps[-1]
    assert last.actions[0] == "urgent" and last.record["in_danger_now"] is True
    assert set(last.record["trafficking_indicators"]) & {"documents_withheld", "movement_restricted"}


def test_a_phone_call_asks_for_a_number_where_the_chat_has_none():
    dialog = DIALOGS["screening"]
    ctx = Context(language="en")
    q_state = "contact_preference"
    record = {"consent": {"given": True}, "wants_to_return": "yes", "nationality": "IN",
              "in_portugal": True, "vulnerabilities": []}
    step = dialog.advance(q_state, record, Given(text="please call me"), ctx)
    assert field(step) == "contact_phone"
    done = dialog.advance(step.state, step.record, Given(text="912 345 678"), ctx)
    assert done.record["contact_preference"] == "phone_call"
    assert done.record["contact_phone"] == "+351912345678"
    assert any("and call you" in m for m in msgids(done))


def test_on_sms_a_call_uses_the_number_they_write_from():
    dialog = DIALOGS["screening"]
    ctx = Context(language="pt", priced_per_segment=True, phone_address=True)
    record = {"consent": {"given": True}, "wants_to_return": "yes", "nationality": "BR"}
    done = dialog.advance("contact_preference", record, Given(text="liguem-me"), ctx)
    assert done.state == "done" and done.record["contact_phone"] == "this_number"
    asked = dialog.advance("contact_preference", record, Given(text="por sms"), ctx)
    assert asked.record["contact_preference"] == "this_chat"  # an SMS is this chat here


def test_no_number_given_means_we_write_here():
    dialog = DIALOGS["screening"]
    ctx = Context(language="pt")
    record = {"consent": {"given": True}, "contact_preference": "phone_call"}
    done = dialog.advance("contact_phone", record, Given(text="prefiro não dizer"), ctx)
    assert done.state == "done" and done.record["contact_preference"] == "this_chat"


def test_the_greeting_offers_the_close_variant_in_its_own_words():
    dialog = DIALOGS["screening"]
    step = dialog.begin({}, Context(language="pt", offer="pt_BR"), Given(text="Olá, quero voltar"))
    offer = step.replies[-1].parts[0]
    assert offer.msgid == OFFER_LANGUAGE and offer.locale == "pt_BR"
    assert offer.params == {"language": "Português (Brasil)", "word": "BR"}
    switched = dialog.advance(step.state, step.record, Given(text="BR"), Context(language="pt"))
    assert switched.language == "pt_BR" and switched.state == "consent"


def test_danger_in_the_first_message_comes_before_the_greeting():
    dialog = DIALOGS["screening"]
    step = dialog.begin({}, Context(language="en"), Given(text="they locked me in the house"))
    assert step.actions[0] == "urgent" and step.record == {"in_danger_now": True}
    phones = [t.params.get("phone") for t in step.replies[0].parts]
    assert "112" in phones and field(step) == "consent"
