"""Search: one analyzer for six languages, Whoosh or PostgreSQL full text, fed by a change
log written in the same transaction as every change to a searchable record."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from goldendreams.search import changes, views  # noqa: F401 - changes registers its hook

    views.init_app(app)
