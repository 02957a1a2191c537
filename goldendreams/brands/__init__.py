"""Brands take part: their dashboard, escalations with commitments, trends per quarter."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
