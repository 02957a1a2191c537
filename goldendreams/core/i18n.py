"""Locale choice and locale-aware display helpers."""

from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

#: Each language named in its own script, for the language switcher.
LANGUAGE_NAMES = {
    "en": "English",
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "th": "ไทย",
    "lo": "ລາວ",
    "ne": "नेपाली",
}


def select_locale() -> str:
    """An explicit choice (cookie), else a staff member's preferred language, else the
    browser's ``Accept-Language``, else English."""
    locales = current_app.config["LOCALES"]
    if not has_request_context():  # commands and background work speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(current_app.config["LOCALE_COOKIE"])
    if chosen in locales:
        return chosen
    preferred = getattr(current_user, "preferred_locale", None)
    if preferred in locales:
        return preferred
    return (
        request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def country_name(code: str | None) -> str:
    """A country's name in the reader's language, from CLDR (e.g. ``TH`` → ``ไทย``)."""
    if not code:
        return ""
    locale = get_locale() or Locale("en")
    return locale.territories.get(code, code)


def language_name(code: str) -> str:
    """A language's name in the reader's language, from CLDR (e.g. ``my`` → ``Burmese``)."""
    return (get_locale() or Locale("en")).languages.get(code, code)
