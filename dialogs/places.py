"""Places people name: countries (names and demonyms in every supported locale) and the
districts and autonomous regions of Portugal.

The indexes are built once at import, from Babel's CLDR territory names for the 16 supported
locales plus a hand-kept list of demonyms ("brasileiro", "indian", "українець"), so a turn is a
dictionary look-up and, only when that fails, one fuzzy match with rapidfuzz.
"""

from __future__ import annotations

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from dialogs._normal import has_cjk, normalize

__all__ = ["DISTRICTS", "EU", "LOCALES", "parse_country", "parse_district"]

LOCALES = ("pt", "pt_BR", "en", "es", "fr", "ro", "bg", "uk", "ru", "ar", "hi", "pa", "ne", "bn",
           "ur", "zh_Hans")

# EU member states: their nationals are never ARVoRe applicants (DOMAIN.md §1.2).
EU = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])

# CLDR lists regions and pseudo-territories next to countries; none of these is a nationality.
_NOT_COUNTRIES = frozenset(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "DG", "EA", "IC", "TA", "AQ"])

# Demonyms and common informal names (Babel has no demonyms). Lower-case, any script.
_DEMONYMS: dict[str, str] = {
    "BR": "brasileiro|brasileira|brazilian|brasileño|brasileña|brésilien|brésilienne|brazilian"
          "|бразилец|бразилка|бразилець|brazuca|brasilien|brazil",
    "IN": "indiano|indiana|indian|hindu|hindustani|indien|indienne|indio|индиец|індієць|هندي"
          "|भारतीय|ਭਾਰਤੀ|ਇੰਡੀਆ|इंडिया|ভারতীয়|ہندوستانی|印度人|hindustan|bharat",
    "AO": "angolano|angolana|angolan|angolais|ангольский",
    "CV": "cabo-verdiano|cabo verdiano|caboverdiano|cabo-verdiana|cape verdean|capverdien|cabo verde",
    "GW": "guineense|bissau-guinean|guinea-bissau|guiné bissau|guine bissau",
    "ST": "são-tomense|santomense|sao tome",
    "TL": "timorense|timorese|timor",
    "UA": "ucraniano|ucraniana|ukrainian|ukrainien|ucrainean|украинец|украинка|українець|українка"
          "|украинский|ukraina|ukrajina",
    "NP": "nepalês|nepalesa|nepalese|nepali|népalais|नेपाली|nepalí",
    "BD": "bangladeshi|bangladês|bengali|bengalês|bangladais|বাংলাদেশি|বাংলাদেশী|bangladesh|বাঙালি",
    "PK": "paquistanês|paquistanesa|pakistani|pakistanais|پاکستانی|पाकिस्तानी|ਪਾਕਿਸਤਾਨੀ",
    "CN": "chinês|chinesa|chinese|chinois|chino|китаец|китаянка|中国人|华人",
    "MD": "moldavo|moldava|moldovan|moldovean|молдаванин|молдованин|moldova",
    "RO": "romeno|romena|romanian|roumain|român|româncă|rumano|румынский",
    "BG": "búlgaro|búlgara|bulgarian|bulgare|българин|българка",
    "RU": "russo|russa|russian|russe|русский|русская|росіянин",
    "CO": "colombiano|colombiana|colombian",
    "VE": "venezuelano|venezuelana|venezolano|venezuelan",
    "MA": "marroquino|marroquina|moroccan|marocain|مغربي",
    "SN": "senegalês|senegalesa|senegalese|sénégalais",
    "GB": "britânico|britânica|british|english|inglês|uk",
    "US": "americano|americana|american|usa|eua",
    "FR": "francês|francesa|french|français|française",
    "ES": "espanhol|espanhola|spanish|español|española",
    "IT": "italiano|italiana|italian|italien",
    "DE": "alemão|alemã|german|allemand|alemán",
    "NG": "nigeriano|nigeriana|nigerian",
    "GE": "georgiano|georgian|грузин",
    "PT": "português|portuguesa|portuguese|portugais",
}

_EXACT: dict[str, str] = {}
_CJK: list[tuple[str, str]] = []
for _code, _words in _DEMONYMS.items():
    for _w in _words.split("|"):
        _EXACT.setdefault(normalize(_w), _code)
for _loc in ("pt", "en", *LOCALES):
    for _code, _name in Locale.parse(_loc).territories.items():
        if len(_code) != 2 or not _code.isalpha() or _code in _NOT_COUNTRIES:
            continue
        _n = normalize(_name)
        _EXACT.setdefault(_n, _code)
        if _n.startswith("ال"):  # Arabic article: people often write the bare name
            _EXACT.setdefault(_n[2:], _code)
        if has_cjk(_n):
            _CJK.append((_n, _code))
_CJK.sort(key=lambda item: -len(item[0]))  # longest first: 巴布亚新几内亚 before 几内亚
_FUZZY_KEYS = [k for k in _EXACT if len(k) >= 4]

