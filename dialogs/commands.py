"""Global commands a person can send at any point, and danger words, in every supported
language.

Commands match the whole message (so "stop" inside a sentence is not a command); danger phrases
match anywhere in it, because someone in danger will not stop to type a keyword. Short danger
words that are also everyday words ("ajuda", "madad") match only as the whole message.
"""

from __future__ import annotations

from dialogs._normal import has_cjk, normalize

__all__ = ["COMMANDS", "is_danger", "match_command"]


def _norm(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split("|") if w.strip())


COMMANDS: dict[str, frozenset[str]] = {
    "help": _norm(
        "help|/help|menu|options|commands|opções|opcoes|comandos|menú|opciones|aide|commandes"
        "|meniu|opțiuni|меню|помощ|довідка|справка|قائمة|مساعدة البوت|मेनू|सहायता|ਮੀਨੂ|ਸਹਾਇਤਾ"
        "|मेनु|সাহায্য মেনু|মেনু|مینو|菜单|帮助"
    ),
    "restart": _norm(
        "restart|/restart|/start|start over|start again|recomeçar|reiniciar|começar de novo"
        "|empezar de nuevo|recommencer|reîncepe|reincepe|отначало|почати знову|спочатку|заново"
        "|начать заново|сначала|ابدأ من جديد|إعادة|फिर से शुरू|दोबारा शुरू|ਮੁੜ ਸ਼ੁਰੂ|फेरि सुरु"
        "|আবার শুরু|دوبارہ شروع|重新开始|重来"
    ),
    "language": _norm(
        "language|/language|lang|change language|idioma|língua|lingua|mudar idioma|mudar língua"
        "|cambiar idioma|langue|changer de langue|limba|limbă|език|мова|змінити мову|язык"
        "|сменить язык|لغة|اللغة|भाषा|भाषा बदलें|ਭਾਸ਼ਾ|ভাষা|زبان|زبان تبدیل|语言|语言设置"
    ),
    "person": _norm(
        "person|/person|human|agent|operator|caseworker|talk to a person|speak to a person"
        "|talk to someone|real person|pessoa|humano|atendente|falar com uma pessoa"
        "|falar com alguém|persona|hablar con una persona|humain|parler à quelqu'un"
        "|conseiller|persoană|om|vorbește cu cineva|човек|оператор|людина|поговорити з людиною"
        "|человек|поговорить с человеком|شخص|موظف|التحدث مع شخص|इंसान|व्यक्ति|किसी से बात"
        "|ਇਨਸਾਨ|ਵਿਅਕਤੀ|मान्छे|মানুষ|ব্যক্তি|انسان|کسی سے بات|人工|真人|转人工"
    ),
    "stop": _norm(
        "stop|/stop|stopp|unsubscribe|parar|pare|cancelar|basta|arrêter|arreter|arrête|stopper"
        "|oprește|opreste|стоп|спри|зупинити|стоп|хватит|توقف|रुको|बंद करो|ਰੁਕੋ|ਬੰਦ ਕਰੋ|ਬੰਦ"
        "|रोक्नुहोस्|থামো|বন্ধ|رکو|بند کرو|停止|停"
        "|बंद करें|रोकें|بند کریں|رکیں|থামুন"  # polite forms
    ),
    "erase": _norm(
        "delete|/delete|erase|delete my data|erase my data|apagar|apagar dados|apagar os meus dados"
        "|apagar meus dados|borrar|borrar mis datos|supprimer|effacer|supprimer mes données"
        "|șterge|sterge|șterge datele|изтрий|изтрий данните|видалити|видалити дані|удалить"
        "|удалить данные|احذف|حذف بياناتي|डेटा हटाओ|मिटाओ|हटाओ|ਮਿਟਾਓ|ਡਾਟਾ ਮਿਟਾਓ|मेटाउनुहोस्"
        "|মুছুন|মুছে ফেলুন|ডেটা মুছুন|حذف کریں|ڈیٹا حذف کریں|删除|删除我的数据"
        "|हटाएं|हटाएँ|मिटाएं|मिटाएँ|डेटा हटाएं|مٹا دیں|ہٹا دیں"  # polite forms people type
    ),
    "exit": _norm(
        "exit|/exit|quick exit|x|sair|saída|salir|sortir|quitter|ieșire|iesire|ieși|изход"
        "|вихід|выход|خروج|बाहर|निकास|ਬਾਹਰ|निस्कनु|বাহির|বের হও|باہر|退出"
        "|बाहिर|निस्कनुहोस्|বের হোন"  # polite and everyday forms
    ),
    # Details of the programme that fits (on SMS they are sent only when asked for).
    "info": _norm(
        "info|/info|information|more information|more info|informação|informações|informacao"
        "|informacoes|mais informação|mais informações|información|más información|mas informacion"
        "|informations|plus d'informations|informații|informatii|mai multe informații|информация"
        "|повече информация|інформація|більше інформації|подробнее|معلومات|مزيد من المعلومات"
        "|जानकारी|अधिक जानकारी|ਜਾਣਕਾਰੀ|ਹੋਰ ਜਾਣਕਾਰੀ|थप जानकारी|তথ্য|আরও তথ্য|مزید معلومات"
        "|信息|更多信息|详情"
    ),
    "privacy": _norm(
        "privacy|/privacy|privacy notice|privacidade|privacidad|confidentialité|confidentialite"
        "|vie privée|confidențialitate|confidentialitate|поверителност|конфіденційність"
        "|приватність|конфиденциальность|приватность|الخصوصية|गोपनीयता|ਨਿੱਜਤਾ|ਪਰਦੇਦਾਰੀ|গোপনীয়তা|رازداری"
        "|隐私|隐私政策"
    ),
}
_BY_WORD = {word: name for name, words in COMMANDS.items() for word in words}

