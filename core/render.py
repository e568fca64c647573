"""Turn a dialog's replies (message ids with parameters) into text in the person's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from dialogs.base import Choice, Expecting, Reply, Text

__all__ = ["Rendered", "Renderer", "Translations"]


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def pgettext(self, context: str, message: str) -> str: ...
    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str: ...


@dataclass(frozen=True, slots=True)
class Rendered:
    """One message ready for the outbox."""

    text: str
    options: tuple[tuple[str, str], ...]  # (label, value)
    kind: str


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        # A translation that names a placeholder we do not have must not crash a turn;
        # `intake locales check` is what catches it before release.
        return "{" + key + "}"




class Renderer:
    """Renders Text, Reply and Expecting for one locale at a time."""

    def __init__(
        self,
        translations: Callable[[str], Translations],
        country_name: Callable[[str, str], str] | None = None,
        number: Callable[[int | float, str], str] | None = None,
    ) -> None:
        self._translations = translations
        self._country = country_name or (lambda code, _locale: code)
        self._number = number or (lambda n, _locale: str(n))

    def text(self, item: Text, locale: str) -> str:
        tr = self._translations(locale)
        count = item.params.get("count")
        if item.plural is not None and isinstance(count, int):
            if item.context:
                template = tr.npgettext(item.context, item.msgid, item.plural, count)
            else:
                template = tr.ngettext(item.msgid, item.plural, count)
        elif item.context:
            template = tr.pgettext(item.context, item.msgid)
        else:
            template = tr.gettext(item.msgid)
        if not item.params:
            return template
        return template.format_map(_Missing(self._params(item.params, locale)))

    def _params(self, params: Mapping[str, Any], locale: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in params.items():
            if isinstance(value, Text):
                out[key] = self.text(value, locale)
            elif key.endswith("country") and isinstance(value, str):
                out[key] = self._country(value, locale)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out[key] = self._number(value, locale)
            else:
                out[key] = value
        return out

    def reply(self, reply: Reply, locale: str) -> Rendered:
        body = "\n\n".join(self.text(part, locale) for part in reply.parts)
        return Rendered(body, self.options(reply.options, locale), reply.kind)

    def options(self, options: tuple[Choice, ...], locale: str) -> tuple[tuple[str, str], ...]:
        return tuple((self.text(c.label, locale), c.value) for c in options)

    def expecting(self, expecting: Expecting | None, locale: str) -> dict[str, Any] | None:
        """The ``expecting`` object of DESIGN.md §3, with labels in the person's language."""
        if expecting is None:
            return None
        out: dict[str, Any] = {"field": expecting.field, "type": expecting.type}
        if expecting.code is not None:
            out["code"] = expecting.code
        if expecting.options:
            out["options"] = [
                {"label": label, "value": value}
                for label, value in self.options(expecting.options, locale)
            ]
        return out
