"""Word lists for free-text answers in the 16 supported locales and common romanised forms.

Lists are written naturally (accents, any script); ``normalize`` is applied when they are
loaded, so matching is accent- and case-insensitive. Add words here, not in the parsers.
"""

from __future__ import annotations

from dialogs._normal import normalize

__all__ = ["DONT_KNOW", "NO", "NONE", "NUMBER_WORDS", "OPTION_WORDS", "SKIP", "YES"]


def _norm(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split("|") if w.strip())


YES = _norm(
    "yes|y|yeah|yep|yup|ok|okay|sure|of course|i agree|agree|i do|i want|want"
    "|sim|s|quero|quero sim|claro|concordo|aceito|pode ser|isso|com certeza|tá|ta bom|beleza"  # pt, pt_BR
    "|sí|si|quiero|vale|de acuerdo|por supuesto"  # es
    "|oui|ouais|je veux|d'accord|bien sûr"  # fr
    "|da|desigur|sigur|de acord"  # ro
    "|да|добре|разбира се"  # bg
    "|так|ага|звісно|згоден|згодна"  # uk
    "|конечно|согласен|согласна|угу"  # ru
    "|نعم|أجل|اجل|ايوه|ايوة|أيوه|موافق|aywa|naam|na'am"  # ar
    "|हाँ|हां|हा|जी|जी हाँ|जी हां|ठीक है|haan|han|haa|ha|ji|ji haan|theek hai"  # hi
    "|ਹਾਂ|ਜੀ|ਹਾਂ ਜੀ|ਠੀਕ ਹੈ|haanji|han ji"  # pa
    "|हो|हजुर|हुन्छ|ho|hajur|huncha"  # ne
    "|হ্যাঁ|হ্যা|হাঁ|জি|জী|ঠিক আছে|hya|hyan|ji ha"  # bn
    "|ہاں|جی|جی ہاں|ٹھیک ہے|jee"  # ur
    "|是|是的|对|對|好|好的|有|嗯|可以|同意"  # zh
)

NO = _norm(
    "no|n|nope|nah|not|never|i do not|i don't|dont"
    "|não|nao|nã|nunca|negativo"  # pt
    "|non|jamais"  # fr (es "no" above)
    "|nu|niciodată"  # ro
    "|не|никога"  # bg
    "|ні|нi|нє|ніколи"  # uk
    "|нет|неа|никогда"  # ru
    "|لا|كلا|la|laa"  # ar
    "|नहीं|नही|ना|कभी नहीं|nahi|nahin|nai|na|nahee"  # hi
    "|ਨਹੀਂ|ਨਹੀ|ਨਾ|nahin ji"  # pa
    "|होइन|छैन|हैन|hoina|chaina|chhaina|haina"  # ne
    "|না|নাহ|নেই|nah|nai"  # bn
    "|نہیں|نا|نہ"  # ur
    "|不|不是|否|没有|沒有|没|不要|不同意"  # zh
)

DONT_KNOW = _norm(
    "i don't know|i dont know|don't know|dont know|dunno|idk|not sure|i'm not sure|no idea|maybe"
    "|unknown|?"
    "|não sei|nao sei|sei lá|sei la|talvez|não tenho certeza|nao tenho certeza"  # pt
    "|no sé|no se|no lo sé|quizás|quizas|tal vez"  # es
    "|je ne sais pas|je sais pas|sais pas|peut-être|peut être"  # fr
    "|nu știu|nu stiu|poate|nu sunt sigur"  # ro
    "|не знам|може би"  # bg
    "|не знаю|не знаю точно|можливо|може|не впевнений|не впевнена"  # uk
    "|не уверен|не уверена|может быть|возможно"  # ru
    "|لا أعرف|لا اعرف|ما بعرف|مش عارف|لا أدري|ربما"  # ar
    "|पता नहीं|मुझे नहीं पता|मालूम नहीं|शायद|pata nahi|pata nahin|malum nahi|shayad"  # hi
    "|ਪਤਾ ਨਹੀਂ|ਮੈਨੂੰ ਨਹੀਂ ਪਤਾ|ਸ਼ਾਇਦ"  # pa
    "|थाहा छैन|थाहा भएन|सायद|thaha chaina|thaha chhaina"  # ne
    "|জানি না|জানিনা|হয়তো|jani na|jani naa"  # bn
    "|پتہ نہیں|معلوم نہیں|مجھے نہیں پتا|شاید"  # ur
    "|不知道|不清楚|不确定|也许"  # zh
)

SKIP = _norm(
    "skip|skip these|skip all|pass|later"
    "|pular|saltar|passar|depois|próxima"  # pt
    "|omitir|después"  # es
    "|passer|plus tard"  # fr
    "|sari|sări|mai târziu"  # ro
    "|пропусни|пропустити|пропустить|пропуск|далі|дальше"  # bg uk ru
    "|تخطي|تخط|لاحقا"  # ar
    "|छोड़ें|छोड़ो|छोडें|बाद में|chhodo|skip karo"  # hi
    "|ਛੱਡੋ|ਬਾਅਦ ਵਿੱਚ"  # pa
    "|छोड्नुहोस्|पछि"  # ne
    "|বাদ দিন|পরে"  # bn
    "|چھوڑیں|بعد میں"  # ur
    "|跳过|以后"  # zh
)

NONE = _norm(
    "none|nothing|no one|none of these|nenhum|nenhuma|nada|ninguno|ninguna|aucun|aucune|rien"
    "|niciunul|nimic|нищо|нічого|жодного|ничего|никакие|لا شيء|कुछ नहीं|कोई नहीं|ਕੁਝ ਨਹੀਂ"
    "|केही छैन|কিছু না|কোনোটিই না|کچھ نہیں|没有|都没有|无"
)

