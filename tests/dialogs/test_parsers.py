"""Answer parsers per language: yes/no, "I don't know", numbers, countries, districts, menus.

These are the parsers' own cases; tests/corpora runs what native speakers wrote."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dialogs.base import Choice, Given, Text
from dialogs.parsers import menu_choice, parse
from dialogs.places import parse_country, parse_district
from dialogs.understand import Reading, count, read_polarity, units_of


@dataclass(frozen=True)
class Q:
    """A question as the parser sees it."""

    answer: str
    options: tuple[Choice, ...] = ()
    state: str = "test"
    negative: str | None = None
    plain: tuple[str, ...] = ()
    under_age: int | None = None


# (locale, yes words, no words, don't-know words)
YES_NO = [
    ("en", ["yes", "Yeah", "ok", "yes please"], ["no", "Nope", "no thanks"], ["I don't know", "not sure"]),
    ("pt", ["sim", "Sim!", "claro", "quero"], ["não", "nao", "NÃO"], ["não sei", "nao sei"]),
    ("pt_BR", ["sim, quero", "beleza", "aham"], ["não, obrigado"], ["sei lá"]),
    ("es", ["sí", "si", "claro"], ["no"], ["no sé", "no lo sé", "no estoy seguro"]),
    ("fr", ["oui", "ouais"], ["non"], ["je ne sais pas"]),
    ("ro", ["da", "desigur", "bine"], ["nu"], ["nu știu", "nu stiu"]),
    ("bg", ["да"], ["не"], ["не знам"]),
    ("uk", ["так", "Так", "звичайно", "авжеж"], ["ні"], ["не знаю"]),
    ("ru", ["да", "конечно", "хорошо"], ["нет"], ["не знаю"]),
    ("ar", ["نعم", "ايوه", "أكيد", "طيب"], ["لا", "لأ"], ["لا أعرف"]),
    ("hi", ["हाँ", "हां", "haan", "ji"], ["नहीं", "nahi", "nahin", "जी नहीं"], ["पता नहीं", "pata nahi"]),
    ("pa", ["ਹਾਂ", "ਹਾਂ ਜੀ"], ["ਨਹੀਂ", "ਜੀ ਨਹੀਂ"], ["ਪਤਾ ਨਹੀਂ"]),
    ("ne", ["हो", "hajur", "ठिक छ"], ["होइन", "chaina", "हजुर होइन"], ["थाहा छैन"]),
    ("bn", ["হ্যাঁ", "জি"], ["না", "জি না"], ["জানি না"]),
    ("ur", ["ہاں", "جی"], ["نہیں", "جی نہیں"], ["پتہ نہیں"]),
    ("zh_Hans", ["是", "是的", "对", "想", "需要", "要"], ["不", "没有", "不是"], ["不知道"]),
]


@pytest.mark.parametrize(("lang", "yes", "no", "dunno"), YES_NO, ids=[r[0] for r in YES_NO])
def test_yes_no_and_dont_know_per_language(lang, yes, no, dunno):
    for word in yes:
        assert read_polarity(word, lang) == "yes", word
    for word in no:
        assert read_polarity(word, lang) == "no", word
    for word in dunno:
        assert read_polarity(word, lang) == "unsure", word
    assert read_polarity("Lisboa", lang) is None


def test_a_polite_particle_never_decides():
    # The cases: the particle first, the negation after.
    for text, lang in (("जी नहीं", "hi"), ("ਜੀ ਨਹੀਂ", "pa"), ("हजुर होइन", "ne"), ("জি না", "bn"),
                       ("جی نہیں", "ur"), ("ji nahi", "hi")):
        assert read_polarity(text, lang) == "no", text


def test_words_of_one_language_do_not_decide_another():
    assert read_polarity("no estoy seguro", "es") == "unsure"
    assert read_polarity("na verdade, sim", "pt") == "yes"


def test_a_later_clause_takes_a_yes_back_and_a_mixed_answer_is_asked_again():
    assert read_polarity("sim... quer dizer, não", "pt") == "no"
    assert read_polarity("yes but I don't agree", "en") == "no"
    assert read_polarity("no, I just want to ask", "en") == "no"


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), ("3 pessoas", 3), ("we are 4", 4), ("three", 3), ("três", 3),
     ("trois", 3), ("два", 2), ("п'ять", 5), ("чотири", 4), ("три человека", 3),
     ("३", 3), ("٣", 3), ("৩", 3), ("੩", 3), ("۴", 4), ("dois", 2), ("duas", 2),
     ("sozinho", 1), ("just me", 1), ("me and my wife", 2), ("eu e os meus 2 filhos", 3)],
)
def test_numbers_in_words_and_digits_of_any_script(text, number):
    locale = {"três": "pt", "dois": "pt", "duas": "pt", "sozinho": "pt", "3 pessoas": "pt",
              "eu e os meus 2 filhos": "pt", "trois": "fr", "два": "ru", "три человека": "ru",
              "п'ять": "uk", "чотири": "uk"}.get(text, "en")
    assert count(units_of(text), locale) == number


def test_a_total_first_then_who_they_are():
    # "4, me, my husband and 2 kids" is four people, not 4 + 4.
    assert count(units_of("4 eu meu esposo e as 2 crianças"), "pt_BR") == 4
    assert count(units_of("cinco, mi marido, yo y tres peques"), "es") == 5
    assert count(units_of("चार जना, म, श्रीमती र दुई छोराछोरी"), "ne") == 4
    assert count(units_of("one, my baby"), "en", with_self=False) == 1
    assert count(units_of("me, my wife and 3 kids"), "en") == 5


@pytest.mark.parametrize(("text", "lang", "under"), [
    ("tenho 16", "pt", True), ("mne 16 let", "ru", True), ("我16岁", "zh_Hans", True),
    ("мне 19", "ru", False), ("no, I am 25", "en", False), ("yes", "en", True),
    # The limit itself, with words around it: the words answer.
    ("yes, under 18", "en", True), ("no, I am 18", "en", False), ("I am 18", "en", False),
])
def test_an_age_answers_are_you_under_18(text, lang, under):
    q = Q("yes_no", state="is_minor_alone", under_age=18)
    assert parse(q, text, lang).value is under


def test_a_yes_with_its_negation_after_it_is_a_no():
    # "urgent? no, but I need help": the "but" never turns a no into a yes.
    assert read_polarity("urgente não, mas preciso de ajuda para voltar", "pt", "in_danger_now") == "no"
    assert read_polarity("voltar não", "pt", "wants_to_return") == "no"


def test_a_lone_english_no_in_another_language():
    assert read_polarity("no, obrigado", "pt") == "no"  # "no" is also Portuguese for "in the"


def test_number_answers_are_bounded():
    q = Q("number", state="household_size")
    assert parse(q, "999", "en") is None and parse(q, "abc", "en") is None
    assert parse(Q("number", state="minors_count"), "0", "en").value == 0


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


def test_a_word_that_only_looks_like_a_country_with_an_ending():
    # "pakka" (sure) is not "pak" + a Nepali ending: the answer is "not sure yet".
    assert parse(Q("country", state="destination_country"), "hale pakka nahi", "pa") == \
        Reading(None, "unsure")
    assert parse_country("नेपालबाट") == "NP"


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


def test_district_dont_know_decline_and_nonsense():
    q = Q("district")
    assert parse(q, "não sei", "pt").kind == "unsure"
    assert parse(q, "prefiro não dizer", "pt").kind == "decline"
    assert parse(q, "I prefer not to say", "en").kind == "decline"
    assert parse(q, "qwerty", "pt") is None


OPTIONS = (Choice("valid_passport", Text("Yes, a valid one")),
           Choice("expired_passport", Text("Yes, but it has expired")),
           Choice("none", Text("No passport")))


def test_buttons_and_numbered_menu():
    assert menu_choice(Given(choice="none", kind="choice"), OPTIONS) == "none"
    assert menu_choice(Given(text="2"), OPTIONS) == "expired_passport"
    assert menu_choice(Given(text=" ३ "), OPTIONS) == "none"  # a Devanagari digit
    assert menu_choice(Given(text="4"), OPTIONS) is None
    assert menu_choice(Given(choice="bogus", kind="choice"), OPTIONS) is None


def _question(state: str):
    from dialogs.screening import QUESTIONS

    return next(q for q in QUESTIONS if q.state == state)


def test_choice_free_text_keywords():
    passport = _question("travel_document")
    assert parse(passport, "passaporte vencido", "pt").value == "expired_passport"
    assert parse(passport, "паспорт", "ru").value == "valid_passport"
    wants = _question("wants_to_return")
    assert parse(wants, "sim", "pt").value == "yes"
    assert parse(wants, "ні", "uk").value == "no"
    assert parse(wants, "não sei", "pt").value == "unsure"


def test_multi_choice():
    q = _question("vulnerabilities")
    assert parse(q, "1 3", "pt").value == ["pregnant", "disability"]
    assert parse(q, "1,2", "pt").value == ["pregnant", "medical"]
    assert parse(q, "grávida", "pt").value == ["pregnant"]
    assert parse(q, "nenhum", "pt").value == []
    assert parse(q, "não", "pt").value == []
    assert parse(q, "tenho 71 anos", "pt").value == ["elderly"]  # "Older person (65+)"
    assert parse(q, "qwerty", "pt") is None


def test_skip_words_in_the_optional_block():
    q = _question("work_safety")
    for word, lang in (("skip", "en"), ("pular", "pt"), ("пропустити", "uk"), ("跳过", "zh_Hans")):
        assert parse(q, word, lang).kind == "decline", word


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
    lang = {"पासपोर्ट नहीं है": "hi", "پاسپورٹ نہیں ہے": "ur", "ليس لدي جواز": "ar",
            "我没有护照": "zh_Hans", "I have no passport": "en", "no, it expired": "en"}.get(text, "pt")
    assert parse(_question("travel_document"), text, lang).value == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("my boss has my passport", "en"), ("o patrão ficou com o meu passaporte", "pt"),
     ("el jefe tiene mi pasaporte", "es"), ("मालिक के पास है मेरा पासपोर्ट", "hi")],
)
def test_a_passport_someone_else_keeps(text, lang):
    assert parse(_question("travel_document"), text, lang).value == "held_by_other"


def test_pas_de_passeport_is_no_passport():
    assert parse(_question("travel_document"), "Pas de passeport", "fr").value == "none"


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [("afegão", "pt", "AF"), ("سوري", "ar", "SY"), ("مصري", "ar", "EG"), ("नेपालबाट", "ne", "NP"),
     ("हिंदुस्तान", "hi", "IN"), ("I'm from Nepal", "en", "NP"), ("sou de Angola", "pt", "AO")],
)
def test_nationalities_as_adjectives_and_from_forms(text, lang, code):
    assert parse(_question("nationality"), text, lang).value == code


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [("por sms", "pt", "sms"), ("liga-me", "pt", "phone_call"), ("call me", "en", "phone_call"),
     ("aqui mesmo", "pt", "this_chat"), ("by text message", "en", "sms")],
)
def test_contact_preference_in_free_text(text, lang, value):
    assert parse(_question("contact_preference"), text, lang).value == value
