"""Eligibility rules: the intake record in, one outcome out (DESIGN.md §3, DOMAIN.md §1-4).

The outcome is ``{programme, eligibility, priority, reasons, rules_version}``. The rules are
ordered by safety: out of scope first, then trafficking, then fear of return (asylum information
before any return talk, DOMAIN.md §4), then the wish to return, then ARVoRe's exclusions
(DOMAIN.md §1.2). Fear answered "I don't know" is never taken for a no, and a child alone is
never simply likely eligible: both go to a person. A destination on the return-safety list
(return not advised) goes to a person at high priority, with asylum advice. Earlier help from
IOM and family ties to an EU citizen are looked at by a person: only someone who already went
home with ARVoRe is excluded outright.

The rules version is RULES_BASE (bump it whenever a decision can change) joined to the
return-safety list's own version, so that stored outcomes can be told apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.places import EU
from dialogs.return_safety import RETURN_SAFETY, ReturnSafety

__all__ = ["PRIORITIES", "PROGRAMMES", "RETURN_RISK", "RULES_VERSION", "decide", "is_eu_national"]

RULES_BASE = "2026.12.2"
RULES_VERSION = f"{RULES_BASE}+{RETURN_SAFETY.version}"
# Reasons that say the destination is on the return-safety list (all of it, or a region of it).
RETURN_RISK = ("return_not_advised", "return_region_not_advised")

PROGRAMMES = ("arvore", "eu_trafficking_fund", "trafficking_support", "asylum_info", "referral",
              "out_of_scope")
ELIGIBILITY = ("likely_eligible", "not_eligible", "needs_review")
PRIORITIES = ("urgent", "high", "normal", "low")


def is_eu_national(record: Mapping[str, Any]) -> bool:
    """Whether the nationality given is that of an EU member state."""
    return record.get("nationality") in EU


def _priority(record: Mapping[str, Any], programme: str, reasons: list[str]) -> str:
    if record.get("in_danger_now") is True:
        reasons.append("in_danger")
    if record.get("is_minor_alone") is True:
        reasons.append("minor_alone")
    if record.get("trafficking_indicators"):
        reasons.append("trafficking_indicators")
    if record.get("vulnerabilities"):
        reasons.append("vulnerable")
    if (record.get("minors_count") or 0) > 0:
        reasons.append("minors_in_household")
    if record.get("in_danger_now") is True or record.get("is_minor_alone") is True:
        return "urgent"
    if record.get("trafficking_indicators") or record.get("vulnerabilities"):
        return "high"
    if programme == "asylum_info" or any(r in reasons for r in RETURN_RISK):
        return "high"
    if programme == "out_of_scope":
        return "low"
    return "normal"


def _arvore(record: Mapping[str, Any], reasons: list[str]) -> tuple[str, str]:
    """A third-country national in Portugal who wants to return: ARVoRe unless excluded.

    Only someone who says they already went home with ARVoRe is excluded outright. Other
    earlier help from IOM, or family ties to an EU citizen (a parent of a Portuguese child),
    may or may not exclude: a caseworker looks, with the reason on the case card."""
    if _already_returned(record):
        reasons.append("previous_beneficiary")
        return "referral", "not_eligible"
    reasons.append("third_country_national")
    reasons.append("wants_to_return")
    review = False
    if record.get("eu_family_member") is True:
        reasons.append("eu_family_member")
        review = True
    if record.get("previous_return_assistance") is True:
        reasons.append("previous_assistance")
        review = True
    if record.get("is_minor_alone") is True:
        review = True  # a child alone is never simply "likely eligible": a person decides
    if record.get("nationality") is None:
        reasons.append("nationality_unknown")
        review = True
    if record.get("eu_family_member") is None:
        reasons.append("eu_family_unknown")
        review = True
    if record.get("previous_return_assistance") is None:
        reasons.append("previous_assistance_unknown")
        review = True
    impediment = record.get("legal_impediment")
    if impediment == "yes":
        reasons.append("legal_impediment")
        review = True
    elif impediment != "no":
        reasons.append("legal_impediment_unknown")
        review = True
    return "arvore", "needs_review" if review else "likely_eligible"


def _already_returned(record: Mapping[str, Any]) -> bool:
    return (record.get("previous_return_assistance") is True
            and record.get("returned_with_arvore") is True)


def _return_risk(record: Mapping[str, Any], safety: ReturnSafety, reasons: list[str]) -> bool:
    """Whether the place they would go back to is on the return-safety list."""
    entry = safety.advice(record.get("destination_country") or record.get("nationality"))
    if entry is not None:
        reasons.append("return_region_not_advised" if entry.region else "return_not_advised")
    return entry is not None


def decide(record: Mapping[str, Any], safety: ReturnSafety = RETURN_SAFETY) -> dict[str, Any]:
    """The one outcome for an intake record (complete or not), against a return-safety list."""
    reasons: list[str] = []
    eu = is_eu_national(record)
    wants = record.get("wants_to_return")
    fears = record.get("fears_return") is True
    if record.get("in_portugal") is False:
        reasons.append("not_in_portugal")
        programme, eligibility = "out_of_scope", "not_eligible"
    elif record.get("trafficking_indicators"):
        if eu and wants != "no" and not fears:
            # The APF/CIG emergency fund pays EU victims' return (DOMAIN.md §2); rules unknown.
            programme, eligibility = "eu_trafficking_fund", "needs_review"
            reasons.append("eu_national")
        else:
            programme, eligibility = "trafficking_support", "needs_review"
            if fears:
                reasons.append("fears_return")
            elif not eu and wants == "yes" and not _already_returned(record):
                reasons.append("arvore_possible")  # IOM assists third-country victims via ARVoRe
    elif fears:
        reasons.append("fears_return")
        programme, eligibility = "asylum_info", "needs_review"
    elif wants != "yes":
        reasons.append("does_not_want_return" if wants == "no" else "undecided")
        programme, eligibility = "referral", "needs_review" if wants != "no" else "not_eligible"
    elif eu:
        reasons.append("eu_national")
        programme, eligibility = "referral", "not_eligible"
    else:
        programme, eligibility = _arvore(record, reasons)
    if "fears_return" in record and record.get("fears_return") is None \
            and programme != "out_of_scope":
        # Asked, and "I don't know" or "rather not say": not a no. A person looks at it.
        reasons.append("fears_return_unknown")
        eligibility = "needs_review"
    if programme != "out_of_scope" and _return_risk(record, safety, reasons):
        eligibility = "needs_review"  # never "likely eligible", never closed without a person
    priority = _priority(record, programme, reasons)
    return {
        "programme": programme,
        "eligibility": eligibility,
        "priority": priority,
        "reasons": list(dict.fromkeys(reasons)),
        "rules_version": f"{RULES_BASE}+{safety.version}",
    }
