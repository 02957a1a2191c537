"""Requests refused before any work is done for them: a form with too many fields or too
big a body (413), a path with control characters (400).

Werkzeug counts the fields (MAX_FORM_PARTS) of multipart forms only; ours are sent
urlencoded, where 100,000 fields cost a worker a second before CSRF refused them. The count
here is of the raw body's separators, before anything is parsed. A NUL or a line break in a
path reached the database (PostgreSQL refuses NUL: a 500) and its log (a forged line).
"""

from __future__ import annotations

import io
import re
import typing as t

from flask import Flask, Request, abort, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

#: C0 control characters and DEL: no page's address holds one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class CountingFormParser(FormDataParser):
    """Werkzeug's parser, refusing urlencoded bodies with more than ``max_form_parts``
    fields too (multipart bodies are counted by Werkzeug itself)."""

    def _parse_urlencoded(self, stream: t.IO[bytes], mimetype, content_length, options):
        body = stream.read()  # already cut to max_content_length by Werkzeug
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        return super()._parse_urlencoded(io.BytesIO(body), mimetype, content_length, options)


class LimitedRequest(Request):
    form_data_parser_class = CountingFormParser


def refuse_control_characters() -> None:
    if CONTROL_CHARACTERS.search(request.path):
        abort(400)


def init_app(app: Flask) -> None:
    app.request_class = LimitedRequest
    # First of all hooks: none of them should see such a path.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