# Number words 0-12 (and a few larger) in the languages people most often spell numbers in;
# digits in any script are handled by ``normalize``.
NUMBER_WORDS: dict[str, int] = {}
for _lang_words in (
    "zero one two three four five six seven eight nine ten eleven twelve",
    "zero um dois três quatro cinco seis sete oito nove dez onze doze",
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze",
    "zero unu doi trei patru cinci șase șapte opt nouă zece unsprezece doisprezece",
    "ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать",
    "нуль один два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять",
    "нула едно две три четири пет шест седем осем девет десет единадесет дванадесет",
    "صفر واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة",
    "शून्य एक दो तीन चार पांच छह सात आठ नौ दस",
    "sifar ek do teen char paanch chhe saat aath nau das",
    "零 一 二 三 四 五 六 七 八 九 十",
):
    for _n, _word in enumerate(_lang_words.split()):
        NUMBER_WORDS.setdefault(normalize(_word), _n)
for _extra, _n in (
    ("uma", 1), ("duas", 2), ("una", 1), ("une", 1), ("două", 2),
    ("одна", 1), ("одно", 1), ("две", 2), ("дві", 2), ("одна", 1), ("اثنين", 2), ("两", 2),
    ("पाँच", 5), ("alone", 1), ("sozinho", 1), ("sozinha", 1), ("solo", 1), ("sola", 1),
    ("seul", 1), ("seule", 1), ("singur", 1), ("singură", 1), ("сам", 1), ("сама", 1),
    ("один", 1), ("только я", 1), ("just me", 1), ("only me", 1), ("só eu", 1),
):
    NUMBER_WORDS.setdefault(normalize(_extra), _n)

# Free-text keywords for choice options, by option value (English labels match anyway).
OPTION_WORDS: dict[str, frozenset[str]] = {
    "expired_passport": _norm(
        "expired|expired passport|old passport|vencido|caducado|expirado|passaporte vencido"
        "|pasaporte vencido|périmé|expiré|expirat|изтекъл|прострочений|просроченный|منتهي"
        "|ख़त्म|खत्म|expire|मियाद सकिएको|মেয়াদ শেষ|ختم|过期"
    ),
    "valid_passport": _norm(
        "passport|valid|passaporte|passaporte válido|pasaporte|passeport|pașaport|pasaport"
        "|паспорт|закордонний паспорт|загранпаспорт|جواز|جواز سفر|पासपोर्ट|ਪਾਸਪੋਰਟ|রাহদানি"
        "|পাসপোর্ট|پاسپورٹ|护照|有护照"
    ),
    "this_chat": _norm(
        "chat|here|this chat|message|messages|text|aqui|mensagem|mensagens|conversa|aquí"
        "|mensaje|ici|message écrit|aici|mesaj|тук|тут|здесь|сообщение|повідомлення|هنا|رسالة"
        "|यहाँ|संदेश|ਇੱਥੇ|यहीं|এখানে|یہاں|这里|消息"
    ),
    "phone_call": _norm(
        "call|phone|phone call|telefone|ligação|chamada|ligar|llamada|teléfono|appel|téléphone"
        "|apel|telefon|обаждане|дзвінок|звонок|телефон|اتصال|مكالمة|फ़ोन|फोन|कॉल|ਫ਼ੋਨ|ফোন"
        "|فون|电话"
    ),
    "in_person": _norm(
        "in person|person|office|meeting|pessoalmente|presencial|em pessoa|en persona|en personne"
        "|personal|лично|особисто|شخصيا|व्यक्तिगत रूप से|मिलकर|ਮਿਲ ਕੇ|সরাসরি|ملاقات|当面"
    ),
    "pregnant": _norm("pregnant|grávida|gravida|embarazada|enceinte|însărcinată|бременна|вагітна|беременна|حامل|गर्भवती|ਗਰਭਵਤੀ|গর্ভবতী|حاملہ|怀孕"),
    "medical": _norm("ill|sick|illness|medical|health|doente|doença|saúde|enfermo|enferma|malade|bolnav|болен|хворий|больной|مريض|बीमार|ਬਿਮਾਰ|बिरामी|অসুস্থ|بیمار|生病"),
    "disability": _norm("disability|disabled|deficiência|deficiente|discapacidad|handicap|dizabilitate|инвалид|інвалідність|инвалидность|إعاقة|विकलांग|ਅਪਾਹਜ|অক্ষম|معذور|残疾"),
    "elderly": _norm("elderly|old|idoso|idosa|anciano|âgé|vârstnic|възрастен|літній|пожилой|مسن|बुज़ुर्ग|बुजुर्ग|ਬਜ਼ੁਰਗ|बृद्ध|বয়স্ক|بزرگ|老人"),
    "homeless": _norm("homeless|street|sem casa|sem abrigo|na rua|sin hogar|sans abri|fără adăpost|бездомен|бездомний|бездомный|بلا مأوى|बेघर|ਬੇਘਰ|घरबारविहीन|গৃহহীন|بے گھر|无家可归"),
    "domestic_violence": _norm("domestic violence|violence at home|violência doméstica|violencia doméstica|violence conjugale|violență domestică|домашно насилие|домашнє насильство|домашнее насилие|عنف أسري|घरेलू हिंसा|ਘਰੇਲੂ ਹਿੰਸਾ|ঘরোয়া সহিংসতা|گھریلو تشدد|家暴"),
}
