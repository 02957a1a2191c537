"""The search page: one box for jobs, organisations, rights articles and reviews."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_app_context,
    render_template,
    request,
)
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from goldendreams.core.http_cache import cached_page
from goldendreams.core.security import setting
from goldendreams.core.templating import page_number
from goldendreams.extensions import limiter
from goldendreams.search import indexer
from goldendreams.search.analyzer import tokens
from goldendreams.search.backends import backend_for
from goldendreams.search.forms import KIND_LABELS, SearchForm
from goldendreams.search.results import resolve

bp = Blueprint("search", __name__, template_folder="templates")
log = logging.getLogger(__name__)

#: Results shown per type on the "everything" page, and per page for one type.
PER_GROUP = 5
PER_PAGE = 20
#: Hits asked of the index (all types): ten pages of one type. Each is checked against the
#: database on every search, so this bounds a search's cost (500 cost twice as much).
MAX_HITS = 200


def _not_a_search() -> bool:
    return not request.args.get("q")


@bp.get("/search")
@limiter.limit(setting("SEARCH_RATE_LIMIT"), exempt_when=_not_a_search)
@cached_page
def search():
    form = SearchForm(request.args)
    valid = form.validate()
    wanted = tokens(form.q.data or "") if valid else []
    kind = form.type.data or None if valid else None
    country = form.country.data or None if valid else None
    grouped, page, pages, plan = {}, page_number(), 1, None
    if wanted:
        backend = backend_for()
        try:
            indexer.catch_up(backend, max_batches=2)
        except Exception:  # a stale index still answers; the log is applied later
            log.exception("search index: catching up failed")
        plan, hits = indexer.find(backend, wanted, kind=kind, country=country, limit=MAX_HITS)
        wanted = plan.tokens  # only the words searched are marked
        found = resolve(hits, str(get_locale()))
        reader = str(get_locale())
        if kind:
            count = len(found[kind].hits) if kind in found else 0
            pages = max(1, -(-count // PER_PAGE))
            if page > pages:
                abort(404)
            start = (page - 1) * PER_PAGE
            shown = (
                found[kind].present(start, start + PER_PAGE, set(wanted), reader) if count else []
            )
            grouped, counts = {kind: shown}, {kind: count}
        else:
            counts = {name: len(group.hits) for name, group in found.items()}
            grouped = {
                name: group.present(0, PER_GROUP, set(wanted), reader)
                for name, group in found.items()
            }
    else:
        counts = {}
    return render_template(
        "search/results.html",
        form=form,
        grouped=grouped,
        counts=counts,
        labels=KIND_LABELS,
        kind=kind,
        page=page,
        pages=pages,
        searched=bool(wanted),
        plan=plan,
        max_terms=current_app.config["SEARCH_MAX_TERMS"],
    )


def _catch_up_after_writes(response):
    """After a request that committed, bring the index up to date: once the response has
    gone out, so the writer does not wait for it."""
    if g.pop("search_changed", False):
        app = current_app._get_current_object()
        response.call_on_close(lambda: _catch_up(app))
    return response


def _catch_up(app: Flask) -> None:
    with app.app_context():
        try:
            indexer.catch_up(backend_for(app), max_batches=2)
        except Exception:  # the index catches up later; the write itself succeeded
            log.exception("search index: catching up failed")


@event.listens_for(Session, "after_commit")
def _remember_commit(_session: Session) -> None:
    if has_app_context():
        g.search_changed = True


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_catch_up_after_writes)
