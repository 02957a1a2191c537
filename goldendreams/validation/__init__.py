"""An outcome validated twice: the business signs it off, the CSO verifies it, the workers
confirm it."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
