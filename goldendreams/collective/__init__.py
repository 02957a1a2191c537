"""Collective cases: one remediation for many workers, their beneficiaries and repayments."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
