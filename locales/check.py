"""`intake locales check`: find every way the catalogs have drifted from the source strings.

Problems are returned as one-line strings ("pt_BR/LC_MESSAGES/messages.po:42: ...") so the
CLI can print them and fail when the list is not empty. Segment counting for SMS belongs to
channels/segments.py; the CLI passes it in as `segment_budget` (locales imports nothing of
ours).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from locales.catalogs import default_catalog_dir
from locales.formatting import plural_forms, plural_function
from locales.negotiate import SOURCE_LOCALE, SUPPORTED
from locales.pofile import REVIEW_HEADER, REVIEW_STATUSES, po_path, read_catalog

# (msgid, context, is_plural); for a plural message msgid is the singular.
TemplateEntry = tuple[str, str | None, bool]
Template = Iterable[TemplateEntry] | Catalog | Path | str
# (locale, msgid, translation) -> a problem description, or None when within budget.
SegmentBudget = Callable[[str, str, str], str | None]

# The placeholder that carries the count in plural messages, by our naming convention.
COUNT_PLACEHOLDERS = frozenset({"{n}", "{count}", "%(n)", "%(count)"})
_BRACE = re.compile(r"\{([^{}]*)\}")
_PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")


def placeholders(text: str) -> tuple[frozenset[str], int]:
    """Named placeholders ({name}, {0}, %(name)s) and the count of positional %s/%d."""
    unescaped = text.replace("{{", "").replace("}}", "").replace("%%", "")
    named = {
        "{" + re.split(r"[!:]", field, maxsplit=1)[0] + "}" for field in _BRACE.findall(unescaped)
    }
    positional = 0
    for name, _conv in _PERCENT.findall(unescaped):
        if name:
            named.add(f"%({name})")
        else:
            positional += 1
    return frozenset(named), positional


def template_entries(template: Template) -> list[TemplateEntry]:
    """Normalise a POT path, a Catalog, or (msgid, context, is_plural) tuples."""
    if isinstance(template, (str, Path)):
        template = read_catalog(Path(template))
    if isinstance(template, Catalog):
        return [
            (m.id[0], m.context, True)
            if isinstance(m.id, (list, tuple))
            else (m.id, m.context, False)
            for m in template
            if m.id
        ]
    return list(template)


def _placeholder_problems(message: Message, index_of: Callable[[int], int]) -> list[str]:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
    allowed = frozenset().union(*(placeholders(i)[0] for i in ids))
    problems = []
    for i, form in enumerate(forms):
        if not form:
            continue
        # A form used for a single count ("one", Arabic zero and dual: "يومان") may write the
        # number as a word, so only there the count placeholder may be dropped.
        covered = {n for n in range(0, 1001) if index_of(n) == i} if len(ids) > 1 else {1}
        want, want_pos = placeholders(ids[-1] if len(covered) > 1 else ids[0])
        if len(ids) > 1 and len(covered) == 1:
            want = want - COUNT_PLACEHOLDERS
        have, have_pos = placeholders(form)
        label = f" (form {i})" if len(ids) > 1 else ""
        if want - have:
            problems.append(f"placeholder {', '.join(sorted(want - have))} missing{label}")
        if have - allowed:
            problems.append(f"placeholder {', '.join(sorted(have - allowed))} not in msgid{label}")
        if want_pos != have_pos:
            problems.append(f"{have_pos} positional %-placeholders, msgid has {want_pos}{label}")
    return problems


def check_locale(
    locale: str,
    path: Path,
    template: dict[tuple[str, str | None], bool] | None,
    segment_budget: SegmentBudget | None = None,
) -> list[str]:
    """Problems in one catalog file (see check_catalogs)."""
    where = f"{locale}/LC_MESSAGES/{path.name}"
    if not path.is_file():
        return [f"{where}: catalog missing"]
    try:
        catalog = read_catalog(path, locale, abort_invalid=True)
    except Exception as exc:  # a syntax error must fail the check, not crash it
        return [f"{where}: cannot be read: {exc}"]
    problems: list[str] = []
    status = catalog.review_status
    if status not in REVIEW_STATUSES:
        problems.append(
            f"{where}: header {REVIEW_HEADER} is {status!r}, want one of {REVIEW_STATUSES}"
        )
    if catalog._num_plurals is None:  # Babel fills in a default when the header has none
        problems.append(f"{where}: header has no Plural-Forms")
    elif not plural_forms(locale, catalog.plural_forms).agrees_with_cldr:
        problems.append(f"{where}: Plural-Forms {catalog.plural_forms!r} disagrees with CLDR")
    index_of = plural_function(catalog.plural_expr)
    seen: set[tuple[str, str | None]] = set()
    for message in catalog:
        if not message.id:
            continue
        is_plural = isinstance(message.id, (list, tuple))
        key = (str(message.id[0]) if is_plural else str(message.id), message.context)
        seen.add(key)
        at = f"{where}:{message.lineno}: {key[0]!r}" + (f" (context {key[1]!r})" if key[1] else "")
        if template is not None and key not in template:
            problems.append(f"{at}: obsolete (not in the template)")
            continue
        if template is not None and template[key] != is_plural:
            problems.append(f"{at}: plural in one of template/catalog but not the other")
        raw = message.string
        forms = [str(f) for f in raw] if isinstance(raw, (list, tuple)) else [raw or ""]
        if message.fuzzy:
            problems.append(f"{at}: fuzzy")
        elif not all(forms) and locale != SOURCE_LOCALE:
            problems.append(f"{at}: untranslated")
        if is_plural and len(forms) != catalog.num_plurals:
            problems.append(f"{at}: {len(forms)} plural forms, header says {catalog.num_plurals}")
        problems.extend(f"{at}: {p}" for p in _placeholder_problems(message, index_of))
        if segment_budget is not None:
            for form in filter(None, forms):
                verdict = segment_budget(locale, key[0], form)
                if verdict:
                    problems.append(f"{at}: {verdict}")
    for message in catalog.obsolete.values():
        problems.append(f"{where}:{message.lineno}: {message.id!r}: obsolete entry (#~), remove it")
    if template is not None:
        for msgid, context in sorted(set(template) - seen, key=lambda k: (k[0], k[1] or "")):
            problems.append(
                f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "") + ": missing"
            )
    return problems


def check_catalogs(
    template_messages: Template | None,
    catalog_dir: Path | str | None = None,
    *,
    locales: Sequence[str] = SUPPORTED,
    segment_budget: SegmentBudget | None = None,
) -> list[str]:
    """Every problem across the catalogs; empty means the check passes.

    template_messages: what extraction found (None skips the drift checks). Checked per
    locale: catalog missing or unreadable; review-status header; Plural-Forms vs CLDR;
    messages missing, obsolete, fuzzy, untranslated (the English catalog may leave msgstr
    empty), plural form count; placeholders missing or extra; the SMS segment budget hook.
    """
    directory = Path(catalog_dir) if catalog_dir is not None else default_catalog_dir()
    template = None
    if template_messages is not None:
        template = {(m, c): p for m, c, p in template_entries(template_messages)}
    problems: list[str] = []
    for locale in locales:
        problems.extend(check_locale(locale, po_path(directory, locale), template, segment_budget))
    return problems


def review_statuses(
    catalog_dir: Path | str | None = None, locales: Sequence[str] = SUPPORTED
) -> dict[str, str | None]:
    """locale -> X-Review-Status (None if the catalog or the header is missing), for the
    README's table of which languages a native speaker has reviewed."""
    directory = Path(catalog_dir) if catalog_dir is not None else default_catalog_dir()
    statuses: dict[str, str | None] = {}
    for locale in locales:
        path = po_path(directory, locale)
        statuses[locale] = read_catalog(path, locale).review_status if path.is_file() else None
    return statuses
