"""Transcript tests: (person says, expected state, expected expecting.field) tables per path."""

from __future__ import annotations

import pytest

from tests.dialogs.transcript import field, msgids, run

# A simple ARVoRe case in Portuguese: typed answers, menu numbers and buttons mixed.
ARVORE_PT = [
    ("sim", "in_danger_now", "in_danger_now"),
    ("não", "in_portugal", "in_portugal"),
    ("sim", "district", "district"),
    ("Lisboa", "nationality", "nationality"),
    ("brasileiro", "eu_family_member", "eu_family_member"),
    ("nao", "wants_to_return", "wants_to_return"),
    ("sim", "fears_return", "fears_return"),
    ("não", "destination_country", "destination_country"),
    ("1", "household_size", "household_size"),
    ("3 pessoas", "minors_count", "minors_count"),
    ("dois", "travel_document", "travel_document"),
    ("@valid_passport", "previous_return_assistance", "previous_return_assistance"),
    ("nao", "legal_impediment", "legal_impediment"),
    ("2", "work_safety", "trafficking_indicators"),
    ("não", "vulnerabilities", "vulnerabilities"),
    ("nenhum", "contact_preference", "contact_preference"),
    ("1", "done", None),
]


def check(table: list[tuple[str, str, str | None]], lang: str = "en"):
    steps = run([say for say, _, _ in table], lang)
    for (say, state, fld), step in zip(table, steps[1:], strict=True):
        assert (step.state, field(step)) == (state, fld), f"after {say!r}: {msgids(step)}"
    return steps


def test_simple_arvore_case_completes_well_under_20_turns():
    steps = check(ARVORE_PT, "pt")
    last = steps[-1]
    assert len(ARVORE_PT) < 20
    assert last.outcome is not None
    assert (last.outcome["programme"], last.outcome["eligibility"]) == ("arvore", "likely_eligible")
    assert last.outcome["rules_version"]
    assert last.actions == ("handoff",)
    record = last.record
    assert record["consent"]["given"] is True and record["language"] == "pt"
    assert record["district"] == "PT-11" and record["nationality"] == "BR"
    assert record["destination_country"] == "BR" and record["household_size"] == 3
    assert record["minors_count"] == 2 and record["travel_document"] == "valid_passport"
    assert record["wants_to_return"] == "yes" and record["legal_impediment"] == "no"
    assert record["trafficking_indicators"] == [] and record["vulnerabilities"] == []
    assert record["contact_preference"] == "this_chat"
    assert all(r.kind == "info" for r in last.replies)


def test_consent_refused_ends_politely_with_helplines_and_no_data():
    steps = check([("no", "ended", None)])
    last = steps[-1]
    assert last.record == {"consent": {"given": False, "notice_version": "2026-11"}}
    assert any(t.params.get("phone") == "112" for r in last.replies for t in r.parts)
    # Writing again starts over with the consent question.
    assert run(["no", "hello"])[-1].state == "consent"


def test_not_in_portugal_is_out_of_scope_early():
    steps = check([("yes", "in_danger_now", "in_danger_now"), ("no", "in_portugal", "in_portugal"),
                   ("no", "done", None)])
    outcome = steps[-1].outcome
    assert outcome["programme"] == "out_of_scope" and outcome["priority"] == "low"
    assert "handoff" not in steps[-1].actions


def test_eu_national_skips_arvore_only_questions_and_trafficking_goes_to_eu_fund():
    table = [("da", "in_danger_now", "in_danger_now"), ("nu", "in_portugal", "in_portugal"),
             ("da", "district", "district"), ("Beja", "nationality", "nationality"),
             ("Romania", "wants_to_return", "wants_to_return"),
             ("1", "fears_return", "fears_return"), ("nu", "work_safety", "trafficking_indicators"),
             ("da", "tip_documents_withheld", "trafficking_indicators"),
             ("da", "tip_unpaid_wages", "trafficking_indicators"),
             ("da", "tip_debt", "trafficking_indicators"),
             ("@skip", "vulnerabilities", "vulnerabilities"),
             ("none", "contact_preference", "contact_preference"),
             ("2", "contact_phone", "contact_phone"), ("912 345 678", "done", None)]
    steps = check(table, "ro")
    assert steps[8].expecting.code == "documents_withheld"
    last = steps[-1]
    assert last.record["trafficking_indicators"] == ["exploitation_reported", "documents_withheld",
                                                     "unpaid_wages"]
    assert "eu_family_member" not in last.record and "household_size" not in last.record
    assert last.outcome["programme"] == "eu_trafficking_fund"
    assert last.outcome["priority"] == "high" and last.actions == ("handoff",)


START = ["yes", "no", "yes", "Porto", "India"]


