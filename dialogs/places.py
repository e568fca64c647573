"""Places people name: countries (names, demonyms, "from X" forms, in every supported
locale) and the districts and autonomous regions of Portugal.

Country names come from Babel's CLDR data for the 16 supported locales; demonyms, informal
names and transliterations are data in each locale's words.toml ([countries], [places]). The
index is built once, so a turn is a few dictionary look-ups and, only when they find nothing,
one fuzzy match with rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from dialogs.lexicon import PhraseIndex
from dialogs.words import everywhere
from locales.negotiate import SUPPORTED
from locales.text import normalize, tokens

__all__ = ["DISTRICTS", "EU", "parse_country", "parse_district"]

# EU member states: their nationals are never ARVoRe applicants (DOMAIN.md §1.2).
EU = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])

# CLDR lists regions and pseudo-territories next to countries; none of these is a nationality.
_NOT_COUNTRIES = frozenset(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "DG", "EA", "IC", "TA", "AQ"])
FUZZY_CUTOFF = 0.8  # Damerau-Levenshtein similarity: "barzil", "ukriane" are one typo away

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


class _Places:
    """Names (whole phrases) to codes, found in a message longest first."""

    def __init__(self, names: list[tuple[str, str, int]]) -> None:
        self.index = PhraseIndex((n, code, rank) for n, code, rank in names if tokens(normalize(n)))
        self.fuzzy: dict[str, str] = {}
        for name, code, _ in sorted(names, key=lambda item: -item[2]):
            key = normalize(name)
            if len(key) >= 4 and "*" not in name and "|" not in name:
                self.fuzzy.setdefault(key, code)
        self.keys = list(self.fuzzy)

    def find(self, units: Sequence[str], suffixes: Sequence[str]) -> str | None:
        found = self.index.scan(units)
        if found:
            return str(found[0].label)
        stripped = [_strip(u, suffixes) for u in units]
        if stripped != list(units):
            found = self.index.scan(stripped)
            if found:
                return str(found[0].label)
        return None

    def guess(self, units: Sequence[str]) -> str | None:
        """One typo: the whole answer, or one of its longer words."""
        text = " ".join(units)
        for candidate in dict.fromkeys([text, *(u for u in units if len(u) >= 4)]):
            if len(candidate) < 4:
                continue
            found = process.extractOne(candidate, self.keys, score_cutoff=FUZZY_CUTOFF,
                                       scorer=DamerauLevenshtein.normalized_similarity)
            if found is not None:
                return self.fuzzy[found[0]]
        return None


def _strip(unit: str, suffixes: Sequence[str]) -> str:
    """"नेपालबाट" -> "नेपाल": the longest attached ending, keeping at least two letters."""
    for suffix in sorted(suffixes, key=len, reverse=True):
        if unit.endswith(suffix) and len(unit) - len(suffix) >= 2:
            return unit[: -len(suffix)]
    return unit


@lru_cache(maxsize=1)
def _countries() -> _Places:
    names: list[tuple[str, str, int]] = []
    every = everywhere()
    for loc in dict.fromkeys(("pt", "en", *SUPPORTED)):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
                continue
            names.append((name, code, 1))
            folded = normalize(name)
            if folded.startswith("ال"):  # Arabic article: people often write the bare name
                names.append((folded[2:], code, 1))
    names += [(entry, str(code), 2) for entry, code in every.country_entries]
    return _Places(names)


@lru_cache(maxsize=1)
def _districts() -> _Places:
    names = [(name, code, 1) for code, spelled in DISTRICTS.items() for name in spelled.split("|")]
    names += [(entry, str(code), 2) for entry, code in everywhere().place_entries]
    return _Places(names)


def parse_country(text: str, guess: bool = True) -> str | None:
    """ISO alpha-2 code of the country a person names ("Brasil", "brasileiro", "from Nepal",
    "नेपालबाट", "afegão"); with ``guess``, one typo is forgiven and endings are taken off
    (without it, "pakka", sure, is not "pak" with an ending)."""
    return _parse(_countries(), text, guess)


def _parse(places: _Places, text: str, guess: bool) -> str | None:
    units = tokens(normalize(text))
    if not units:
        return None
    if not guess:
        return places.find(units, ())
    return places.find(units, everywhere().suffixes) or places.guess(units)


def parse_district(text: str, guess: bool = True) -> str | None:
    """ISO 3166-2:PT code of the district a person names ("Lisboa", "evora", "Funchal")."""
    return _parse(_districts(), text, guess)
