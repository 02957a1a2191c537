"""Forms of worker voice, with lazy-translated labels: the worker's (asking, writing with a
code) first, then the caseworkers'."""

from __future__ import annotations

# --- the worker's forms ----------------------------------------------------------------------

# --- the caseworkers' forms ------------------------------------------------------------------
