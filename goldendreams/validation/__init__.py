"""An outcome validated twice: the business signs it off, the CSO verifies it, the workers
confirm it."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, tasks and panels (core/panels.py), and the rule
    that decides how a resolved case closes (cases.services.close_resolved)."""
    from goldendreams.cases.services import register_outcome_rule
    from goldendreams.validation import panels, services, views

    views.init_app(app)
    panels.register(app)
    register_outcome_rule(app, services.decide_outcome)
