"""Answer parsers per language: yes/no, "I don't know", numbers, countries, districts, menus."""

from __future__ import annotations

import pytest

from dialogs.base import Choice, Given, Text
from dialogs.parsers import PARSERS, menu_choice, parse_number, parse_yes_no
from dialogs.places import parse_country, parse_district

# (locale, yes words, no words, don't-know words)
YES_NO = [
    ("en", ["yes", "Yeah", "ok", "yes please"], ["no", "Nope", "no thanks"], ["I don't know", "not sure"]),
    ("pt", ["sim", "Sim!", "claro", "quero"], ["não", "nao", "NÃO"], ["não sei", "nao sei"]),
    ("pt_BR", ["sim, quero", "beleza"], ["não, obrigado"], ["sei lá"]),
    ("es", ["sí", "si", "claro"], ["no"], ["no sé", "no lo sé"]),
    ("fr", ["oui", "ouais"], ["non"], ["je ne sais pas"]),
    ("ro", ["da", "desigur"], ["nu"], ["nu știu", "nu stiu"]),
    ("bg", ["да"], ["не"], ["не знам"]),
    ("uk", ["так", "Так"], ["ні"], ["не знаю"]),
    ("ru", ["да", "конечно"], ["нет"], ["не знаю"]),
    ("ar", ["نعم", "ايوه"], ["لا"], ["لا أعرف"]),
    ("hi", ["हाँ", "हां", "haan", "ji"], ["नहीं", "nahi", "nahin"], ["पता नहीं", "pata nahi"]),
    ("pa", ["ਹਾਂ", "ਹਾਂ ਜੀ"], ["ਨਹੀਂ"], ["ਪਤਾ ਨਹੀਂ"]),
    ("ne", ["हो", "hajur"], ["होइन", "chaina"], ["थाहा छैन"]),
    ("bn", ["হ্যাঁ", "জি"], ["না"], ["জানি না"]),
    ("ur", ["ہاں", "جی"], ["نہیں"], ["پتہ نہیں"]),
    ("zh_Hans", ["是", "是的", "对"], ["不", "没有", "不是"], ["不知道"]),
]


@pytest.mark.parametrize(("lang", "yes", "no", "dunno"), YES_NO, ids=[r[0] for r in YES_NO])
def test_yes_no_and_dont_know_per_language(lang, yes, no, dunno):
    for word in yes:
        assert parse_yes_no(word).value is True, word
    for word in no:
        assert parse_yes_no(word).value is False, word
    for word in dunno:
        assert parse_yes_no(word).value is None, word
    assert parse_yes_no("Lisboa") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), ("3 pessoas", 3), ("we are 4", 4), ("three", 3), ("três", 3), ("tres", 3),
     ("trois", 3), ("trei", 3), ("два", 2), ("п'ять", 5), ("чотири", 4), ("три человека", 3),
     ("३", 3), ("٣", 3), ("৩", 3), ("੩", 3), ("۴", 4), ("十", 10), ("dois", 2), ("duas", 2),
     ("sozinho", 1), ("just me", 1)],
)
def test_numbers_in_words_and_digits_of_any_script(text, number):
    assert parse_number(text) == number


def test_number_answers_are_bounded():
    parse = PARSERS["number"][0]
    assert parse("999", ()) is None and parse("abc", ()) is None and parse("0", ()).value == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [("brazil", "BR"), ("Brasil", "BR"), ("brasileiro", "BR"), ("brasileira", "BR"),
     ("Sou do Brasil", "BR"), ("ukraina", "UA"), ("Україна", "UA"), ("украинец", "UA"),
     ("nepal", "NP"), ("नेपाल", "NP"), ("Népal", "NP"), ("India", "IN"), ("भारत", "IN"),
     ("ਭਾਰਤ", "IN"), ("indiano", "IN"), ("Bangladesh", "BD"), ("বাংলাদেশ", "BD"),
     ("پاکستان", "PK"), ("pakistani", "PK"), ("Angola", "AO"), ("angolano", "AO"),
     ("Cabo Verde", "CV"), ("cabo-verdiano", "CV"), ("Guiné-Bissau", "GW"),
     ("São Tomé e Príncipe", "ST"), ("Timor-Leste", "TL"), ("中国", "CN"), ("我是中国人", "CN"),
     ("البرازيل", "BR"), ("برازيل", "BR"), ("Roumanie", "RO"), ("România", "RO"),
     ("България", "BG"), ("Бразилия", "BR"), ("Brésil", "BR"), ("Colombia", "CO"),
     ("barzil", "BR"), ("Brasiil", "BR"), ("moldova", "MD")],
)
def test_countries_names_demonyms_typos_in_many_scripts(text, code):
    assert parse_country(text) == code


