"""Organisation admins invite and switch off colleagues of their own organisation.

Everything here is about the signed-in admin's own organisation, never one named in the URL:
another organisation's accounts and invitations answer 404, as ids that do not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.accounts import invitations, permissions, queries, services
from goldendreams.accounts.forms import ActionForm, InviteForm
from goldendreams.accounts.models import Invitation, User
from goldendreams.accounts.users_views import invite_with, locale_choices, role_choices
from goldendreams.accounts.views import security_log
from goldendreams.extensions import db

bp = Blueprint("colleagues", __name__, url_prefix="/portal/colleagues")


def _org_admin_only() -> None:
    if not permissions.may_manage_colleagues(current_user):
        abort(403)


@bp.get("/")
@login_required
def colleague_list():
    _org_admin_only()
    org_id = current_user.organisation_id
    return render_template(
        "accounts/colleagues.html",
        colleagues=queries.colleagues(org_id),
        invitations=queries.open_invitations(org_id),
        action=ActionForm(),
    )


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite():
    _org_admin_only()
    form = InviteForm()
    # The organisation is the admin's own, and so is the role where they may invite only
    # theirs: not the form's to choose. A CSO's admin chooses caseworker or mobilizer.
    roles = permissions.invitable_roles(current_user)
    del form.organisation
    if len(roles) > 1:
        form.role.choices = role_choices(roles)
    else:
        del form.role
    form.locale.choices = locale_choices()
    if form.validate_on_submit():
        role = form.role.data if "role" in form else roles[0]
        if invite_with(form, role, current_user.organisation, form.org_admin.data):
            return redirect(url_for("colleagues.colleague_list"))
    return render_template("accounts/colleagues_invite.html", form=form)


@bp.post("/<int:user_id>/switch-off")
@login_required
def switch_off(user_id: int):
    _org_admin_only()
    colleague = db.session.get(User, user_id)
    if colleague is None or not permissions.may_manage_user(current_user, colleague):
        abort(404)  # another organisation's account is none of theirs: as if it did not exist
    if ActionForm().validate_on_submit():
        if colleague.id == current_user.id:
            flash(_("You cannot switch off your own account."), "error")
        elif permissions.may_switch_off(current_user, colleague):
            services.set_active(colleague, False, actor=current_user)
            security_log.info("switched off: user %s by user %s", colleague.id, current_user.id)
            flash(_("%(email)s is switched off and logged out.", email=colleague.email), "success")
    return redirect(url_for("colleagues.colleague_list"))


@bp.post("/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id: int):
    _org_admin_only()
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not permissions.may_manage_invitation(current_user, invitation):
        abort(404)
    if ActionForm().validate_on_submit() and invitation.used_at is None:
        invitations.withdraw(current_user, invitation)
        flash(_("The invitation is withdrawn: its link opens nothing now."), "success")
    return redirect(url_for("colleagues.colleague_list"))
