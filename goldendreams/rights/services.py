"""Writing rights articles, hotlines and exchange rates. One transaction per call; every
change audited."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from goldendreams.config import LOCALES
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.sanitize import markdown_to_html
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.jobs.choices import FEE_CURRENCIES
from goldendreams.rights import choices
from goldendreams.rights.models import Article, ArticleText, ExchangeRate, Hotline

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Addresses under /rights/ that pages of their own already use.
RESERVED_SLUGS = frozenset({"calculator"})
MAX_BODY = 20_000
#: Languages a hotline may speak: the site's, and Malay.
HOTLINE_LANGUAGES = (*LANGUAGE_NAMES, "ms")


class RightsError(ValueError):
    """A rule for articles or hotlines was broken; ``str(error)`` is in the reader's language."""


def _one_line(value: str | None) -> str:
    return " ".join(normalise(value or "").text.split())


def _flush_or_explain(message) -> None:
    """Flush; a unique rule broken by a simultaneous save becomes a RightsError."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RightsError(message) from error


# --- articles ------------------------------------------------------------------------------


def save_article(
    actor,
    article: Article | None = None,
    *,
    slug: str,
    topic: str,
    countries: list[str],
    status: str,
    position: int = 0,
    demo: bool = False,
) -> Article:
    """Create an article (``article`` None) or change its settings. Publishing needs a text."""
    slug = (slug or "").strip().lower()
    if not SLUG.fullmatch(slug) or len(slug) > 80:
        raise RightsError(_l("Use only small English letters, numbers and dashes in the address."))
    taken = db.session.scalar(select(Article.id).where(Article.slug == slug))
    if slug in RESERVED_SLUGS:
        taken = -1
    if taken is not None and (article is None or taken != article.id):
        raise RightsError(_l("Another article already has this address."))
    if topic not in choices.TOPICS:
        raise RightsError(_l("Choose a topic from the list."))
    if not set(countries) <= set(choices.DESTINATIONS):
        raise RightsError(_l("Choose countries from the list."))
    if status not in choices.ARTICLE_STATUSES:
        raise RightsError(_l("Choose draft or published."))
    if status == "published" and (article is None or not article.texts):
        raise RightsError(_l("Write the article in at least one language before publishing it."))
    created = article is None
    if created:
        article = Article()
        db.session.add(article)
    article.slug, article.topic, article.status = slug, topic, status
    article.countries = sorted(set(countries))
    article.position, article.demo = position, demo
    article.updated_on = today()
    _flush_or_explain(_l("Another article already has this address."))
    audit.record(
        actor,
        "article.create" if created else "article.update",
        "article",
        article.id,
        status=status,
        demo=demo,
    )
    db.session.commit()
    return article


def save_text(
    actor, article: Article, *, locale: str, title: str, summary: str, body_markdown: str
) -> ArticleText:
    """Write the article in one language; the HTML is rendered and sanitised here."""
    if locale not in LOCALES:
        raise RightsError(_l("Choose a language from the list."))
    title, summary = _one_line(title), _one_line(summary)
    body = normalise(body_markdown or "").text
    if not title or not summary or not body:
        raise RightsError(_l("Write a title, a summary and the article."))
    if len(title) > 200 or len(summary) > 500 or len(body) > MAX_BODY:
        raise RightsError(_l("This is too long."))
    text = next((t for t in article.texts if t.locale == locale), None)
    if text is None:
        text = ArticleText(locale=locale)
        article.texts.append(text)
    text.title, text.summary, text.body_markdown = title, summary, body
    text.body_html = markdown_to_html(body)
    text.updated_on = article.updated_on = today()
    _flush_or_explain(_l("Someone else saved this at the same time. Please try again."))
    audit.record(actor, "article.text", "article", article.id, locale=locale)
    db.session.commit()
    return text


def delete_text(actor, article: Article, locale: str) -> None:
    """Remove one language; a published article keeps at least one."""
    # Lock the article: two editors deleting its last two languages at once leave one.
    db.session.execute(select(Article.id).where(Article.id == article.id).with_for_update())
    db.session.refresh(article, ["texts"])
    text = next((t for t in article.texts if t.locale == locale), None)
    if text is None:
        return
    if article.status == "published" and len(article.texts) == 1:
        raise RightsError(_l("A published article needs at least one language."))
    article.texts.remove(text)
    article.updated_on = today()
    audit.record(actor, "article.text_deleted", "article", article.id, locale=locale)
    db.session.commit()


# --- hotlines ------------------------------------------------------------------------------


def _hotline_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and tidy a hotline's fields, or raise RightsError."""
    country = fields.get("country")
    if country not in choices.HOTLINE_COUNTRIES:
        raise RightsError(_l("Choose a country."))
    organisation = _one_line(fields.get("organisation"))
    if not organisation:
        raise RightsError(_l("Please enter a name."))
    local = _one_line(fields.get("organisation_local")) or None
    if len(organisation) > 200 or len(local or "") > 200:
        raise RightsError(_l("This is too long."))
    phone = _one_line(fields.get("phone")) or None
    if phone and not re.fullmatch(r"\+?[0-9][0-9 \-]{1,28}", phone):
        raise RightsError(_l("Write the phone number with numbers only, like +66 2 123 4567."))
    channels = {}
    for name, url in (fields.get("channels") or {}).items():
        url = (url or "").strip()
        if not url:
            continue
        starts = choices.CHANNELS.get(name, (None, ()))[1]
        if not url.startswith(starts) or len(url) > 300 or any(ch.isspace() for ch in url):
            raise RightsError(_l("A chat link does not look right. Copy it from the app."))
        channels[name] = url
    if not phone and not channels:
        raise RightsError(_l("Give a phone number or a chat link."))
    languages = sorted(set(fields.get("languages") or []))
    if not set(languages) <= set(HOTLINE_LANGUAGES):
        raise RightsError(_l("Choose languages from the list."))
    days = fields.get("days") or "every_day"
    if days not in choices.DAYS:
        raise RightsError(_l("Choose the days from the list."))
    opens_at, closes_at = fields.get("opens_at"), fields.get("closes_at")
    if (opens_at is None) != (closes_at is None):
        raise RightsError(_l("Give both opening and closing times, or neither."))
    if opens_at is not None and not (isinstance(opens_at, time) and isinstance(closes_at, time)):
        raise RightsError(_l("Give both opening and closing times, or neither."))
    return {
        "country": country,
        "organisation": organisation,
        "organisation_local": local,
        "phone": phone,
        "channels": channels,
        "languages": languages,
        "days": days,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "position": int(fields.get("position") or 0),
        "demo": bool(fields.get("demo")),
    }


