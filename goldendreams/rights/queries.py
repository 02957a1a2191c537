"""Reading rights articles and hotlines."""

from __future__ import annotations

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import selectinload

from goldendreams.core.base import json_list_has
from goldendreams.extensions import db
from goldendreams.rights import choices
from goldendreams.rights.models import Article, Hotline

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
