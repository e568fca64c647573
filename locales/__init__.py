"""Gettext catalogs for every supported language and the small i18n runtime beside them.

Ground floor: imports nothing of ours. Catalogs live in locales/<locale>/LC_MESSAGES/messages.po
and are read at first use; lingua is loaded only by preload() or the first detect().
"""

from __future__ import annotations

from locales.catalogs import (
    FALLBACKS,
    CatalogSet,
    Translator,
    catalog_dir,
    default_catalog_dir,
    load_catalogs,
    translator,
)
from locales.check import (
    SegmentBudget,
    check_catalogs,
    placeholders,
    review_statuses,
    template_entries,
)
from locales.detect import Detection, detect, preload
from locales.formatting import (
    PLURAL_HEADERS,
    PluralForms,
    country_name,
    format_date,
    format_datetime,
    format_number,
    format_time,
    plural_forms,
)
from locales.negotiate import (
    OFFICE_LOCALE,
    RTL,
    SOURCE_LOCALE,
    SUPPORTED,
    english_name,
    is_rtl,
    language_for_phone,
    native_name,
    negotiate,
)
from locales.pofile import MACHINE_DRAFTED, NATIVE_REVIEWED, REVIEW_HEADER
from locales.resolve import Resolution, resolve
from locales.update import update_catalog

__all__ = [
    "FALLBACKS",
    "MACHINE_DRAFTED",
    "NATIVE_REVIEWED",
    "OFFICE_LOCALE",
    "PLURAL_HEADERS",
    "REVIEW_HEADER",
    "RTL",
    "SOURCE_LOCALE",
    "SUPPORTED",
    "CatalogSet",
    "Detection",
    "PluralForms",
    "Resolution",
    "SegmentBudget",
    "Translator",
    "catalog_dir",
    "check_catalogs",
    "country_name",
    "default_catalog_dir",
    "detect",
    "english_name",
    "format_date",
    "format_datetime",
    "format_number",
    "format_time",
    "is_rtl",
    "language_for_phone",
    "load_catalogs",
    "native_name",
    "negotiate",
    "placeholders",
    "plural_forms",
    "preload",
    "resolve",
    "review_statuses",
    "template_entries",
    "translator",
    "update_catalog",
]
