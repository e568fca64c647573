"""Global commands and danger words: at any point, in every supported language."""

from __future__ import annotations

import pytest

from dialogs.commands import match_command
from dialogs.danger import is_danger
from dialogs.languages import LANGUAGE_OPTIONS
from tests.dialogs.transcript import field, msgids, run

AT_DISTRICT = ["yes", "no", "yes"]  # consent, not in danger, in Portugal -> district question

# One word per command per locale: (locale, help, restart, language, person, stop, erase, exit,
# privacy).
COMMAND_WORDS = [
    ("en", "help", "restart", "language", "talk to a person", "STOP", "delete my data", "exit", "privacy"),
    ("pt", "menu", "recomeçar", "idioma", "falar com uma pessoa", "parar", "apagar", "sair", "privacidade"),
    ("pt_BR", "opções", "reiniciar", "língua", "atendente", "pare", "apagar meus dados", "Sair", "Privacidade"),
    ("es", "menú", "empezar de nuevo", "idioma", "hablar con una persona", "parar", "borrar", "salir", "privacidad"),
    ("fr", "menu", "recommencer", "langue", "parler à quelqu'un", "arrêter", "supprimer", "sortir", "confidentialité"),
    ("ro", "meniu", "reîncepe", "limba", "operator", "oprește", "șterge", "ieșire", "confidențialitate"),
    ("bg", "меню", "отначало", "език", "човек", "спри", "изтрий", "изход", "поверителност"),
    ("uk", "довідка", "почати знову", "мова", "людина", "зупинити", "видалити", "вихід", "конфіденційність"),
    ("ru", "справка", "начать заново", "язык", "человек", "стоп", "удалить", "выход", "конфиденциальность"),
    ("ar", "قائمة", "ابدأ من جديد", "اللغة", "شخص", "توقف", "احذف", "خروج", "الخصوصية"),
    ("hi", "मेनू", "फिर से शुरू", "भाषा", "इंसान", "रुको", "मिटाओ", "बाहर", "गोपनीयता"),
    ("pa", "ਮੀਨੂ", "ਮੁੜ ਸ਼ੁਰੂ", "ਭਾਸ਼ਾ", "ਇਨਸਾਨ", "ਰੁਕੋ", "ਮਿਟਾਓ", "ਬਾਹਰ", "ਨਿੱਜਤਾ"),
    ("ne", "मेनु", "फेरि सुरु", "भाषा", "मान्छे", "रोक्नुहोस्", "मेटाउनुहोस्", "निस्कनु", "गोपनीयता"),
    ("bn", "মেনু", "আবার শুরু", "ভাষা", "মানুষ", "থামো", "মুছুন", "বাহির", "গোপনীয়তা"),
    ("ur", "مینو", "دوبارہ شروع", "زبان", "انسان", "رکو", "حذف کریں", "باہر", "رازداری"),
    ("zh_Hans", "帮助", "重新开始", "语言", "人工", "停止", "删除", "退出", "隐私"),
]
NAMES = ("help", "restart", "language", "person", "stop", "erase", "exit", "privacy")

DANGER = [
    ("en", "help me please"), ("en", "they beat me"), ("pt", "socorro"), ("pt", "ajuda"),
    ("pt_BR", "me prenderam aqui"), ("es", "ayúdame"), ("fr", "au secours"), ("ro", "ajutor"),
    ("bg", "помогнете"), ("uk", "допоможіть"), ("ru", "помогите"), ("ar", "مساعدة"),
    ("hi", "बचाओ"), ("hi", "mujhe bachao"), ("pa", "ਬਚਾਓ"), ("ne", "मलाई बचाउ"),
    ("bn", "বাঁচাও"), ("ur", "مجھے بچاؤ"), ("zh_Hans", "救命"),
]


@pytest.mark.parametrize("row", COMMAND_WORDS, ids=[r[0] for r in COMMAND_WORDS])
def test_command_words_in_every_language(row):
    for name, word in zip(NAMES, row[1:], strict=True):
        assert match_command(word) == name, (row[0], word)


@pytest.mark.parametrize(("lang", "text"), DANGER)
def test_danger_words_in_every_language_give_emergency_numbers_and_continue(lang, text):
    assert is_danger(text)
    step = run([*AT_DISTRICT, text], lang)[-1]
    assert step.actions[0] == "urgent"
    # a neutral first line, then 112 and the trafficking line before anything else
    assert [t.params.get("phone") for t in step.replies[0].parts][1:3] == ["112", "964 608 288"]
    assert step.state == "district" and field(step) == "district"  # the flow goes on
    assert step.record["in_danger_now"] is True


def test_danger_before_consent_is_urgent_too():
    step = run(["socorro"], "pt")[-1]
    assert step.actions == ("urgent",) and step.state == "consent"


