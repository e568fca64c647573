"""Reading and writing our .po files, keeping the review-status header Babel would drop.

Babel's Catalog only round-trips the standard gettext header fields; any other field (ours is
"X-Review-Status") is silently discarded on read and on write. This subclass keeps them, and
read_catalog() is read_po() with that subclass plugged into the same parser.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileParser, write_po

REVIEW_HEADER = "X-Review-Status"
NATIVE_REVIEWED = "native-reviewed"
MACHINE_DRAFTED = "machine-drafted, needs native review"
REVIEW_STATUSES = (NATIVE_REVIEWED, MACHINE_DRAFTED)
DOMAIN = "messages"


class ReviewedCatalog(Catalog):
    """A Babel Catalog that also keeps non-standard header fields (X-...)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra_headers: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if not self.extra_headers:
            return headers
        # Babel ends its last field with "\n" so the header block ends in a newline; move that
        # newline to the end of our fields, which come last.
        headers = [(name, value.rstrip("\n")) for name, value in headers]
        headers += sorted(self.extra_headers.items())
        headers[-1] = (headers[-1][0], headers[-1][1] + "\n")
        return headers

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        super()._set_mime_headers(headers)
        for name, value in headers:
            if str(name).lower().startswith("x-"):
                self.extra_headers[str(name)] = str(value).strip()

    # mypy cannot see through Babel's property built on the private methods; redeclare it.
    mime_headers = property(_get_mime_headers, _set_mime_headers)

    @property
    def review_status(self) -> str | None:
        return self.extra_headers.get(REVIEW_HEADER)

    @review_status.setter
    def review_status(self, value: str) -> None:
        self.extra_headers[REVIEW_HEADER] = value


def po_path(directory: Path, locale: str) -> Path:
    """locales/<locale>/LC_MESSAGES/messages.po"""
    return Path(directory) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(
    path: Path, locale: str | None = None, *, abort_invalid: bool = False
) -> ReviewedCatalog:
    """read_po() semantics (obsolete entries kept, so check can report them), our subclass.

    abort_invalid=True (the check) raises babel's PoFileError on syntax errors and on more
    plural forms than the header allows, which the lenient default would silently drop.
    """
    catalog = ReviewedCatalog(locale=locale, domain=DOMAIN)
    with open(path, "rb") as fileobj:
        PoFileParser(catalog, ignore_obsolete=False, abort_invalid=abort_invalid).parse(fileobj)
    return catalog


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write with no line wrapping: one msgstr per line keeps diffs reviewable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    with open(tmp, "wb") as fileobj:
        write_po(fileobj, catalog, width=0, omit_header=False, include_previous=False)
    tmp.replace(path)  # atomic: a reader never sees half a catalog
