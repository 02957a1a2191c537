"""Corrective action plans: what an employer or agency changes so the problem stays fixed."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
    from goldendreams.core import panels
    from goldendreams.plans import brand_views, pages, portal_views, tasks, views
    from goldendreams.plans import panels as plan_panels

    del tasks  # imported for its periodic task
    app.register_blueprint(views.bp)
    app.register_blueprint(portal_views.bp)
    app.register_blueprint(brand_views.bp)
    app.context_processor(pages.plan_vocabulary)
    panels.register(app, "case", "plans/_case_panel.html", plan_panels.case_panel, order=60)
    panels.register(
        app, "portal_cases", "plans/_portal_panel.html", plan_panels.portal_cases_panel, order=60
    )
    panels.register(app, "brand", "plans/_brand_panel.html", plan_panels.brand_panel, order=60)
