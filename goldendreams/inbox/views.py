"""The caseworkers' inbox: conversations of their CSO, one conversation's thread and what
they do with it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbox", __name__, template_folder="templates", url_prefix="/inbox")

from goldendreams.inbox import services  # noqa: E402,F401  (helpers: replace with real routes)
