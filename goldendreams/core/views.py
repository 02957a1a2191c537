"""Home page and the language switcher."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request

from goldendreams.core.http_cache import cached_page
from goldendreams.core.security import remember_choice
from goldendreams.core.templating import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
@cached_page
def home():
    return render_template("home.html")


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the reader's language in a cookie and go back to the page they were on."""
    if code not in current_app.config["LOCALES"]:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    remember_choice(response, current_app.config["LOCALE_COOKIE"], code)
    return response


@bp.get("/health")
def health():
    """For load balancers and the benchmark: no database, no template."""
    return {"status": "ok"}
