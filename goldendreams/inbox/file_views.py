"""The files a worker sent from a messaging app (voice notes, photos, videos, documents),
for the caseworkers of that conversation only (``permissions.may_see_attachments``).

Everyone else gets 404, whatever the key: the same answer as for a key that does not
exist, or that is another conversation's, so nobody learns that a file is there. Staff
pages: ``login_required`` and the two-step login guard (accounts/two_factor_views.py,
app-wide) come first, as on the rest of the inbox.

A view is not audited: these are the worker's words, shown inside the thread to the same
few people who read its text (which is not audited per view either); only the contact the
worker left is, because it reaches them outside the conversation.

What the browser gets cannot run: ``nosniff``, a sandboxing Content-Security-Policy, and
only pictures we re-encoded (channels/media.py), sound and video shown inline; anything
else is a download named "attachment". Never cached (``private, no-store``).
"""

from __future__ import annotations

from enum import StrEnum

from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required
from sqlalchemy import select

from goldendreams.core import files
from goldendreams.extensions import db
from goldendreams.inbox import permissions
from goldendreams.inbox.models import Conversation, Message

bp = Blueprint("inbox_files", __name__, url_prefix="/inbox")

OCTET_STREAM = "application/octet-stream"
#: The pictures a browser shows inline (channels/media.py writes only JPEG and PNG).
INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def _entry(conversation: Conversation, key: str) -> dict | None:
    """The attachment entry with this key among the conversation's messages, if any."""
    rows = db.session.scalars(
        select(Message.attachments).where(Message.conversation_id == conversation.id)
    )
    for attachments in rows:
        for entry in attachments or ():
            if isinstance(entry, dict) and entry.get("key") == key:
                return entry
    return None


class Shown(StrEnum):
    """How the thread shows one attachment (inbox/_attachments.html)."""

    AUDIO = "audio"
    IMAGE = "image"
    VIDEO = "video"
    DOWNLOAD = "download"
    TOO_LARGE = "too_large"
    FAILED = "failed"


def shown_inline(mime: str) -> bool:
    """Served for the browser to show (else as a download)."""
    return mime in INLINE_IMAGES or mime.startswith(("audio/", "video/"))


def shown_as(entry: dict) -> Shown | None:
    """A player, a picture or a link, as the file will be served: a voice note whose type
    is not served inline (not audio/*) is a download, and a document always is. None:
    nothing to show."""
    if not isinstance(entry, dict):
        return None
    if entry.get("missing"):
        return Shown.TOO_LARGE if entry["missing"] == "too_large" else Shown.FAILED
    if not entry.get("key"):
        return None
    mime = str(entry.get("mime") or OCTET_STREAM)
    # "document": channels.adapters.base.MediaKind.DOCUMENT (inbox may not import channels).
    if entry.get("kind") == "document" or not shown_inline(mime):
        return Shown.DOWNLOAD
    if mime.startswith("audio/"):
        return Shown.AUDIO
    return Shown.VIDEO if mime.startswith("video/") else Shown.IMAGE


@bp.app_context_processor
def attachment_vocabulary() -> dict:
    return {"attachment_shown_as": shown_as, "Shown": Shown}


@bp.get("/<int:conversation_id>/files/<key>")
@login_required
def attachment(conversation_id: int, key: str):
    if not permissions.may_use_inbox(current_user):
        abort(403)  # as every inbox page: this role has no inbox at all
    # Another CSO's conversation, like an unknown one: its existence is not theirs to know.
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not permissions.may_see_attachments(current_user, conversation):
        abort(404)
    entry = _entry(conversation, key)
    if entry is None:
        abort(404)
    try:
        data = files.load(key)
    except FileNotFoundError:  # erased since the page was drawn
        abort(404)
    mime = str(entry.get("mime") or OCTET_STREAM)
    if shown_inline(mime):
        response = Response(data, mimetype=mime)
        response.headers["Content-Disposition"] = "inline"
        # Players ask for byte ranges (Safari will not play sound or video without them).
        response.make_conditional(request, accept_ranges=True, complete_length=len(data))
    else:
        response = Response(data, mimetype=OCTET_STREAM)
        response.headers["Content-Disposition"] = 'attachment; filename="attachment"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
