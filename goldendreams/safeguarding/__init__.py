"""Safeguarding: risk at intake, on-call alerts, check-ins and retaliation watch, and the
worker's consent before anything about them is shared."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
    from goldendreams.safeguarding import alerts, panels  # noqa: F401  (alerts: the tasks)
    from goldendreams.safeguarding.views import bp
    from goldendreams.safeguarding.worker_views import worker_bp

    app.register_blueprint(bp)
    app.register_blueprint(worker_bp)
    panels.init_app(app)
