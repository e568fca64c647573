"""`intake locales check` and `intake flows check` pass on main and fail on a broken catalog."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bot.catalogs import ROOT, check, extract


def _intake(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_the_catalogs_on_main_are_complete_in_step_and_sms_sized():
    assert check() == []


def test_the_commands_pass_on_main():
    done = _intake("locales", "check")
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.strip().endswith("locales: ok")
    flows = _intake("flows", "check")
    assert flows.returncode == 0, flows.stdout[-2000:]


def test_a_deliberately_broken_catalog_fails_the_check(tmp_path: Path):
    broken = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    po = broken / "pt" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    # Drop a placeholder from one translation and mark another fuzzy.
    text = text.replace('msgstr "APAV, apoio à vítima, gratuito: {phone}"', 'msgstr "APAV, apoio à vítima, gratuito"', 1)
    text = text.replace('msgid "Yes"', '#, fuzzy\nmsgid "Yes"', 1)
    po.write_text(text, encoding="utf-8")
    problems = check(broken)
    assert any("pt/" in p and "placeholder" in p for p in problems), problems
    assert any("pt/" in p and "fuzzy" in p for p in problems), problems
    done = _intake("locales", "check", "--dir", str(broken))
    assert done.returncode == 1


def test_every_message_the_code_can_send_is_in_the_template():
    ids = {m.id for m in extract() if m.id}
    assert "Do you agree that we keep your answers to help you?" in ids
    assert "Please also delete this chat." in ids
    assert any("reply template" in " ".join(m.auto_comments) for m in extract() if m.id)