# Districts (ISO 3166-2:PT codes) and the towns people are likely to name instead.
DISTRICTS: dict[str, str] = {
    "PT-01": "Aveiro|Ovar|Águeda|Santa Maria da Feira|Feira|Espinho|Ílhavo|Oliveira de Azeméis",
    "PT-02": "Beja|Odemira|Moura|Serpa|São Teotónio|Vila Nova de Milfontes",
    "PT-03": "Braga|Guimarães|Barcelos|Famalicão|Vila Nova de Famalicão|Esposende",
    "PT-04": "Bragança|Mirandela|Macedo de Cavaleiros",
    "PT-05": "Castelo Branco|Covilhã|Fundão",
    "PT-06": "Coimbra|Figueira da Foz|Cantanhede",
    "PT-07": "Évora|Reguengos de Monsaraz|Montemor-o-Novo|Vendas Novas",
    "PT-08": "Faro|Фаро|Алгарве|法鲁|Algarve|Albufeira|Portimão|Loulé|Lagos|Olhão|Tavira|Quarteira|Vilamoura"
             "|Silves|Lagoa|Vila Real de Santo António",
    "PT-09": "Guarda|Seia|Gouveia",
    "PT-10": "Leiria|Caldas da Rainha|Pombal|Marinha Grande|Peniche|Alcobaça|Nazaré",
    "PT-11": "Lisboa|Lisbon|Lisbonne|Lissabon|Лиссабон|Лісабон|Amadora|Sintra|Cascais|Oeiras"
             "|Loures|Odivelas|Vila Franca de Xira|Mafra|Torres Vedras|Alverca|Queluz|Lisabona|Lizbon"
             "|Лисабон|لشبونة|لشبونه|लिस्बन|ਲਿਸਬਨ|লিসবন|لزبن|لسبن|里斯本",
    "PT-12": "Portalegre|Elvas|Ponte de Sor",
    "PT-13": "Porto|Oporto|Vila Nova de Gaia|Gaia|Matosinhos|Maia|Gondomar|Valongo"
             "|Póvoa de Varzim|Vila do Conde|Paredes|Penafiel|Amarante|Порто|Порту|بورتو|पोर्टो"
             "|ਪੋਰਟੋ|পোর্তো|波尔图",
    "PT-14": "Santarém|Tomar|Torres Novas|Entroncamento|Almeirim|Cartaxo|Abrantes|Rio Maior",
    "PT-15": "Setúbal|Almada|Seixal|Barreiro|Montijo|Palmela|Sesimbra|Moita|Sines|Alcácer do Sal"
             "|Grândola",
    "PT-16": "Viana do Castelo|Viana|Ponte de Lima|Caminha|Valença|Monção",
    "PT-17": "Vila Real|Chaves|Peso da Régua",
    "PT-18": "Viseu|Lamego|Tondela",
    "PT-20": "Açores|Azores|Açores region|Ponta Delgada|Angra do Heroísmo|Horta|São Miguel"
             "|Terceira|Faial|Pico",
    "PT-30": "Madeira|Funchal|Porto Santo|Câmara de Lobos|Machico|Santa Cruz",
}
_DISTRICT_INDEX: dict[str, str] = {}
for _code, _names in DISTRICTS.items():
    for _w in _names.split("|"):
        _DISTRICT_INDEX.setdefault(normalize(_w), _code)
_DISTRICT_KEYS = list(_DISTRICT_INDEX)
_DISTRICT_CJK = [(k, v) for k, v in _DISTRICT_INDEX.items() if has_cjk(k)]


def _ngrams(words: list[str]) -> list[str]:
    """Word runs of the answer, longest first, so "são tomé e príncipe" wins over "são"."""
    runs = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    return sorted(runs, key=lambda r: -len(r.split()))


def _lookup(text: str, index: dict[str, str], keys: list[str], cutoff: float) -> str | None:
    norm = normalize(text)
    if not norm:
        return None
    if norm in index:
        return index[norm]
    words = norm.split()
    if len(words) <= 8:
        for run in _ngrams(words):
            if run in index and (len(run) >= 3 or has_cjk(run)):
                return index[run]
    candidates = [norm, *(w for w in words if len(w) >= 4)] if len(words) <= 8 else [norm]
    for candidate in candidates:
        # Damerau-Levenshtein: a swapped pair of letters ("barzil") counts as one typo.
        found = process.extractOne(candidate, keys, scorer=DamerauLevenshtein.normalized_similarity,
                                   score_cutoff=cutoff)
        if found is not None:
            return index[found[0]]
    return None


def parse_country(text: str) -> str | None:
    """ISO alpha-2 code of the country a person names ("Brasil", "brasileiro", "ukraina")."""
    norm = normalize(text)
    if has_cjk(norm):
        for name, code in _CJK:
            if name in norm:
                return code
    return _lookup(text, _EXACT, _FUZZY_KEYS, 0.8)


def parse_district(text: str) -> str | None:
    """ISO 3166-2:PT code of the district a person names ("Lisboa", "evora", "Funchal")."""
    norm = normalize(text)
    if has_cjk(norm):  # Chinese is written without spaces: look for the name inside
        for name, code in _DISTRICT_CJK:
            if name in norm:
                return code
    return _lookup(text, _DISTRICT_INDEX, _DISTRICT_KEYS, 0.8)
