"""The outcome-safety scenarios as people would type them, in three languages, through the
screening dialog: what is asked, what is decided, and what the person is told.

Each scenario is a set of answers by question (the dialog asks in its own order; an answer
not listed is the ordinary one). Typed answers are in the person's language; "@value" is a
button press.
"""

from __future__ import annotations

import pytest

from dialogs import DIALOGS
from dialogs.base import Given
from tests.dialogs.transcript import context, given, msgids

WORDS = {
    "en": {"yes": "yes", "no": "no", "unknown": "I don't know", "unsure": "not sure yet",
           "UA": "Ukraine", "SY": "Syria", "AF": "Afghanistan", "NP": "Nepal", "AO": "Angola",
           "BR": "Brazil", "none": "none", "own": "my own country"},
    "pt": {"yes": "sim", "no": "não", "unknown": "não sei", "unsure": "ainda não sei",
           "UA": "Ucrânia", "SY": "Síria", "AF": "Afeganistão", "NP": "Nepal", "AO": "Angola",
           "BR": "Brasil", "none": "nenhum", "own": "o meu país"},
    "uk": {"yes": "так", "no": "ні", "unknown": "не знаю", "unsure": "ще не впевнений",
           "UA": "Україна", "SY": "Сирія", "AF": "Афганістан", "NP": "Непал", "AO": "Ангола",
           "BR": "Бразилія", "none": "нічого", "own": "моя країна"},
}
# The ordinary answer to each question, as a word of WORDS or a button.
ORDINARY = {"consent": "yes", "in_danger_now": "no", "in_portugal": "yes", "district": "Lisboa",
            "nationality": "BR", "eu_family_member": "no", "wants_to_return": "yes",
            "fears_return": "no", "destination_country": "own", "household_size": "1",
            "minors_count": "0", "is_minor_alone": "no", "travel_document": "@valid_passport",
            "previous_return_assistance": "no", "returned_with_arvore": "no",
            "legal_impediment": "no", "trafficking_indicators": ["no"], "vulnerabilities": "none",
            "contact_preference": "@this_chat"}

# scenario: (answers, programme, eligibility, priority, reason, must be said, never said)
CPR, EMBASSY, CHILD = "CPR (Portuguese Refugee Council)", "embassy or consulate", "SOS-Criança"
SCENARIOS = {
    "ukrainian_returning": (
        {"nationality": "UA"}, "arvore", "needs_review", "high", "return_not_advised",
        (CPR, "may not be safe now"), (EMBASSY, "From your answers, the ARVoRe programme")),
    "syrian_not_returning_with_fear": (
        {"nationality": "SY", "wants_to_return": "no", "fears_return": "yes"}, "asylum_info",
        "needs_review", "high", "fears_return", (CPR, "right to protection"), (EMBASSY,)),
    "afghan_fear_unsure": (
        {"nationality": "AF", "wants_to_return": "unsure", "fears_return": "unknown"},
        "referral", "needs_review", "high", "fears_return_unknown", (CPR,), (EMBASSY,)),
    "minor_alone": (
        {"is_minor_alone": "yes"}, "arvore", "needs_review", "urgent", "minor_alone",
        (CHILD, "under 18"), ("From your answers",)),
    "trafficking_with_fear": (
        {"nationality": "NP", "wants_to_return": "no", "fears_return": "yes",
         "trafficking_indicators": ["yes", "yes", "@skip"]}, "trafficking_support",
        "needs_review", "high", "fears_return",
        (CPR, "Trafficking support line", "APAV"), (EMBASSY, "If you decide to go home")),
    "previous_help_with_a_child": (
        {"household_size": "2", "minors_count": "1", "previous_return_assistance": "yes"},
        "arvore", "needs_review", "normal", "previous_assistance",
        ("a caseworker must first check",), ("cannot help you again",)),
    "already_returned_with_arvore": (
        {"previous_return_assistance": "yes", "returned_with_arvore": "yes"}, "referral",
        "not_eligible", "normal", "previous_beneficiary",
        ("only once", "Migrant support line", "not passed your answers"), ()),
    "eu_family_parent_of_portuguese_child": (
        {"nationality": "AO", "eu_family_member": "yes"}, "arvore", "needs_review", "normal",
        "eu_family_member", ("a caseworker must first check",), ("cannot help family members",)),
    "exploitation_yes_then_skip": (
        {"trafficking_indicators": ["yes", "@skip"]}, "trafficking_support", "needs_review",
        "high", "trafficking_indicators", ("Trafficking support line",), ()),
}


def screen(answers: dict, lang: str):
    """Run the screening, answering each question from ``answers`` (else ORDINARY)."""
    words = WORDS[lang]
    plan = {**ORDINARY, **answers}
    queues = {k: list(v) for k, v in plan.items() if isinstance(v, list)}
    dialog, ctx = DIALOGS["screening"], context(lang)
    step, asked = dialog.begin({}, ctx), []
    while step.expecting is not None:
        assert len(asked) < 40, asked
        field = step.expecting.field
        asked.append(field)
        planned = queues[field].pop(0) if queues.get(field) else plan[field]
        if isinstance(planned, list):
            planned = "@skip"
        say = words.get(planned, planned)
        step = dialog.advance(step.state, step.record, given(say), ctx)
    return step, asked


@pytest.mark.parametrize("lang", ["en", "pt", "uk"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(name, lang):
    answers, programme, eligibility, priority, reason, said, unsaid = SCENARIOS[name]
    last, asked = screen(answers, lang)
    outcome = last.outcome
    assert outcome is not None, asked
    assert (outcome["programme"], outcome["eligibility"], outcome["priority"]) == (
        programme, eligibility, priority), outcome
    assert reason in outcome["reasons"]
    text = " ".join(msgids(last))
    for words in said:
        assert words in text, (words, text)
    for words in unsaid:
        assert words not in text, (words, text)
    assert last.actions == (() if eligibility == "not_eligible" else ("handoff",))
    assert "fears_return" in asked  # of everyone, staying or going


def test_whoever_fears_return_hears_of_cpr_before_anything_about_going_home():
    last, _ = screen({"nationality": "UA"}, "en")
    said = msgids(last)
    assert said.index(next(m for m in said if m.startswith(CPR))) < said.index(
        next(m for m in said if m.startswith("ARVoRe is")))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_after_the_end_the_person_is_told_what_is_true_and_info_always_answers(name):
    answers, *_ = SCENARIOS[name]
    last, _ = screen(answers, "en")
    dialog, ctx = DIALOGS["screening"], context("en")
    after = dialog.advance(last.state, last.record, Given(text="hello again"), ctx)
    case = bool(last.actions)
    assert ("a caseworker will contact you" in " ".join(msgids(after))) is case
    assert ("not passed to a caseworker" in " ".join(msgids(after))) is not case
    info = dialog.advance(last.state, last.record, Given(text="info"), ctx)
    assert [m for m in msgids(info) if m != "More information:"], name