@pytest.mark.parametrize(
    ("says", "programme", "eligibility", "handoff"),
    [
        # fear of return: asylum information, no travel questions asked
        ([*START, "no", "yes", "yes", "no", "none", "1"], "asylum_info", "needs_review", True),
        # undecided: counselling referral
        ([*START, "no", "3", "no", "no", "none", "1"], "referral", "needs_review", True),
        # does not want to return, and is asked about fear all the same
        ([*START, "no", "no", "no", "no", "none", "1"], "referral", "not_eligible", False),
        # does not want to return because they fear it: protection, not the embassy
        ([*START, "no", "no", "yes", "no", "none", "1"], "asylum_info", "needs_review", True),
        # EU family member wanting to return (a parent of a Portuguese child): a caseworker
        # looks, and the ARVoRe questions are asked
        ([*START, "yes", "yes", "no", "@same_as_nationality", "1", "no", "1", "no", "no", "no",
          "none", "1"], "arvore", "needs_review", True),
        # already went home once with ARVoRe: the programme cannot help again
        ([*START, "no", "yes", "no", "@same_as_nationality", "1", "no", "4", "yes", "yes", "no",
          "none", "1"], "referral", "not_eligible", False),
        # other help from IOM before: a caseworker looks
        ([*START, "no", "yes", "no", "@same_as_nationality", "1", "no", "4", "yes", "no", "no",
          "no", "none", "1"], "arvore", "needs_review", True),
        # not sure whether that help was ARVoRe: a caseworker looks
        ([*START, "no", "yes", "no", "@same_as_nationality", "1", "no", "4", "yes", "I don't know",
          "no", "no", "none", "1"], "arvore", "needs_review", True),
        # legal impediment unknown -> ARVoRe, needs review
        ([*START, "no", "yes", "no", "India", "1", "no", "1", "no", "I don't know", "no", "none",
          "1"], "arvore", "needs_review", True),
        # third-country trafficking: trafficking support
        ([*START, "no", "no", "no", "yes", "yes", "no", "no", "no", "yes", "no", "no", "1 5", "1"],
         "trafficking_support", "needs_review", True),
        # yes to exploitation, every detail skipped: still trafficking support
        ([*START, "no", "yes", "no", "India", "1", "no", "1", "no", "no", "yes", "@skip", "none",
          "1"], "trafficking_support", "needs_review", True),
    ],
)
def test_every_outcome(says, programme, eligibility, handoff):
    last = run(says)[-1]
    assert last.state == "done", msgids(last)
    assert (last.outcome["programme"], last.outcome["eligibility"]) == (programme, eligibility)
    assert ("handoff" in last.actions) is handoff
    assert last.outcome["reasons"]


def test_vulnerable_trafficking_case_is_high_priority_with_reasons():
    says = [*START, "no", "no", "no", "yes", "yes", "no", "no", "no", "yes", "no", "no", "1 5", "1"]
    last = run(says)[-1]
    assert last.record["vulnerabilities"] == ["pregnant", "homeless"]
    assert last.record["trafficking_indicators"] == [
        "exploitation_reported", "documents_withheld", "threats_or_violence"]
    assert last.outcome["priority"] == "high"
    assert {"trafficking_indicators", "vulnerable"} <= set(last.outcome["reasons"])


def test_danger_answer_gives_emergency_numbers_first_and_urgent_case():
    steps = run(["yes", "yes"])
    step = steps[-1]
    assert step.state == "in_portugal" and "urgent" in step.actions
    phones = [t.params.get("phone") for t in step.replies[0].parts]
    assert phones[1:3] == ["112", "964 608 288"]  # after a neutral first line
    assert step.record["in_danger_now"] is True


def test_household_of_one_asks_about_minor_alone_and_it_is_urgent():
    steps = run([*START, "no", "yes", "no", "India", "1"])
    assert steps[-1].state == "is_minor_alone"
    step = run([*START, "no", "yes", "no", "India", "1", "yes"])[-1]
    assert step.state == "travel_document" and "urgent" in step.actions


def test_unparsed_answer_is_reasked_with_examples_and_a_person_offered_on_the_third_ask():
    steps = run(["yes", "no", "yes", "zzz", "qqq"])
    first, third = steps[4], steps[5]
    assert first.state == "district#1" and first.expecting.field == "district"
    assert "Lisboa" in " ".join(msgids(first))
    assert sum(len(t) for t in msgids(third)) <= 160  # a short re-ask: at most 1-2 SMS
    assert "talk_to_person" not in [o.value for o in first.expecting.options]
    assert third.state == "district#2"
    assert third.expecting.options[-1].value == "talk_to_person"
    handed = run(["yes", "no", "yes", "zzz", "qqq", "@talk_to_person"])[-1]
    assert "handoff" in handed.actions
    recovered = run(["yes", "no", "yes", "zzz", "Faro"])[-1]
    assert recovered.state == "nationality" and recovered.record["district"] == "PT-08"


