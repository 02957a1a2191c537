"""Admins manage staff accounts from the web (/staff/users); invited people open theirs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from goldendreams.accounts import invitations, permissions, queries, services
from goldendreams.accounts.forms import (
    ActionForm,
    InviteForm,
    NewPasswordForm,
    RoleForm,
    UserFilterForm,
)
from goldendreams.accounts.models import Invitation, User
from goldendreams.accounts.views import security_log
from goldendreams.core.auth import ROLE_LABELS, Role
from goldendreams.core.forms import options
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.templating import page_number
from goldendreams.extensions import db

bp = Blueprint("users", __name__, template_folder="templates")

#: Accounts per page of the staff list.
PAGE_SIZE = 50


def _admin_only() -> None:
    if not permissions.may_manage_accounts(current_user):
        abort(403)


def role_choices(roles) -> list:
    return options((role.value, ROLE_LABELS[role]) for role in roles)


def organisation_choices(organisations, empty_label) -> list:
    return options([("", empty_label), *((str(org.id), org.name) for org in organisations)])


def organisations_for_roles(empty_label) -> list:
    """The choices of an account's organisation: one group per kind of account, named by
    its roles (a select shows it as headings), so each role finds the organisations it may
    have."""
    choices = [SelectChoice("", empty_label)]
    for roles, organisations in queries.organisations_by_role():
        group = ", ".join(str(ROLE_LABELS[role]) for role in roles)
        choices += [SelectChoice(str(org.id), org.name, optgroup=group) for org in organisations]
    return choices


def locale_choices() -> list:
    return options(LANGUAGE_NAMES.items())


def chosen_organisation(field):
    """The organisation a select field names (its choices are all real ones), or None."""
    return queries.organisation(int(field.data)) if field.data else None


def invite_with(form: InviteForm, role: str, organisation, org_admin: bool) -> bool:
    """Send the invitation the form asks for; on a broken rule, say so on the form."""
    try:
        invitations.checked_role(role, organisation)
    except services.AccountError as error:
        (form.organisation if "organisation" in form else form.email).errors.append(str(error))
        return False
    try:
        invitation = invitations.invite(
            current_user, form.email.data, role, organisation, org_admin, form.locale.data
        )
    except invitations.AddressTaken as error:
        if permissions.may_manage_accounts(current_user):
            form.email.errors.append(str(error))
            return False
        # An organisation's admin learns nothing about addresses beyond their organisation.
        security_log.info("invitation by user %s not sent: address taken", current_user.id)
        flash(_("The invitation is sent to %(email)s.", email=form.email.data.strip()), "success")
        return True
    except services.AccountError as error:
        form.email.errors.append(str(error))
        return False
    security_log.info("invitation %s sent by user %s", invitation.id, current_user.id)
    flash(_("The invitation is sent to %(email)s.", email=invitation.email), "success")
    return True


# --- the staff list --------------------------------------------------------------------------


@bp.get("/staff/users")
@login_required
def user_list():
    _admin_only()
    form = UserFilterForm(request.args)
    everyone = _l("All")
    form.role.choices = options([("", everyone), *((r.value, ROLE_LABELS[r]) for r in Role)])
    form.organisation.choices = organisation_choices(queries.organisations_with_staff(), everyone)
    form.validate()
    role = form.role.data if form.role.data and not form.role.errors else None
    org_id = form.organisation.data if not form.organisation.errors else ""
    page = db.paginate(
        queries.staff_query(role, int(org_id) if org_id else None),
        page=page_number(),
        per_page=PAGE_SIZE,
        max_per_page=PAGE_SIZE,
        error_out=False,
        count=True,
    )
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template(
        "accounts/users.html",
        form=form,
        page=page,
        invitations=queries.open_invitations(),
        action=ActionForm(),
    )


@bp.route("/staff/users/invite", methods=["GET", "POST"])
@login_required
def invite():
    _admin_only()
    form = InviteForm()
    form.role.choices = role_choices(permissions.invitable_roles(current_user))
    form.organisation.choices = organisations_for_roles(_l("None"))
    form.locale.choices = locale_choices()
    if form.validate_on_submit():
        organisation = chosen_organisation(form.organisation)
        if invite_with(form, form.role.data, organisation, form.org_admin.data):
            return redirect(url_for("users.user_list"))
    return render_template("accounts/users_invite.html", form=form)


@bp.post("/staff/users/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id: int):
    _admin_only()
    invitation = db.get_or_404(Invitation, invitation_id)
    if ActionForm().validate_on_submit() and invitation.used_at is None:
        invitations.withdraw(current_user, invitation)
        flash(_("The invitation is withdrawn: its link opens nothing now."), "success")
    return redirect(url_for("users.user_list"))


# --- one account -----------------------------------------------------------------------------


def _managed_user(user_id: int) -> User:
    _admin_only()
    return db.get_or_404(User, user_id)


@bp.route("/staff/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user(user_id: int):
    target = _managed_user(user_id)
    current = {
        "role": target.role,
        "organisation": str(target.organisation_id or ""),
        "org_admin": target.org_admin,
    }
    form = RoleForm(data=current if request.method == "GET" else None)
    form.role.choices = role_choices(Role)
    form.organisation.choices = organisations_for_roles(_l("None"))
    if form.validate_on_submit():
        try:
            services.change_role(
                current_user,
                target,
                form.role.data,
                chosen_organisation(form.organisation),
                form.org_admin.data,
            )
        except services.AccountError as error:
            form.role.errors.append(str(error))
        else:
            security_log.info("role changed: user %s by user %s", target.id, current_user.id)
            flash(_("Saved."), "success")
            return redirect(url_for("users.user", user_id=target.id))
    return render_template(
        "accounts/users_edit.html", target=target, form=form, action=ActionForm()
    )


def _back_to(target: User):
    return redirect(url_for("users.user", user_id=target.id))


@bp.post("/staff/users/<int:user_id>/switch-off")
@login_required
def switch_off(user_id: int):
    target = _managed_user(user_id)
    if ActionForm().validate_on_submit():
        try:
            services.set_active(target, False, actor=current_user)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            security_log.info(
                "account switched off: user %s by user %s", target.id, current_user.id
            )
            flash(_("%(email)s is switched off and logged out.", email=target.email), "success")
    return _back_to(target)


@bp.post("/staff/users/<int:user_id>/switch-on")
@login_required
def switch_on(user_id: int):
    target = _managed_user(user_id)
    if ActionForm().validate_on_submit():
        services.set_active(target, True, actor=current_user)
        security_log.info("account switched on: user %s by user %s", target.id, current_user.id)
        flash(_("%(email)s can log in again.", email=target.email), "success")
    return _back_to(target)


@bp.post("/staff/users/<int:user_id>/let-in")
@login_required
def lift_lockout(user_id: int):
    target = _managed_user(user_id)
    if ActionForm().validate_on_submit():
        services.lift_login_lockout(current_user, target)
        security_log.info("login lockout lifted: user %s by user %s", target.id, current_user.id)
        flash(_("%(email)s can log in again now.", email=target.email), "success")
    return _back_to(target)


@bp.post("/staff/users/<int:user_id>/second-factor/reset")
@login_required
def reset_second_factor(user_id: int):
    target = _managed_user(user_id)
    if ActionForm().validate_on_submit():
        services.reset_second_factor(current_user, target)
        security_log.info("second factor reset: user %s by user %s", target.id, current_user.id)
        flash(
            _("The second factor of %(email)s is cleared; they are told by e-mail.",
              email=target.email),
            "success",
        )  # fmt: skip
    return _back_to(target)


# --- an invitation's link --------------------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.open_invitation(token)
    if invitation is None:
        # Unknown, used, withdrawn or expired: one answer, which does not say which.
        return render_template("accounts/invitation_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(invitation, form.new.data)
        except services.AccountError as error:
            form.new.errors.append(str(error))
        else:
            security_log.info("invitation %s accepted: user %s", invitation.id, user.id)
            flash(_("Your account is ready. Log in with your e-mail and new password."), "success")
            return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/invitation.html",
        invitation=invitation,
        form=form,
        role_label=ROLE_LABELS[Role(invitation.role)],
        min_length=services.MIN_PASSWORD_LENGTH,
    )
