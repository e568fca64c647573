"""Catalog tooling behind ``intake locales extract|check``: it sees every layer at once.

Extraction covers the Python code (``N_``/``_`` markers) and the programme content files
(``dialogs.extract``). The check adds what only this floor can know: how a question is
rendered on SMS (prompt plus numbered menu) and how many segments that costs in each locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

import locales
from channels.segments import count_segments
from locales.words import check_words, words

__all__ = ["ROOT", "TEMPLATE", "check", "extract", "write_template"]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "locales" / "messages.pot"
INFO_SEGMENTS = 4     # an explanation
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHOD_MAP = [
    ("dialogs/content/**.toml", "dialogs.extract:extract_content"),
    ("handoff/replies.json", "bot.catalogs:extract_reply_templates"),
    ("dialogs/**.py", "python"),
    ("core/**.py", "python"),
    ("handoff/**.py", "python"),
    ("bot/**.py", "python"),
]
# Files whose strings are never shown to a person.
EXCLUDED_FILES: tuple[str, ...] = ()


def extract_reply_templates(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel extractor for handoff/replies.json: each template's ``text`` is a message id."""
    import json

    data = json.loads(fileobj.read().decode("utf-8"))
    for template in data.get("templates", []):
        yield 1, None, template["text"], [f"reply template {template['code']}"]


def extract() -> Catalog:
    """A template catalog of every message id the people writing to us can see."""
    catalog = Catalog(project="intake-assistant", charset="utf-8", fuzzy=False)
    for path in ("dialogs", "core", "handoff", "bot"):
        found = extract_from_dir(
            ROOT / path, method_map=[(p.split("/", 1)[1], m) for p, m in METHOD_MAP if p.startswith(path)],
            keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            where = f"{path}/{filename}"
            if where in EXCLUDED_FILES:
                continue
            catalog.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
    return catalog


def template_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, omit_header=False, sort_output=True, no_location=False, width=100)
    return out.getvalue()


def write_template(path: Path = TEMPLATE) -> Catalog:
    catalog = extract()
    path.write_bytes(template_bytes(catalog))
    return catalog


def _ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


def segment_budget(locale: str, msgid: str, translation: str) -> str | None:
    count = count_segments(translation)
    if count > INFO_SEGMENTS:
        return f"{count} SMS segments (at most {INFO_SEGMENTS}): {msgid[:50]!r}"
    return None


def prompt_problems(codes: Iterable[str]) -> list[str]:
    """Every question as SMS shows it (its SMS greeting and prompt, plus the numbered menu)
    within PROMPT_SEGMENTS; and as the other channels show it, for a locale's longest words."""
    from channels.twilio import sms_segments
    from core.pipeline import PROMPT_SEGMENTS
    from dialogs.engine import FLOWS

    problems = []
    for locale in codes:
        tr = locales.translator(locale)
        for flow in FLOWS.values():
            for q in flow.questions:
                labels = [tr.gettext(o.label.msgid) for o in q.options]
                prompt = tr.gettext(q.sms_prompt or q.prompt)
                if q.sms_intro:  # sent in the prompt's message when that fits (core.pipeline)
                    greeting = tr.gettext(q.sms_intro) + "\n\n" + prompt
                    if sms_segments(greeting, labels) <= PROMPT_SEGMENTS:
                        prompt = greeting
                for where, shown in (("", tr.gettext(q.prompt)), (" on SMS", prompt)):
                    count = sms_segments(shown, labels)
                    if count > PROMPT_SEGMENTS:
                        problems.append(
                            f"{locale}: question {flow.name}.{q.state}{where} is {count} SMS "
                            f"segments with its menu (at most {PROMPT_SEGMENTS})"
                        )
    return problems


def check(catalog_dir: Path | None = None) -> list[str]:
    """Every way the catalogs and the code disagree; empty means ready to release."""
    problems: list[str] = []
    current = extract()
    if not TEMPLATE.is_file():
        problems.append(f"{TEMPLATE.relative_to(ROOT)} is missing: run `intake locales extract`")
    else:
        kept = read_po(TEMPLATE.open("rb"))
        added, gone = _ids(current) - _ids(kept), _ids(kept) - _ids(current)
        problems += [f"messages.pot lacks {msgid!r}: run `intake locales extract`" for msgid, _ in sorted(added)]
        problems += [f"messages.pot still has removed {msgid!r}" for msgid, _ in sorted(gone)]
    problems += locales.check_catalogs(current, catalog_dir, segment_budget=segment_budget)
    if catalog_dir is None:
        problems += prompt_problems(locales.SUPPORTED)
        problems += check_words() + words_problems(locales.SUPPORTED)
    return problems


def words_problems(codes: Iterable[str]) -> list[str]:
    """Each words.toml's [questions.*] names a question of a flow and its own answers: a
    misspelt state or option would be read by nobody."""
    from dialogs.engine import FLOWS
    from dialogs.words import POLARITY

    questions = {q.state: q for flow in FLOWS.values() for q in flow.questions}
    problems = []
    for locale in codes:
        for state, table in words(locale).questions.items():
            q = questions.get(state)
            if q is None:
                problems.append(f"{locale}/words.toml: [questions.{state}] is no question's state")
                continue
            known = {*POLARITY, *(o.value for o in q.options)}
            problems += [f"{locale}/words.toml: [questions.{state}] {value!r} is not one of its "
                         f"answers ({', '.join(sorted(known))})" for value in table if value not in known]
    return problems
