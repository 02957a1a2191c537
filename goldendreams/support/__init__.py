"""The directory of services (legal aid, shelters, health care, ...) and referrals to them."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py)."""
    from goldendreams.core import panels as core_panels
    from goldendreams.support import (
        panels,
        tasks,  # noqa: F401 - registers the periodic task
    )
    from goldendreams.support.views import bp, cases_bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(cases_bp)
    core_panels.register(app, "case_top", "support/_case_overdue.html", panels.case_top, 40)
    core_panels.register(app, "case", "support/_case_referrals.html", panels.case, 40)