def save_hotline(actor, hotline: Hotline | None = None, **fields) -> Hotline:
    """Create a hotline (``hotline`` None) or change one."""
    values = _hotline_fields(fields)
    created = hotline is None
    if created:
        hotline = Hotline()
        db.session.add(hotline)
    for name, value in values.items():
        setattr(hotline, name, value)
    db.session.flush()
    audit.record(actor, "hotline.create" if created else "hotline.update", "hotline", hotline.id)
    db.session.commit()
    return hotline


def delete_hotline(actor, hotline: Hotline) -> None:
    audit.record(actor, "hotline.delete", "hotline", hotline.id, organisation=hotline.organisation)
    db.session.delete(hotline)
    db.session.commit()


# --- exchange rates (defaults for the fee calculator) --------------------------------------

#: Larger than any real rate between the currencies we list (1 USD is about 21,000 LAK).
MAX_RATE = Decimal(10_000_000)


def save_rate(
    actor, rate: ExchangeRate | None = None, *, base: str, quote: str, value, set_on: date
) -> ExchangeRate:
    """Set a default rate: 1 ``base`` buys ``value`` of ``quote``, as of ``set_on``."""
    if base not in FEE_CURRENCIES or quote not in FEE_CURRENCIES:
        raise RightsError(_l("Choose a currency from the list."))
    if base == quote:
        raise RightsError(_l("Choose two different currencies."))
    try:
        value = Decimal(value)
    except (TypeError, ValueError, ArithmeticError) as error:
        raise RightsError(_l("Enter the rate as a number.")) from error
    if not value.is_finite() or not 0 < value < MAX_RATE:
        raise RightsError(_l("A number is out of range. Check the numbers."))
    if not isinstance(set_on, date) or set_on > today():
        raise RightsError(_l("Give the day the rate was set, not a day in the future."))
    pair = select(ExchangeRate.id).where(
        or_(
            (ExchangeRate.base == base) & (ExchangeRate.quote == quote),
            (ExchangeRate.base == quote) & (ExchangeRate.quote == base),
        )
    )
    taken = db.session.scalar(pair)
    if taken is not None and (rate is None or taken != rate.id):
        raise RightsError(_l("There is a rate for these two currencies already. Change it."))
    created = rate is None
    if created:
        rate = ExchangeRate()
        db.session.add(rate)
    rate.base, rate.quote, rate.rate, rate.set_on = base, quote, value, set_on
    _flush_or_explain(_l("There is a rate for these two currencies already. Change it."))
    audit.record(
        actor,
        "exchange_rate.create" if created else "exchange_rate.update",
        "exchange_rate",
        rate.id,
        pair=f"{base}/{quote}",
        rate=str(value),
        set_on=set_on.isoformat(),
    )
    db.session.commit()
    return rate


def delete_rate(actor, rate: ExchangeRate) -> None:
    audit.record(
        actor, "exchange_rate.delete", "exchange_rate", rate.id, pair=f"{rate.base}/{rate.quote}"
    )
    db.session.delete(rate)
    db.session.commit()
