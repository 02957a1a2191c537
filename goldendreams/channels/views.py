"""The platforms' webhooks (``/channels/<name>/webhook``): verify the signature, store each
delivery, answer at once; the queue does the rest (handling.py). A channel with no
credentials answers 404; a bad signature 403, with nothing stored.

No CSRF (the platforms sign instead), no cookie, no rate limit (the platform sends what
workers wrote; refusing would lose it), nothing logged of the body.
"""

from __future__ import annotations

from flask import Blueprint, abort, request

from goldendreams.channels import services
from goldendreams.channels.adapters import adapter_for
from goldendreams.extensions import csrf

bp = Blueprint("channels", __name__, url_prefix="/channels", template_folder="templates")
csrf.exempt(bp)


@bp.get("/<name>/webhook")
def verify_webhook(name: str):
    """The platform checks the address before it sends there (Meta's hub.challenge)."""
    adapter = adapter_for(name) or abort(404)
    if not adapter.has_challenge:
        abort(405)
    return adapter.challenge(request) or abort(403)


@bp.post("/<name>/webhook")
def webhook(name: str):
    adapter = adapter_for(name) or abort(404)
    if not adapter.verify(request):
        abort(403)
    try:
        events = adapter.parse(request)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        # Signed, but not in the platform's shape (a field of another type, a list where
        # an object belongs): refused as a whole, nothing stored.
        abort(400)
    services.accept(adapter.platform, events)
    return adapter.acknowledge()
