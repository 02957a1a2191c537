"""Translated error pages for 400, 403, 404, 413, 429 and 500, and the CSRF failure page."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("You cannot open this page"), _l("Your account does not allow this.")),
    404: (_l("Page not found"), _l("This page does not exist or was removed.")),
    405: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    413: (
        _l("This form is too big"),
        _l("It has too much text or too many parts. Please make it shorter and send it again."),
    ),
    429: (_l("Too many tries"), _l("Please wait a few minutes, then try again.")),
    500: (_l("Something went wrong on our side"), _l("Please try again later.")),
}


def render_error(code: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def handle_http_error(error: HTTPException):
    """Keep the status code; codes without their own text get the general one."""
    code = error.code or 500
    if code == 403 and current_user.is_authenticated:
        # A staff member tried a page their role or organisation does not allow.
        logging.getLogger("goldendreams.security").warning(
            "refused: user %s %s %s", current_user.id, request.method, request.path
        )
    if code not in MESSAGES:
        return render_error(code, *MESSAGES[500 if code >= 500 else 400])
    return render_error(code)


#: Where a worker writes (no account): an expired form gives back what they typed, ready to
#: send again. Staff forms do not: a page that re-sends what any site posted would let
#: another site choose what a logged-in staff member sends with one tap.
KEEP_TYPED_ON_EXPIRY = frozenset({"/ask", "/check/write", "/check/answer"})


def handle_csrf_error(error: CSRFError):
    if request.method == "POST" and request.path in KEEP_TYPED_ON_EXPIRY:
        kept = [(name, value) for name, value in request.form.items(multi=True)
                if name != "csrf_token"]  # fmt: skip
        return render_template("errors/expired_kept.html", kept=kept), 400
    return render_error(
        400,
        _l("This form has expired"),
        _l(
            "For your safety, forms stop working after some hours. "
            "Go back, reload the page, and send the form again."
        ),
    )


def init_app(app: Flask) -> None:
    from goldendreams.core import request_limits

    request_limits.init_app(app)  # what it refuses gets these pages
    app.register_error_handler(CSRFError, handle_csrf_error)
    # Unexpected exceptions reach this as a 500 after Flask has logged them.
    app.register_error_handler(HTTPException, handle_http_error)
