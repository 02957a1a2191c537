"""Know-your-rights articles (one text per language), hotlines and exchange rates."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.extensions import db


class Article(db.Model):
    """A rights article. Public when published and written in at least one language."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint(
            "topic IN ('before_you_go', 'fees', 'contracts', 'wages_hours', 'documents', "
            "'safety_health', 'getting_help')",
            name="topic",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The article's name in its address (/rights/<slug>): stays when titles change.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    topic: Mapped[str] = mapped_column(String(20), index=True)
    #: Destination countries the article is about; empty means every destination.
    countries: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    #: Order within its topic (smaller first).
    position: Mapped[int] = mapped_column(default=0)
    #: Sample content shipped with the site, shown with a warning until an organisation
    #: has checked it and an editor clears the flag.
    demo: Mapped[bool] = mapped_column(default=False)
    updated_on: Mapped[date]

    texts: Mapped[list[ArticleText]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleText.id"
    )

    def text_for(self, locale: str) -> ArticleText | None:
        """The version in ``locale``; else English; else the first one written."""
        by_locale = {text.locale: text for text in self.texts}
        return by_locale.get(locale) or by_locale.get("en") or next(iter(by_locale.values()), None)

    def applies_to(self, country: str) -> bool:
        return not self.countries or country in self.countries


class ArticleText(db.Model):
    """An article in one language. ``body_html`` is rendered and sanitised when saved."""

    __tablename__ = "article_texts"
    __table_args__ = (UniqueConstraint("article_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_on: Mapped[date]

    article: Mapped[Article] = relationship(back_populates="texts")


class Hotline(db.Model):
    """A number a worker can call (or a chat they can write to) for help, in one country."""

    __tablename__ = "hotlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    organisation: Mapped[str] = mapped_column(String(200))
    #: The organisation's name in the country's script (shown beside the English one).
    organisation_local: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    #: Chat links by channel ("viber", "line", "messenger", "whatsapp").
    channels: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Languages spoken (language codes).
    languages: Mapped[list] = mapped_column(JSON, default=list)
    days: Mapped[str] = mapped_column(String(10), default="every_day")
    #: Opening hours in the country's own time; both empty means open all day.
    opens_at: Mapped[time | None]
    closes_at: Mapped[time | None]
    position: Mapped[int] = mapped_column(default=0)
    #: Shipped with the site: shown with a warning until an admin has checked the number.
    demo: Mapped[bool] = mapped_column(default=False)

    @property
    def always_open(self) -> bool:
        return self.opens_at is None or self.closes_at is None

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +, nothing else."""
        phone = (self.phone or "").strip()
        if phone.startswith("+"):
            phone = phone.replace("(0)", "")  # "+66 (0)2 …": the 0 is dialled only at home
        digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
        return ("+" if phone.startswith("+") else "") + digits


class ExchangeRate(db.Model):
    """A default rate for the fee calculator: 1 ``base`` buys ``rate`` of ``quote``
    (1 THB = 64 MMK). Set by admins, with the day it was set: rates move, readers must see
    how old one is. One row per pair, whichever way round it was entered."""

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("base", "quote"),
        CheckConstraint("rate > 0", name="rate"),
        CheckConstraint("base <> quote", name="pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    set_on: Mapped[date]
