"""Serving an evidence file: decrypted, as a download nothing in a browser runs.

The headers of inbox/file_views.py: ``nosniff``, a sandboxing Content-Security-Policy, never
cached, and always ``attachment`` (a PDF or a picture is opened by the reader's own viewer,
not the site's page). The name given is ours ("evidence-3.pdf"): the original one may name
a worker and stays on the page of those who may read it.
"""

from __future__ import annotations

from flask import Response, abort

from goldendreams.core import files
from goldendreams.validation.models import Evidence


def send(item: Evidence, number: int) -> Response:
    try:
        data = files.load(item.file_key)
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype=item.content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="evidence-{number}.{item.extension}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def number_of(item: Evidence) -> int:
    """The file's place on its sign-off (1, 2, ...): the name it is downloaded under."""
    return [e.id for e in item.signoff.evidence].index(item.id) + 1