def test_not_a_country():
    for text in ("yes", "sim", "xyzzy", "3", ""):
        assert parse_country(text) is None, text


@pytest.mark.parametrize(
    ("text", "code"),
    [("Lisboa", "PT-11"), ("lisbon", "PT-11"), ("Amadora", "PT-11"), ("Porto", "PT-13"),
     ("Faro", "PT-08"), ("Évora", "PT-07"), ("evora", "PT-07"), ("Setubal", "PT-15"),
     ("Santarem", "PT-14"), ("Braganca", "PT-04"), ("Viana do Castelo", "PT-16"),
     ("Vila Real", "PT-17"), ("Castelo Branco", "PT-05"), ("Açores", "PT-20"),
     ("acores", "PT-20"), ("Azores", "PT-20"), ("Madeira", "PT-30"), ("Funchal", "PT-30"),
     ("Odemira", "PT-02"), ("moro em Sintra", "PT-11"), ("Coimbra", "PT-06"), ("Leiria", "PT-10"),
     ("Aveiro", "PT-01"), ("Beja", "PT-02"), ("Braga", "PT-03"), ("Guarda", "PT-09"),
     ("Portalegre", "PT-12"), ("Viseu", "PT-18"), ("Lisbao", "PT-11")],
)
def test_districts_and_towns(text, code):
    assert parse_district(text) == code


def test_district_dont_know_and_nonsense():
    parse = PARSERS["district"][0]
    assert parse("não sei", ()).value is None
    assert parse("qwerty", ()) is None


OPTIONS = (Choice("valid_passport", Text("Yes, a valid one")),
           Choice("expired_passport", Text("Yes, but it has expired")),
           Choice("none", Text("No passport")))


def test_buttons_and_numbered_menu():
    assert menu_choice(Given(choice="none", kind="choice"), OPTIONS) == "none"
    assert menu_choice(Given(text="2"), OPTIONS) == "expired_passport"
    assert menu_choice(Given(text=" ३ "), OPTIONS) == "none"  # a Devanagari digit
    assert menu_choice(Given(text="4"), OPTIONS) is None
    assert menu_choice(Given(choice="bogus", kind="choice"), OPTIONS) is None


def test_choice_free_text_keywords():
    parse = PARSERS["choice"][0]
    assert parse("passaporte vencido", OPTIONS).value == "expired_passport"
    assert parse("паспорт", OPTIONS).value == "valid_passport"
    wants = (Choice("yes", Text("Yes")), Choice("no", Text("No")), Choice("unsure", Text("Not sure")))
    assert parse("sim", wants).value == "yes"
    assert parse("ні", wants).value == "no"
    assert parse("não sei", wants).value == "unsure"


def test_multi_choice():
    opts = tuple(Choice(v, Text(v)) for v in ("pregnant", "medical", "homeless", "none"))
    parse = PARSERS["multi_choice"][0]
    assert parse("1 3", opts).value == ["pregnant", "homeless"]
    assert parse("1,2", opts).value == ["pregnant", "medical"]
    assert parse("grávida", opts).value == ["pregnant"]
    assert parse("nenhum", opts).value == []
    assert parse("não", opts).value == []
    assert parse("qwerty", opts) is None


def test_skip_words_in_the_optional_block():
    parse = PARSERS["yes_no_skip"][0]
    for word in ("skip", "pular", "пропустити", "跳过"):
        assert parse(word, ()).value == "skip"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("não tenho passaporte", "none"), ("पासपोर्ट नहीं है", "none"), ("پاسپورٹ نہیں ہے", "none"),
        ("ليس لدي جواز", "none"), ("我没有护照", "none"), ("I have no passport", "none"),
        ("no, it expired", "expired_passport"), ("não, está vencido", "expired_passport"),
        ("tenho passaporte", "valid_passport"), ("sim, tenho passaporte válido", "valid_passport"),
    ],
)
def test_a_negated_keyword_means_none(text, expected):
    from dialogs.parsers import _option_for
    from dialogs.screening import QUESTIONS

    question = next(q for q in QUESTIONS if q.state == "travel_document")
    assert _option_for(text, question.options) == expected