# Phrases that signal danger wherever they appear in a message.
_DANGER_PHRASES = _norm(
    "help me|save me|sos|emergency|they beat me|beat me|beating me|hit me|hurting me|kill me"
    "|i am in danger|i'm in danger|locked me|locked in|kidnapped|raped|rape"
    "|socorro|socorre|ajude-me|ajudem-me|me ajuda|me ajude|ajudem|estou em perigo"
    "|me bateram|bateram-me|me batem|me prenderam|prenderam-me|estou preso|estou presa"
    "|vão me matar|vao me matar|matar-me|sequestrado|sequestrada|emergência"
    "|ayúdame|ayudenme|auxilio|me pegaron|me golpean|me van a matar|estoy en peligro|me encerraron"
    "|au secours|aidez-moi|à l'aide|je suis en danger|ils m'ont frappé|on m'a frappé|me tuer"
    "|ajutați-mă|ajutati-ma|sunt în pericol|m-au bătut|mă bat|vor să mă omoare"
    "|помогнете|в опасност съм|биха ме|бият ме|ще ме убият"
    "|допоможіть|рятуйте|на допомогу|мене б'ють|мене побили|я в небезпеці|мене вб'ють"
    "|помогите|спасите|меня бьют|меня избили|я в опасности|меня убьют"
    "|ساعدني|ساعدوني|النجدة|أنقذوني|انقذوني|أنا في خطر|انا في خطر|ضربوني|يضربونني"
    "|बचाओ|मुझे बचाओ|मदद करो|मुझे मारा|मुझे मार रहे|खतरे में हूँ|bachao|bachaao|mujhe bachao"
    "|ਬਚਾਓ|ਮਦਦ ਕਰੋ|ਮੈਨੂੰ ਬਚਾਓ|ਮੈਨੂੰ ਮਾਰਿਆ|ਖ਼ਤਰੇ ਵਿੱਚ|ਖਤਰੇ ਵਿੱਚ"
    "|बचाउ|बचाऊ|गुहार|मलाई बचाउ|मलाई कुट्यो|खतरामा छु|bachau|guhar"
    "|বাঁচাও|বাচাও|সাহায্য করুন|আমাকে বাঁচাও|আমাকে মারছে|বিপদে আছি|bachaw"
    "|بچاؤ|بچاو|مجھے بچاؤ|مدد کرو|مجھے مارا|خطرے میں ہوں"
    "|救命|救救我|帮帮我|我有危险|有人打我|他们打我"
)
# Everyday words that mean "help!" when sent on their own.
_DANGER_WORDS = _norm(
    "ajuda|ayuda|ajutor|помощ|помощь|допомога|مساعدة|मदद|ਮਦਦ|मद्दत|সাহায্য|مدد|madad"
)
_CJK_PHRASES = tuple(p for p in _DANGER_PHRASES if has_cjk(p))
_LONGEST = max(len(p.split()) for p in _DANGER_PHRASES)


def match_command(text: str) -> str | None:
    """The global command a whole message names (help, restart, language, person, stop,
    erase, exit, privacy, info), or None."""
    norm = normalize(text)
    if text.strip().startswith("/"):
        norm = "/" + norm
    return _BY_WORD.get(norm) or _BY_WORD.get(normalize(text))


def is_danger(text: str) -> bool:
    """Whether a message says the person is in danger or asks for help urgently."""
    norm = normalize(text)
    if not norm:
        return False
    if norm in _DANGER_WORDS or norm in _DANGER_PHRASES:
        return True
    # Look up every run of up to _LONGEST words: a few set look-ups instead of a scan of all
    # phrases, which keeps this check cheap on every turn.
    words = norm.split()
    for size in range(1, _LONGEST + 1):
        for i in range(len(words) - size + 1):
            if " ".join(words[i:i + size]) in _DANGER_PHRASES:
                return True
    return has_cjk(norm) and any(p in norm for p in _CJK_PHRASES)
