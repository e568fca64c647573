"""Gettext catalogs for every supported language and the small i18n runtime beside them."""