def test_ordinary_answers_are_not_danger_or_commands():
    for text in ("sim", "não", "preciso de ajuda para voltar", "Lisboa", "3 pessoas", "no",
                 "td bom"):  # "all good", not the Chinese SMS unsubscribe code "TD"
        assert not is_danger(text) and match_command(text) is None
    assert match_command("td") == "stop" and match_command("stop please") == "stop"


def test_danger_said_not_to_have_happened_is_not_danger():
    # "nobody hit me or threatened me"; a question about papers that says "emergency"
    for text in ("ما حدا ضربني ولا هددني، بس بدي ارجع", "ما ضربني",
                 "emergency certificate kaise banta hai embassy se?", "nobody hit me"):
        assert not is_danger(text), text
    assert is_danger("ضربني المعلم") and is_danger("emergency hai, madad karo")


def test_help_and_privacy_reask_the_current_question():
    for word in ("help", "privacy"):
        step = run([*AT_DISTRICT, word])[-1]
        assert step.state == "district" and field(step) == "district"
        assert all(r.kind == "info" for r in step.replies[:-1])
    assert len(run([*AT_DISTRICT, "privacy"])[-1].replies) == 4  # 3 paragraphs + the question


def test_restart_clears_the_record():
    step = run([*AT_DISTRICT, "Lisboa", "restart"])[-1]
    assert step.state == "consent" and step.record == {} and step.actions == ("restart",)


def test_change_language_menu_sets_the_language_and_resumes():
    menu = run([*AT_DISTRICT, "idioma"])[-1]
    assert menu.expecting.field == "language" and menu.expecting.type == "choice"
    labels = [o.label.msgid for o in menu.expecting.options]
    assert len(labels) == 16 and "Português (Brasil)" in labels and "ਪੰਜਾਬੀ" in labels
    assert [o.value for o in LANGUAGE_OPTIONS][:3] == ["pt", "pt_BR", "en"]
    for choice, code in (("2", "pt_BR"), ("@uk", "uk"), ("हिन्दी", "hi"), ("punjabi", "pa")):
        step = run([*AT_DISTRICT, "language", choice])[-1]
        assert step.language == code and step.state == "district"


def test_talk_to_a_person_hands_off_and_keeps_the_place():
    step = run([*AT_DISTRICT, "falar com uma pessoa"], "pt")[-1]
    assert step.actions == ("handoff",) and step.state == "district"


def test_stop_and_quick_exit():
    stop = run([*AT_DISTRICT, "STOP"])[-1]
    assert stop.actions == ("stop",) and stop.state == "ended" and stop.expecting is None
    leave = run([*AT_DISTRICT, "sair"], "pt")[-1]
    assert leave.actions == ("quick_exit",) and leave.replies == []


def test_delete_my_data_asks_for_confirmation_then_erases():
    ask = run([*AT_DISTRICT, "Lisboa", "apagar"], "pt")[-1]
    assert ask.expecting.field == "confirm_erase" and ask.expecting.type == "yes_no"
    assert ask.actions == ()
    done = run([*AT_DISTRICT, "Lisboa", "apagar", "sim"], "pt")[-1]
    assert done.actions == ("erase",) and done.record == {} and done.state == "ended"
    kept = run([*AT_DISTRICT, "Lisboa", "apagar", "2"], "pt")[-1]
    assert kept.actions == () and kept.state == "nationality" and kept.record["district"] == "PT-11"
    assert "OK, nothing was deleted." in msgids(kept)


def test_commands_work_inside_the_menus_and_after_the_end():
    step = run([*AT_DISTRICT, "language", "delete", "yes"])[-1]
    assert step.actions == ("erase",)
    done = run(["yes", "no", "no"])
    assert done[-1].state == "done"
    again = run(["yes", "no", "no", "hello"])[-1]
    assert again.state == "done" and again.replies
    assert run(["yes", "no", "no", "restart"])[-1].state == "consent"


def test_a_photo_or_location_is_not_counted_as_a_failure():
    steps = run([*AT_DISTRICT])
    from dialogs import DIALOGS
    from dialogs.base import Context, Given

    last = steps[-1]
    step = DIALOGS["screening"].advance(last.state, last.record, Given(kind="media"), Context())
    assert step.state == "district" and "Sorry, I can only read text messages here." in msgids(step)


def test_language_choice_updates_the_record_language():
    step = run([*AT_DISTRICT, "language", "@ne"])[-1]
    assert step.record["language"] == "ne" and step.language == "ne"


def test_danger_words_answer_the_safety_question():
    step = run(["sim", "socorro, me bateram"], "pt")[-1]
    assert step.state == "in_portugal" and step.actions == ("urgent",)
    assert step.record["in_danger_now"] is True
    # a neutral first line, then 112 and the trafficking line before anything else
    assert [t.params.get("phone") for t in step.replies[0].parts][1:3] == ["112", "964 608 288"]
