"""The messaging channels, for admins (/staff/channels): each platform on or off (with the
settings it lacks, by name), the webhook address to register with it, who owns its account
(the network's routing rules, or one CSO) and how many conversations came in on it in the
last 30 days.

Credentials are settings, never shown and never changed here; owners are changed through
``services.set_owner`` (audited).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.channels import permissions, queries, services
from goldendreams.channels.forms import OwnerForm
from goldendreams.channels.models import Platform
from goldendreams.extensions import db

bp = Blueprint(
    "channels_admin", __name__, url_prefix="/staff/channels", template_folder="templates"
)

#: The platforms' names, as the address takes them (anything else is not found).
_PLATFORMS = ", ".join(Platform)


@bp.app_context_processor
def channel_vocabulary() -> dict:
    """Templates ask ``channel_permissions`` who may see this page (the staff home)."""
    return {"channel_permissions": permissions}


def _admin_only() -> None:
    if not permissions.may_manage_channels(current_user):
        abort(403)


@bp.get("/")
@login_required
def overview():
    _admin_only()
    csos = queries.csos()
    owners = queries.owners()
    forms = {
        platform: OwnerForm(
            formdata=None, prefix=str(platform), csos=csos,
            owner_id=owner.id if owner is not None else None,
        )
        for platform, owner in owners.items()
    }  # fmt: skip
    return render_template(
        "channels/admin.html",
        states=queries.platform_states(current_app.config),
        owners=owners,
        forms=forms,
        recent=queries.recent_conversations(),
        recent_days=queries.RECENT_DAYS,
    )


@bp.post(f"/<any({_PLATFORMS}):platform>/owner")
@login_required
def set_owner(platform: str):
    _admin_only()
    form = OwnerForm(prefix=platform, csos=queries.csos())
    if not form.validate():
        flash(_("Choose an organisation of the network from the list."), "error")
        return redirect(url_for("channels_admin.overview"))
    chosen = form.owner_id.data
    owner = db.session.get(Organisation, chosen) if chosen is not None else None
    try:
        services.set_owner(current_user, Platform(platform), owner)
    except services.ChannelError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("channels_admin.overview"))
