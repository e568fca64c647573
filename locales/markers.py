"""Hand-made evidence for the cases a statistical detector gets wrong or cannot see.

lingua has no Nepali and no romanised South Asian languages, and any detector needs far more
text than "oi vc" to tell Brazilian from European Portuguese. These lists are small on
purpose: each entry should be frequent in the language it votes for and rare elsewhere.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- scripts ------------------------------------------------------------------------------
# (first, last, script); checked in order, so keep the common blocks first.
SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latn"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x4E00, 0x9FFF, "Hani"),
    (0x3400, 0x4DBF, "Hani"),
    (0x3040, 0x30FF, "Kana"),
    (0xAC00, 0xD7AF, "Hang"),
)
# A script only one supported language uses: one word is enough.
UNIQUE_SCRIPT = {"Guru": "pa", "Beng": "bn", "Hani": "zh_Hans"}
# The script each supported language is written in natively (any of them may be romanised).
NATIVE_SCRIPT = {
    "pt": "Latn", "pt_BR": "Latn", "en": "Latn", "es": "Latn", "fr": "Latn", "ro": "Latn",
    "uk": "Cyrl", "ru": "Cyrl", "bg": "Cyrl", "ar": "Arab", "ur": "Arab", "hi": "Deva",
    "ne": "Deva", "pa": "Guru", "bn": "Beng", "zh_Hans": "Hani",
}  # fmt: skip

# --- Cyrillic -----------------------------------------------------------------------------
UK_LETTERS = frozenset("іїєґІЇЄҐ")
RU_LETTERS = frozenset("ыэёЫЭЁ")
BG_WORDS = _words(
    "съм си са сме сте ще нямам имам искам къде какво кой защо вкъщи благодаря здравейте "
    "моля помощ пари трябва мога може аз ли тук сега днес утре нужда дома"
)
RU_WORDS = _words(
    "мне меня нужна нужно нет хочу домой помощь деньги вернуться пожалуйста спасибо "
    "здравствуйте где что как это кто"
)

# --- Arabic script ------------------------------------------------------------------------
UR_STRONG = frozenset("ٹڈڑںےھۓ")  # letters Arabic does not have
UR_WEAK = frozenset("کگپچی")  # Persian/Urdu forms; Arabic writes ك ي and lacks پ چ گ
AR_LETTERS = frozenset("ةيكى")

# --- Devanagari: Nepali vs Hindi ----------------------------------------------------------
NE_WORDS = _words(
    "छ छु छन् छौं छैन छैनन् हुनुहुन्छ मलाई मेरो हाम्रो तपाईं तपाई तपाईंले तपाईंलाई "
    "चाहन्छु चाहिन्छ गर्न गर्नु गर्छ गर्छु सक्छु सक्नुहुन्छ भयो थियो पनि हो होइन म "
    "हजुर कसरी कहाँ कति नेपाल फर्कन फर्किन मसँग त्यो यो अनि र हरायो"
)
NE_SUFFIXES = ("न्छ", "न्छु", "न्छन्", "छौं", "लाई", "हरू", "सँग", "नुहोस्", "्छ", "्छु", "्छन्",
               "बाट", "हुँदै", "दैन", "ँदैन")
HI_WORDS = _words(
    "है हैं हूँ हूं मैं मुझे मुझको मेरा मेरी मेरे नहीं क्या में और भी था थी चाहता चाहती "
    "चाहिए करना करनी जाना आप कैसे हम हमें यहाँ लिए रहा रही सकता सकती सकते बहुत "
    "का की के से पर गया गई भारत"
)

# --- romanised South Asian text -----------------------------------------------------------
# Hindi and Urdu are one spoken language (Hindustani): shared words vote for both.
HINDUSTANI = _words(
    "mujhe mujhko mera meri mere hai hain nahi nahin nhi kya karna karni karu karun "
    "chahta chahti chahiye jana jaana jane wapas vapas madad paisa paise kaise kaha kahan "
    "bhai hum humein aap apna apni kuch koi tha thi raha rahi sakta sakte gaya gayi "
    "liye hoon hu hun bahut zaroorat ghar malik rakh liya diya kar karo kare karein karke "
    "sab abhi yahan yaha wahan kyun kyon kaun samajh batao milega"
)
# Pakistani and Indian writers romanise the same words differently ("mujy", "wapis", "hy" vs
# "mujhe", "wapas", "hai"), and greet and thank differently.
URDU = _words(
    "assalam salam alaikum alaikam aslam aoa asalam salaam shukriya shukria janab inshallah "
    "mashallah mehrbani meharbani meherbani khuda allah mulk bhaijan mujy mujay mjy hy hain? "
    "wapis tankhwah tankha tankhah zaroorat bohat bohot kia kr krna kro krein ap apko apka "
    "apki hamay humay pakistan pakistani lahore karachi islamabad sialkot gujranwala "
    "faisalabad rawalpindi peshawar multan hafiz urdu maloomat malumat malumaat tareeqa tariqa "
    "tareeqah idara idaara kaghzat kaghazat jee slam kesy kesay"
)
HINDI = _words(
    "namaste namaskar dhanyavad dhanyawad kripya sahayata bhagwan jankari jaankari bharat "
    "hindustan delhi dilli mumbai haryana bihar rajasthan gujarat uttar pradesh "
    "rupaye ram hindi"
)
PUNJABI = _words(
    "tusi tussi menu mainu mainoo sanu saanu tuhanu tuhadi tuhada chahida chahidi "
    "chahunda chahundi kiven kive kidda kiddan hega hege haan gal pind veer paaji paji "
    "sat sri akal dasso daso vich leya karan sadi sada sadda wapis kithe tenu reha rehnda "
    "karda kardi jaanda aaunda geya keha ch vich nal naal kol hor kuj asi ethe othe kithon "
    "sakya sakda sakdi paina pauna kita kitta ditta litta milya janda jandi aunda aundi "
    "chaunda chaundi ssa kinne kiwe dasso tuhade sade lai dau dinde dindi lainde karde jaande"
)
# Short Punjabi particles other languages also write ("da", "nu", "ton"): weight for Punjabi
# only once the text is known to be romanised South Asian.
PUNJABI_WEAK = _words("da di de nu nun ton to ni si aa ae ne bai")
NEPALI = _words(
    "malai mero hamro chha cha chhu chu chan chhan chhaina chaina chahanchu chahanchhu "
    "chahinchha chahincha chahiyo garna garnu garne garchu hunuhuncha hunuhunchha huncha "
    "hajur tapai tapain tapaai kasari kati aba bhayo thiyo pani farkina farkana farkan "
    "harayo maddat sahayog didi liyo hola dherai gahro sahu sathi kina kasto timi hami "
    "phasiye gardai gareko vayo bhaneko kura lagi kaha kahaa bharne milcha milchha sunen "
    "sakincha sakinchha paunu haru nepali sachai sachchai parcha parchha hunchha bhane barema "
    "bujhna bujhnu chahanthe chahanthyo chahnchu paincha painchha garthe garthyo sakiyo dai"
)
BENGALI = _words(
    "ami amar amake amra amader apni apnar apnake tumi tomar tomake kemon achen acho "
    "ache achi nai nei jabo jete jaite chai chachhi korbo korte kori korchi kora korben hobe "
    "hoise hoyeche pari parbo parchi bolen bolo bolte jani janina desh deshe deshe bari barite "
    "taka poisa dhonnobad dhonyobad kothay ekhon ekhane shahajjo sahajjo dorkar lagbe dise "
    "dilo niye nite thaki thakte fire ferot kaj kajer malik jodi keno bhalo kharap kivabe "
    "kibhabe kemne pawa paoa jabe lage sotti naki shunlam shunechi eta ota der jonno jonne "
    "bangla bangladeshi kotha bola diben diyen asole asolei kortam jaitam zaitam desho"
)
# Place names say which language once we know the text is romanised South Asian, but an
# English "I am from Nepal" must not make it so.
PLACES = {"nepal": "ne", "india": "hi", "bharat": "hi", "pakistan": "ur", "punjab": "pa",
          "bangladesh": "bn", "dhaka": "bn", "sylhet": "bn"}
# Short tokens that mean something in Romance languages or English too ("me", "de", "to"):
# they only add weight once a distinctive word above has been seen.
ROMAN_WEAK = _words("ki ke ka ko se me main mai ji aa ne na da di k ab log pata")

# --- Arabic in Latin letters (Arabizi) ---------------------------------------------------------
# Digits stand for letters Latin lacks (3 ع, 7 ح, 2 ء, 5 خ, 9 ق): "3ayez", "7abibi", "ma3a".
ARABIZI_DIGITS = frozenset("235679")
ARABIZI = _words(
    "ana enta inta anta enti inti ahlan salam slm salamou alaykoum alikom yalla wallah walah "
    "inshallah mashallah habibi khalas mesh mish mosh msh fi fe 3ala 3and 3ndi 3andi bas keda "
    "kida ezay izay izzay leh mafi ma3 bghit bghina wach wash kifach kifash bach dyal dial rani "
    "raho nta baddi badi bidi 3ayez 3ayza 3awz momken mumkin shukran shokran choukran 3afak "
    "yimkin akhi khouya khoya bled bladi flous flouss drahem 7aja chi wa7ed nrja3 arja3 erja3 "
    "rje3 narja3 masr souria sourya lobnan dzayer maghrib tounes el al men min mn bdi beddi "
    "shu chou shou kif kifak kifik la2 aywa aiwa eh ah tayeb tamam mashi machi wakha"
)
# --- Cyrillic languages in Latin letters ------------------------------------------------------
# Only words no other supported language writes ("da", "ne", "ya" are everyone's).
RU_LATIN = _words(
    "privet zdravstvuyte zdravstvujte zdrastvuite pozhaluysta pozhalujsta pozhaluista spasibo "
    "pomogite hochu khochu domoy domoj menya nuzhna nuzhno pomosch pomoshch pomosh "
    "vernutsya vernutsa uehat uekhat deneg rabota rabotu mozhno vopros chto kogda skolko "
    "dobryy dobriy vecher znayu rossiyu rossii moskva mne"
)
UK_LATIN = _words(
    "pryvit vitayu dyakuyu dyakuju budlaska dopomozhit dopomoga dopomoha meni potribna "
    "potribno povernutysya povernutys dodomu zaraz shcho koly dobryi dobroho ukrainu ukraini "
    "hroshei hroshey"
)
BG_LATIN = _words(
    "zdravei zdraveite zdrasti blagodarya molya pomosht pomogni iskam varna vkashti nyamam "
    "nqmam kakvo kade mnogo shte 6te bulgaria balgariya"
)

# --- Portuguese: Brazil vs Portugal -------------------------------------------------------
BR_WORDS = _words(
    "você voce vc vcs cê oi oii tô to tá ta pra pro pros pras celular ônibus onibus trem moço "
    "moça cara legal né beleza blz grana reais brasil gostaria morando precisando querendo "
    "tentando trabalhando fazendo ficando esperando contato equipe registro vencido vencida "
    "gente galera nossa kkk kkkk rs tipo trampo aí ai cadê cade uai ué tchau valeu obg "
    "brasileiro brasileira ônibus fila"
)
PT_WORDS = _words(
    "telemóvel telemovel autocarro comboio tu podes queres tens estás rapariga miúdos "
    "fixe bué cá connosco percebo apanhar equipa contacto facto receção gostava ajudar-me "
    "dizer-me diga-me angola cabo guiné moçambique tomé caducado caducada regressar registo "
    "propina pá tou ta-se obrigadinho"
)
# "ajudem-me", "deu-me", "chamo-me": a pronoun after the verb is European Portuguese.
PT_ENCLISIS = ("me", "te", "se", "lhe", "lhes", "nos", "vos", "mo", "ma", "to", "ta", "lo", "la")
PT_PHRASES = ("estou a ", "está a ", "estamos a ", "tou a ", "olá bom dia", "a minha ", "o meu ")
POSSESSIVES = frozenset({"meu", "minha", "meus", "minhas"})  # without article: Brazilian
ARTICLES = frozenset({"o", "a", "os", "as", "do", "da", "dos", "das", "no", "na", "nos", "nas"})
BR_PHRASES = ("a gente", "tudo bem", "tudo bom", "quero voltar pro", "voltar pra", "ir embora",
              " em uma ", " em um ", "tem como", " faz 3 ", " faz um ", "venceu")
