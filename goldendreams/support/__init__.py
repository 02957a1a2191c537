"""The directory of services (legal aid, shelters, health care, ...) and referrals to them."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
