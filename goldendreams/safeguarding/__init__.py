"""Safeguarding: risk at intake, on-call alerts, check-ins and retaliation watch."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
