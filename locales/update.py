"""Create or refresh one locale's catalog from the extracted template, with translations.

Used when translations are drafted: it merges the template (new messages appear empty,
removed ones are dropped), writes the drafted strings, keeps hand-reviewed headers, and marks
the file's review status so nobody mistakes a machine draft for a reviewed catalog.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog

from locales.catalogs import default_catalog_dir
from locales.formatting import PLURAL_HEADERS
from locales.negotiate import english_name
from locales.pofile import (
    MACHINE_DRAFTED,
    REVIEW_HEADER,
    ReviewedCatalog,
    po_path,
    read_catalog,
    write_catalog,
)

# msgid -> translation, or (context, msgid) -> translation; plural: a sequence of forms.
Translations = Mapping[str | tuple[str | None, str], str | Sequence[str]]


def update_catalog(
    template: Catalog | Path | str,
    locale: str,
    translations: Translations | None = None,
    *,
    catalog_dir: Path | str | None = None,
    review_status: str | None = None,
    keep_obsolete: bool = False,
) -> Path:
    """Merge `template` into <catalog_dir>/<locale>/LC_MESSAGES/messages.po and write it.

    Raises KeyError naming translations whose msgid is not in the template, so drafting
    against a stale template fails loudly instead of silently dropping strings.
    """
    directory = Path(catalog_dir) if catalog_dir is not None else default_catalog_dir()
    if isinstance(template, Catalog):
        # Babel's update() adopts the template's Message objects; writing translations into
        # them would leak one locale's strings into the next catalog made from the template.
        template = copy.deepcopy(template)
    else:
        template = read_catalog(Path(template))
    path = po_path(directory, locale)
    if path.is_file():
        catalog = read_catalog(path, locale)
    else:
        catalog = ReviewedCatalog(
            locale=locale,
            project="intake-assistant",
            fuzzy=False,
            header_comment=(
                f"# {english_name(locale)} ({locale}) messages of the intake assistant.\n"
                "# Distributed under the project's licence (AGPL-3.0-or-later).\n"
                f"# Review status: see the {REVIEW_HEADER} field below."
            ),
        )
    if catalog._num_plurals is None:  # our reviewed header, not Babel's CLDR-derived default
        catalog.mime_headers = [("Plural-Forms", PLURAL_HEADERS[locale])]
    # No fuzzy matching: a guessed "similar" translation is worse than an honest gap.
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    if not keep_obsolete:
        catalog.obsolete.clear()

    unknown = []
    for key, value in (translations or {}).items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        message = catalog.get(msgid, context)
        if message is None:
            unknown.append(key)
            continue
        message.string = value if isinstance(value, str) else tuple(value)
        message.flags.discard("fuzzy")
    if unknown:
        raise KeyError(f"{locale}: not in the template: {unknown!r}")

    if review_status is not None:
        catalog.review_status = review_status
    elif catalog.review_status is None:
        catalog.review_status = MACHINE_DRAFTED
    catalog.fuzzy = False
    catalog.revision_date = datetime.now(UTC)
    write_catalog(path, catalog)
    return path
