"""The screening through the real pipeline: every outcome and every global command.

Each row is what a person says and what the bot must expect next; the pipeline stores the
state, so every turn below really goes through the database.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from channels.base import Inbound
from core.models import Contact, Conversation, Message, Outbox

START = ["yes", "no", "yes", "Porto", "India"]


def say(app, text: str, address: str = "+351910000001", **kw):
    return app.pipeline.handle(Inbound(channel="fake", address=address, text=text, **kw))


def talk(app, says: list[str], address: str = "+351910000001", language: str = "en"):
    turns = [app.pipeline.handle(Inbound(channel="fake", address=address, kind="start",
                                         meta={"language": language}))]
    turns += [say(app, text, address) for text in says]
    return turns


def conversation(app, address: str = "+351910000001") -> Conversation:
    from core import store

    with app.db.sessions() as s:
        contact = store.find_contact(s, "fake", address)
        assert contact is not None
        conv = store.current_conversation(s, contact)
        assert conv is not None
        return conv


ARVORE = [
    ("yes", "in_danger_now"), ("no", "in_portugal"), ("yes", "district"), ("Lisboa", "nationality"),
    ("brasileiro", "eu_family_member"), ("no", "wants_to_return"), ("yes", "fears_return"),
    ("no", "destination_country"), ("1", "household_size"), ("3", "minors_count"),
    ("2", "travel_document"), ("1", "previous_return_assistance"), ("no", "legal_impediment"),
    ("no", "trafficking_indicators"), ("no", "vulnerabilities"), ("none", "contact_preference"),
    ("1", None),
]


def test_simple_arvore_case_expects_each_field_and_ends_in_a_queued_case(app):
    turns = talk(app, [say_ for say_, _ in ARVORE])
    assert turns[0].expecting["field"] == "consent"
    for (text, expected), turn in zip(ARVORE, turns[1:], strict=True):
        assert (turn.expecting or {}).get("field") == expected, text
        assert turn.replies, text
    conv = conversation(app)
    assert conv.outcome["programme"] == "arvore" and conv.outcome["eligibility"] == "likely_eligible"
    assert conv.status == "handoff"  # a caseworker has it now
    assert conv.record["nationality"] == "BR" and conv.record["household_size"] == 3
    from handoff.models import Case

    with app.db.sessions() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "queued" and case.conversation_id == conv.id


@pytest.mark.parametrize(
    ("says", "programme", "eligibility", "status"),
    [
        ([*START, "no", "yes", "yes", "no", "none", "1"], "asylum_info", "needs_review", "handoff"),
        ([*START, "no", "3", "no", "no", "none", "1"], "referral", "needs_review", "handoff"),
        ([*START, "no", "no", "no", "no", "none", "1"], "referral", "not_eligible", "bot"),
        ([*START, "no", "no", "yes", "no", "none", "1"], "asylum_info", "needs_review", "handoff"),
        ([*START, "yes", "yes", "no", "@same_as_nationality", "1", "no", "1", "no", "no", "no",
          "none", "1"], "arvore", "needs_review", "handoff"),
        ([*START, "no", "yes", "no", "@same_as_nationality", "1", "no", "4", "yes", "yes", "no",
          "none", "1"], "referral", "not_eligible", "bot"),
        ([*START, "no", "yes", "no", "India", "1", "no", "1", "no", "I don't know", "no", "none", "1"],
         "arvore", "needs_review", "handoff"),
        ([*START, "no", "no", "no", "yes", "yes", "no", "no", "no", "yes", "no", "no", "1 5", "1"],
         "trafficking_support", "needs_review", "handoff"),
        (["yes", "no", "no"], "out_of_scope", "not_eligible", "bot"),
    ],
)
def test_every_outcome_through_the_pipeline(app, says, programme, eligibility, status):
    converted = []
    for text in says:  # "@value" is a pressed button
        converted.append(text)
    turns = talk(app, [])
    for text in converted:
        if text.startswith("@"):
            turns.append(say(app, "", kind="choice", choice=text[1:]))
        else:
            turns.append(say(app, text))
    conv = conversation(app)
    assert (conv.outcome["programme"], conv.outcome["eligibility"]) == (programme, eligibility)
    assert conv.status == status
    assert conv.outcome["reasons"] and conv.outcome["rules_version"]
    assert turns[-1].replies  # every outcome explains itself


def test_help_privacy_and_language_answer_then_resume(app):
    talk(app, ["yes", "no", "yes"])  # at the district question
    for word in ("help", "privacy"):
        turn = say(app, word)
        assert turn.replies and turn.expecting["field"] == "district"
    menu = say(app, "language")
    assert menu.expecting["field"] == "language" and len(menu.expecting["options"]) == 16
    chosen = say(app, "", kind="choice", choice="pt")
    assert chosen.language == "pt" and chosen.expecting["field"] == "district"
    assert conversation(app).language == "pt"


def test_restart_starts_over_with_an_empty_record(app):
    talk(app, ["yes", "no", "yes", "Porto"])
    turn = say(app, "restart")
    assert turn.expecting["field"] == "consent"
    assert conversation(app).record == {}


def test_person_hands_off_and_the_bot_goes_quiet(app):
    talk(app, ["yes", "no"])
    turn = say(app, "talk to a person")
    assert "handoff" in turn.actions and conversation(app).status == "handoff"
    quiet = say(app, "hello? anyone?")
    assert quiet.replies == [] and quiet.status == "handoff"
    # danger still gets the emergency numbers at once, even while a person has the case
    danger = say(app, "help me please they beat me")
    assert danger.replies and "112" in danger.replies[0].text


def test_danger_words_answer_with_emergency_numbers_first_and_open_an_urgent_case(app):
    talk(app, ["yes", "no", "yes"])
    turn = say(app, "socorro")
    assert "urgent" in turn.actions
    assert "112" in turn.replies[0].text
    assert turn.expecting["field"] == "district"  # the flow carries on
    from handoff.models import Case

    with app.db.sessions() as s:
        assert s.scalars(select(Case.priority)).one() == "urgent"


def test_stop_confirms_once_then_sends_nothing(app):
    talk(app, ["yes"])
    turn = say(app, "stop")
    assert turn.replies and conversation(app).status == "stopped"
    with app.db.sessions() as s:
        last = s.scalars(select(Outbox).order_by(Outbox.id.desc())).first()
        assert last.force  # the confirmation still goes out
    assert say(app, "hello").replies  # a new message on a chat channel resumes


def test_delete_my_data_asks_first_then_erases_everything_but_counts(app, tmp_path):
    secret = "my boss Joaquim keeps my passport"
    talk(app, ["yes", "no", "yes", secret])
    asked = say(app, "delete my data")
    assert asked.expecting["field"] == "confirm_erase"
    done = say(app, "yes")
    assert done.replies
    with app.db.sessions() as s:
        bodies = [m.body for m in s.scalars(select(Message).where(Message.direction == "in"))]
        assert secret not in bodies and all(b == "" for b in bodies)
        conv = s.scalars(select(Conversation)).one()
        assert conv.record == {} and conv.status == "closed"
        contact = s.scalars(select(Contact)).one()
        assert contact.status == "erased" and contact.address == ""
        confirmation = s.get(Outbox, done.replies[0].id) or s.scalars(select(Outbox).where(Outbox.message_id == done.replies[0].id)).one()
        assert confirmation.force and confirmation.address == "+351910000001"
    # the same phone writing again is a stranger: a new contact, a new conversation
    again = talk(app, [], address="+351910000001")
    assert again[0].expecting["field"] == "consent"


def test_while_a_caseworker_has_the_case_delete_still_asks_and_erases_case_and_all(app):
    from handoff.models import Case

    talk(app, ["yes", "no", "yes", "Porto"])
    assert say(app, "person").status == "handoff"
    assert say(app, "how long will it take?").replies == []  # for the caseworker alone
    asked = say(app, "delete")
    assert asked.expecting["field"] == "confirm_erase"
    assert say(app, "yes").replies  # the answer to the confirmation reaches the dialog
    with app.db.sessions() as s:
        assert s.scalars(select(Contact)).one().status == "erased"
        case = s.scalars(select(Case)).one()
        assert case.status == "closed"  # the erase hooks reached what handoff holds


def test_quick_exit_ends_now_and_cancels_what_waits(app):
    talk(app, ["yes", "no"])
    turn = say(app, "exit")
    assert turn.replies == []  # nothing on this channel: it cannot delete messages
    conv = conversation(app)
    assert conv.status == "closed"
    with app.db.sessions() as s:
        assert not s.scalars(select(Outbox).where(Outbox.status == "pending")).all()


def test_after_a_quick_exit_nothing_is_sent_until_the_person_writes_again(app):
    talk(app, ["yes", "no"])
    say(app, "exit")
    with app.db.sessions() as s:
        assert s.scalars(select(Contact.status)).one() == "stopped"
    again = say(app, "hello")  # writing again is a fresh start
    assert again.expecting["field"] == "consent" and again.replies


def test_when_nothing_tells_the_language_the_menu_comes_first_in_every_script(app):
    import locales

    first = say(app, "ok")  # too short to detect, no hint from the channel
    assert first.expecting["field"] == "language" and len(first.expecting["options"]) == 16
    labels = [o["label"] for o in first.expecting["options"]]
    assert "Português" in labels[0] and "中文" in labels[-1]
    assert first.replies[0].text.startswith("Language / Língua")
    chosen = say(app, "", kind="choice", choice="uk")
    uk = locales.translator("uk")
    assert chosen.language == "uk" and chosen.expecting["field"] == "consent"
    assert chosen.replies[-1].text == uk.gettext("Do you agree that we keep your answers to help you?")
    assert len(chosen.replies) == 2  # the greeting, in Ukrainian, then the question


def test_on_sms_an_unknown_language_starts_in_portuguese_not_with_a_costly_menu(app):
    import locales

    turn = app.pipeline.handle(Inbound(channel="sms", address="+351910000999", text="ok"))
    assert turn.language == "pt" and turn.expecting["field"] == "consent"
    with app.db.sessions() as s:
        conv = s.scalars(select(Conversation).where(Conversation.channel == "sms")).one()
        assert conv.language_source == "prior"  # Portuguese for now: what they write decides
    # One message: the short greeting, then the question.
    (greeting,) = turn.replies
    assert greeting.text.endswith(locales.translator("pt").gettext(
        "Do you agree that we keep your answers to help you?"))
