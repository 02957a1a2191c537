"""Trends: per quarter, issues reported, cases opened and fixed, median days to a fix, the
share confirmed by workers and money paid back, as server-drawn charts; a brand compares
its suppliers. Read only: no models, no routes; sections on other features' pages."""

from flask import Blueprint, Flask

from goldendreams.core import panels
from goldendreams.trends import charts

#: No routes: it only makes templates/trends/ findable.
bp = Blueprint("trends", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register the trends sections on the organisation page and the portal's case list."""
    from goldendreams.trends import sections

    app.register_blueprint(bp)
    # For pages that hold the figures (the brand dashboard): trend_charts_for("brand", figures)
    app.jinja_env.globals["trend_charts_for"] = charts.quarter_charts
    panels.register(app, "organisation", "trends/_panel.html", sections.organisation, order=60)
    panels.register(app, "portal_cases", "trends/_panel.html", sections.portal_cases, order=60)
