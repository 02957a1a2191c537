"""The change log that feeds every index, and the PostgreSQL backend's own tables."""

from __future__ import annotations

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from goldendreams.extensions import db

#: A tsvector on PostgreSQL; plain text elsewhere (where the table stays empty).
TokenVector = TSVECTOR().with_variant(Text(), "sqlite")


class SearchChange(db.Model):
    """ "Record ``kind``/``record_id`` changed": written in the same transaction as the change.

    No time is kept: a review's publication time is nobody's business, and order is the id.
    """

    __tablename__ = "search_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]


class SearchState(db.Model):
    """How far an index in the database has applied the change log."""

    __tablename__ = "search_state"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_change_id: Mapped[int] = mapped_column(default=0)
    #: Change ids below ``last_change_id`` not seen yet (a transaction still open when the
    #: log was read), with when they were first missed: {id: unix time}.
    gaps: Mapped[dict] = mapped_column(JSON, default=dict)


class SearchDocument(db.Model):
    """One searchable document of the PostgreSQL backend: the analyzer's tokens in a
    tsvector (title tokens weighted A), under a GIN index."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_tokens", "tokens", postgresql_using="gin"),
        Index("ix_search_documents_record", "kind", "record_id"),
    )

    doc_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]
    locale: Mapped[str | None] = mapped_column(String(5))
    countries: Mapped[str] = mapped_column(String(40), default="")
    tokens: Mapped[str] = mapped_column(TokenVector)
