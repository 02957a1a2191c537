"""Reading rights articles, hotlines and exchange rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import selectinload

from goldendreams.core.base import json_list_has
from goldendreams.extensions import db
from goldendreams.rights import choices
from goldendreams.rights.models import Article, ExchangeRate, Hotline

_TOPIC_ORDER = {topic: index for index, topic in enumerate(choices.TOPICS)}
_COUNTRY_ORDER = {country: index for index, country in enumerate(choices.HOTLINE_COUNTRIES)}


def _sorted(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (_TOPIC_ORDER[a.topic], a.position, a.id))


def published_articles(country: str | None = None) -> list[Article]:
    """Published articles with a text, by topic; only those about ``country`` (or all)."""
    query = (
        select(Article)
        .where(Article.status == "published", Article.texts.any())
        .options(selectinload(Article.texts))
    )
    if country:
        query = query.where(
            # An empty list (every destination) is stored as the text "[]" on both databases.
            or_(json_list_has(Article.countries, country), cast(Article.countries, String) == "[]")
        )
    return _sorted(db.session.scalars(query))


def published_article(slug: str) -> Article | None:
    return db.session.scalar(
        select(Article)
        .where(Article.slug == slug, Article.status == "published", Article.texts.any())
        .options(selectinload(Article.texts))
    )


def all_articles() -> list[Article]:
    """Every article, drafts too (for editors)."""
    return _sorted(db.session.scalars(select(Article).options(selectinload(Article.texts))))


def hotlines(country: str | None = None) -> list[Hotline]:
    """Hotlines of ``country`` (or of every country), in the order editors chose."""
    query = select(Hotline)
    if country:
        query = query.where(Hotline.country == country)
    return sorted(
        db.session.scalars(query),
        key=lambda h: (_COUNTRY_ORDER.get(h.country, 99), h.position, h.id),
    )


def exchange_rates() -> list[ExchangeRate]:
    return list(
        db.session.scalars(select(ExchangeRate).order_by(ExchangeRate.base, ExchangeRate.quote))
    )


@dataclass(frozen=True)
class DefaultRate:
    """How many of the fees' money make 1 of the pay's money, and since when."""

    rate: Decimal
    fee_currency: str
    pay_currency: str
    set_on: date


def default_rate(fee_currency: str, pay_currency: str) -> DefaultRate | None:
    """The admins' rate between two currencies, either way round it was entered."""
    row = db.session.scalar(
        select(ExchangeRate).where(
            or_(
                and_(ExchangeRate.base == pay_currency, ExchangeRate.quote == fee_currency),
                and_(ExchangeRate.base == fee_currency, ExchangeRate.quote == pay_currency),
            )
        )
    )
    if row is None:
        return None
    rate = row.rate if row.base == pay_currency else 1 / row.rate
    return DefaultRate(rate, fee_currency, pay_currency, row.set_on)
