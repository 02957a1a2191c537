"""A small memo with a time limit, per app and per worker process: for figures that cost a
scan of a large table and may be a minute old (lists of provinces, public metrics).

``CACHE_SECONDS`` sets the limit; 0 turns the memo off (the tests, which change data and
look again at once).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from threading import Lock

from flask import current_app

_lock = Lock()
MAX_ENTRIES = 500


def memo(function: Callable) -> Callable:
    """Remember ``function``'s answer for its (hashable) arguments for CACHE_SECONDS."""

    @functools.wraps(function)
    def remembered(*args):
        seconds = current_app.config["CACHE_SECONDS"]
        if not seconds:
            return function(*args)
        store = current_app.extensions.setdefault("goldendreams.memo", {})
        key = (function.__qualname__, function.__module__, args)
        now = time.monotonic()
        found = store.get(key)
        if found and now - found[0] < seconds:
            return found[1]
        value = function(*args)
        with _lock:
            if len(store) >= MAX_ENTRIES:  # arguments can come from a URL: stay bounded
                store.clear()
            store[key] = (now, value)
        return value

    return remembered
