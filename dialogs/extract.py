"""Babel extractor for the flow content files (TOML), so their message ids reach the catalogs.

Python flow modules are extracted by Babel's own python extractor (keyword ``N_``); this one
reads ``dialogs/content/*.toml``. Use it in babel.cfg as (a colon in a section name would
be misread, so the extractor is named in an ``[extractors]`` section)::

    [extractors]
    content = dialogs.extract:extract_content

    [python: dialogs/**.py]
    [content: dialogs/content/**.toml]

and run ``pybabel extract -F babel.cfg -k N_ ...``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

__all__ = ["extract_content"]

# Keys whose values are message ids; everything else (phone, source, dates) is data.
TRANSLATABLE = ("text",)


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key in TRANSLATABLE and isinstance(value, str):
                yield where, value
            else:
                yield from _walk(value, where)


def extract_content(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (lineno, funcname, message, comments) for every message id in a content file."""
    raw = fileobj.read().decode(options.get("encoding", "utf-8") if options else "utf-8")
    data = tomllib.loads(raw)
    lines = raw.splitlines()
    for where, message in _walk(data, ""):
        lineno = next((n for n, line in enumerate(lines, 1) if message in line), 0)
        # The content key tells translators where the text is shown (e.g. helplines.emergency).
        yield lineno, "N_", message, [where]
