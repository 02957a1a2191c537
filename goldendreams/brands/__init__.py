"""Brands take part: their dashboard, escalations with commitments, trends per quarter."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
    from goldendreams.brands import cso_views, panels, views
    from goldendreams.brands import tasks as _tasks  # noqa: F401 (registers the daily task)
    from goldendreams.core import panels as core_panels

    app.register_blueprint(views.bp)
    app.register_blueprint(cso_views.bp)
    core_panels.register(app, "case", "brands/_case_panel.html", panels.case_panel, order=70)
    core_panels.register(
        app, "portal_cases", "brands/_portal_panel.html", panels.portal_panel, order=70
    )
    core_panels.register(app, "brand", "brands/_corridors.html", panels.corridor_panel, order=20)
