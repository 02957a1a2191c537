"""Collective cases: one remediation for many workers, their beneficiaries and repayments."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
    from goldendreams.collective import choices, panels, permissions, queries
    from goldendreams.collective import tasks as _tasks  # noqa: F401 (registers)
    from goldendreams.collective.portal_views import portal_bp
    from goldendreams.collective.views import bp
    from goldendreams.core import panels as core_panels

    app.register_blueprint(bp)
    app.register_blueprint(portal_bp)

    @app.context_processor
    def collective_vocabulary() -> dict:
        return {
            "collective_choices": choices,
            "collective_permissions": permissions,
            "instalment_overdue": queries.is_overdue,
            "collective_overdue": queries.overdue_count,
        }

    core_panels.register(app, "case", "collective/_case_panel.html", panels.case_panel, order=40)
    core_panels.register(
        app, "portal_cases", "collective/_portal_panel.html", panels.portal_panel, order=40
    )
    core_panels.register(app, "brand", "collective/_brand_panel.html", panels.brand_panel, order=60)
    core_panels.register(
        app, "metrics", "collective/_metrics_panel.html", panels.metrics_panel, order=40
    )
