"""Forgot your password: ask for a link (/login/forgot), then set a new password with it."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from goldendreams.accounts import resets, services, tasks, throttle
from goldendreams.accounts.forms import ForgotPasswordForm, NewPasswordForm
from goldendreams.accounts.views import security_log

bp = Blueprint("password_reset", __name__, template_folder="templates")


@bp.route("/login/forgot", methods=["GET", "POST"])
def forgot():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.staff_home"))
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form)
    email = form.email.data.strip().lower()
    account = throttle.account_hash(email)
    limits = resets.budgets(email)
    refused = next((name for name, budget in limits.items() if budget.exhausted()), None)
    if refused:
        # The same answer as ever (it must not tell what happened), but nothing is sent.
        security_log.warning("password reset refused (%s): account:%s", refused, account)
    else:
        for budget in limits.values():
            budget.spend()
        # The queue looks the address up: this request does the same work for any address.
        tasks.send_password_reset(email)
        security_log.info("password reset asked: account:%s", account)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    return render_template("accounts/forgot_sent.html", minutes=minutes)


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    found = resets.open_reset(token)
    if found is None:
        # Unknown, used, replaced or expired: one answer, which does not say which.
        return render_template("accounts/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = resets.use(found, form.new.data)
        except services.AccountError as error:
            form.new.errors.append(str(error))
        else:
            security_log.info("password reset with a link: user %s", user.id)
            if current_user.is_authenticated and current_user.id == user.id:  # its sessions ended
                logout_user()
                session.clear()
            flash(_("Your password is changed. Log in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/reset.html", form=form, min_length=services.MIN_PASSWORD_LENGTH
    )