def test_every_question_has_a_short_prompt():
    for step in run(ARVORE_PT and [s for s, _, _ in ARVORE_PT], "pt")[:-1]:
        for reply in step.replies:
            limit = 120 if reply.kind == "prompt" else 290
            assert all(len(t.msgid) <= limit for t in reply.parts if not t.params)


# The simple case typed in each locale's own words: (locale, yes, no, town, country, none).
PER_LOCALE = [
    ("pt", "sim", "não", "Lisboa", "Brasil", "nenhum"),
    ("pt_BR", "sim", "nao", "Porto", "brasileiro", "nenhuma"),
    ("en", "yes", "no", "Faro", "Brazil", "none"),
    ("es", "sí", "no", "Lisboa", "Colombia", "ninguno"),
    ("fr", "oui", "non", "Lisbonne", "Sénégal", "aucun"),
    ("ro", "da", "nu", "Lisabona", "Moldova", "nimic"),
    ("bg", "да", "не", "Лисабон", "Украйна", "нищо"),
    ("uk", "так", "ні", "Лісабон", "Україна", "нічого"),
    ("ru", "да", "нет", "Лиссабон", "Украина", "ничего"),
    ("ar", "نعم", "لا", "لشبونة", "المغرب", "لا شيء"),
    ("hi", "हाँ", "नहीं", "लिस्बन", "भारत", "कुछ नहीं"),
    ("pa", "ਹਾਂ", "ਨਹੀਂ", "Beja", "ਭਾਰਤ", "ਕੁਝ ਨਹੀਂ"),
    ("ne", "हो", "होइन", "Lisboa", "नेपाल", "केही छैन"),
    ("bn", "হ্যাঁ", "না", "Lisboa", "বাংলাদেশ", "কিছু না"),
    ("ur", "ہاں", "نہیں", "Lisboa", "پاکستان", "کچھ نہیں"),
    ("zh_Hans", "是", "不", "我在里斯本", "中国", "都没有"),
]


@pytest.mark.parametrize(("lang", "yes", "no", "town", "country", "none"), PER_LOCALE,
                         ids=[row[0] for row in PER_LOCALE])
def test_simple_case_in_every_locale(lang, yes, no, town, country, none):
    says = [yes, no, yes, town, country, no, yes, no, "1", "1", no, "1", no, no, no, none, "1"]
    steps = run(says, lang)
    last = steps[-1]
    assert last.state == "done", [(s.state, msgids(s)) for s in steps[-3:]]
    assert last.outcome["programme"] == "arvore" and last.actions == ("handoff",)
    assert last.record["district"] is not None and last.record["vulnerabilities"] == []
    assert len(says) < 20


def test_dont_know_button_stores_none_but_is_a_code_in_choices():
    district = run(["yes", "no", "yes", "@unknown"])[-1]
    assert district.state == "nationality" and district.record["district"] is None
    says = [*START, "no", "yes", "no", "India", "1", "no", "1", "no", "@unknown"]
    assert run(says)[-1].record["legal_impediment"] == "unknown"


NEUTRAL_FIRST_LINE = __import__("re").compile(
    r"danger|traffick|exploit|violen|police|asylum|refugee|return|go home|going back|arvore|\biom\b"
    r"|victim|abuse|hurt|threat|forced|fear",
    __import__("re").I,
)


def _first_line(step) -> list[str]:
    return [reply.parts[0].msgid.split("\n")[0] for reply in step.replies]


def test_the_first_line_of_every_explanation_is_neutral():
    """A lock screen shows the first line to whoever holds the phone: it must reveal nothing."""
    from dialogs.messages import emergency_reply
    from dialogs.outcome import explain

    outcomes = [
        {"programme": p, "eligibility": e, "priority": "normal", "reasons": r, "vulnerabilities": ["domestic_violence"]}
        for p, e, r in [
            ("arvore", "likely_eligible", []), ("arvore", "needs_review", []),
            ("eu_trafficking_fund", "needs_review", ["arvore_possible"]),
            ("trafficking_support", "needs_review", []), ("asylum_info", "needs_review", []),
            ("out_of_scope", "not_eligible", []), ("referral", "needs_review", ["undecided"]),
            ("referral", "not_eligible", ["eu_national"]), ("referral", "not_eligible", ["previous_beneficiary"]),
        ]
    ]
    replies = [r for o in outcomes for r in explain(o)] + [emergency_reply()]
    for reply in replies:
        first = reply.parts[0].msgid.split("\n")[0]
        assert not NEUTRAL_FIRST_LINE.search(first), first
    greeting = run([])[-1]
    for line in _first_line(greeting):
        assert not NEUTRAL_FIRST_LINE.search(line), line
