"""An industry association's page: figures over its members' cases (small ones hidden) and
the list of its members. Never a single case, a reference or a list of cases."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import permissions, queries
from goldendreams.extensions import db

bp = Blueprint(
    "association", __name__, url_prefix="/cases/association", template_folder="templates"
)


@bp.get("/")
@login_required
def figures():
    if not permissions.may_see_member_figures(current_user):
        abort(403)
    association = db.get_or_404(Organisation, current_user.organisation_id)
    return render_template(
        "cases/association.html",
        association=association,
        figures=queries.association_figures(association.id, str(get_locale() or "en")),
        members=queries.member_names(association.id),
    )
