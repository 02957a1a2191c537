"""Corrective action plans: what an employer or agency changes so the problem stays fixed."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
