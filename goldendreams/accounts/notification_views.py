"""The notification settings page: each staff member chooses which e-mails they get."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.accounts import notifications
from goldendreams.accounts.forms import NotificationsForm
from goldendreams.core.forms import options

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.route("/staff/notifications", methods=["GET", "POST"])
@login_required
def settings():
    kinds = notifications.kinds_for(current_user)
    form = NotificationsForm()
    form.kinds.choices = options([(kind.value, notifications.KIND_LABELS[kind]) for kind in kinds])
    if form.validate_on_submit():
        notifications.set_notifications(current_user, form.kinds.data or [], form.locale.data)
        flash(_("Your choice of e-mails is saved."), "success")
        return redirect(url_for("notifications.settings"))
    if not form.is_submitted():
        muted = set(current_user.muted_notifications or [])
        form.kinds.data = [kind.value for kind in kinds if kind not in muted]
        form.locale.data = current_user.preferred_locale or get_locale().language
    return render_template("accounts/notifications.html", form=form, kinds=kinds)
