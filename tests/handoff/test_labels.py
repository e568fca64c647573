"""Every reason the rules can give has a label on the case card, in English and Portuguese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff.i18n import _CODES, code_label

RULES = Path(__file__).resolve().parents[2] / "dialogs" / "rules.py"
REASONS = sorted(set(re.findall(r'reasons\.append\("(\w+)"', RULES.read_text()))
              | set(re.findall(r'"(return_\w+_advised|return_not_advised)"', RULES.read_text())))


def test_the_rules_reasons_are_found():
    assert {"return_not_advised", "previous_assistance", "eu_family_member"} <= set(REASONS)


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_every_reason_has_a_label(reason, lang):
    assert reason in _CODES, f"{reason} has no label on the case card"
    assert code_label(reason, lang) == _CODES[reason][lang == "pt"]
