"""World regions for grouping small nationality and destination counts (UN M49 sub-regions,
with Latin America and the Caribbean, Western Europe and Northern Europe joined: few people
come from each alone). A country in none of them is grouped as ``region:other``."""

from __future__ import annotations

__all__ = ["REGIONS", "region_of"]

REGIONS: dict[str, str] = {
    "northern_africa": "DZ EG LY MA SD TN EH",
    "western_africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "middle_africa": "AO CM CF TD CG CD GQ GA ST",
    "eastern_africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW IO TF",
    "southern_africa": "BW SZ LS NA ZA",
    "latin_america": "AI AG AR AW BS BB BZ BO BQ BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP "
                     "GT GY HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC UY VE "
                     "VI GS BV",
    "northern_america": "BM CA GL US",
    "central_asia": "KZ KG TJ TM UZ",
    "eastern_asia": "CN HK MO KP JP MN KR TW",
    "south_eastern_asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "southern_asia": "AF BD BT IN IR MV NP PK LK",
    "western_asia": "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    "eastern_europe": "BY BG CZ HU PL MD RO RU SK UA",
    "northern_western_europe": "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AT BE FR DE LI "
                               "LU MC NL CH",
    "southern_europe": "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK",
    "oceania": "AU NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW AS CK PF NU PN WS TK TO TV WF UM CX CC HM",
}
_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}


def region_of(country: str) -> str:
    """The region category a country is grouped into when its own count is small."""
    return "region:" + _OF.get(country, "other")
