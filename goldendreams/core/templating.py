"""Template globals and filters: language switcher data, countries, dates, numbers."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from babel.dates import format_skeleton, format_time
from flask import Flask, abort, g, request
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
)
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BaseConverter, IntegerConverter

from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name
from goldendreams.core.money import format_money
from goldendreams.core.sanitize import clean_html
from goldendreams.extensions import db


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only allow redirects to a path on this site (no scheme, no host, no ``//``)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return fallback  # a control character would break the Location header (a 500)
    return target


def current_path() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path


MAX_PAGE = 10_000
#: The largest id a database integer column holds.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """<int:…> in URLs, refusing (404) numbers no row can have instead of failing in the
    database."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class PublicIdConverter(BaseConverter):
    """<public_id:…> in URLs: the 16 URL-safe characters of ``core.base.new_public_id``;
    anything else is a 404 before a query runs."""

    regex = r"[A-Za-z0-9_\-]{16}"


def by_public_id_or_404(model, public_id: str):
    """The record with this random public id, or 404."""
    return db.first_or_404(select(model).filter_by(public_id=public_id))


def page_number() -> int:
    """The ?page= argument, or 404 for one no list could have (the database would choke)."""
    page = request.args.get("page", 1, type=int)
    if page > MAX_PAGE:
        abort(404)
    return max(page, 1)


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    args.update(changes)
    args = {name: value for name, value in args.items() if value is not None}
    return f"{request.path}?{urlencode(args)}"


def rounded(amount: Decimal) -> Decimal:
    """An amount to two significant figures (15,350 → 15,000): an exact fee that one
    agency charged one worker could point at that worker."""
    if not amount:
        return amount
    return Decimal(float(f"{float(amount):.2g}")).quantize(Decimal(1))


def _translations():
    """This request's catalog, looked up once: Flask-Babel looks it up again on every call,
    and a page makes hundreds (a fifth of a directory page's time)."""
    catalog = g.get("_catalog")
    if catalog is None:
        catalog = g._catalog = get_translations()
    return catalog


def init_app(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        country_name=country_name,
        current_locale=lambda: str(get_locale() or "en"),
        current_path=current_path,
        url_with=url_with,
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["clean_html"] = lambda html: Markup(clean_html(html or ""))  # noqa: S704 - nh3 cleaned it
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["clock"] = lambda value: format_time(value, "short", locale=get_locale())
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    app.jinja_env.filters["rounded"] = rounded
    app.jinja_env.filters["percent"] = lambda value: format_percent(value)
    # "THB12,000", not "THB12,000.00": one money format for the whole site.
    app.jinja_env.filters["money"] = lambda amount, currency=None: (
        format_money(amount, currency) if currency else format_decimal(amount)
    )
    # Reviews show when they were written only to the month: never a day or a time.
    app.jinja_env.filters["month_year"] = lambda value: format_skeleton(
        "yMMMM", value, locale=get_locale()
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
