"""Two-step login: setting up the app, the code at login, recovery codes, and the guard
that keeps people who must set it up away from everything else until they have."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from goldendreams.accounts import throttle, two_factor
from goldendreams.accounts.forms import EnrolForm, LoginCodeForm, RecoveryCodesForm, TurnOffForm
from goldendreams.accounts.models import User
from goldendreams.accounts.views import (
    PENDING_LOGIN,
    PENDING_LOGIN_SECONDS,
    finish_login,
    security_log,
)
from goldendreams.core.security import keyed_hash
from goldendreams.extensions import db

bp = Blueprint("two_factor", __name__, template_folder="templates")

#: What someone who must set up two-step login may still open: its pages, logging out,
#: the language switch and the stylesheet.
OPEN_WHILE_ENROLLING = frozenset(
    {"two_factor.overview", "two_factor.confirm", "accounts.logout", "core.set_language", "static"}
)

#: What a refused code says, by the login budget that ran out (the same budgets as wrong
#: passwords: guessing codes costs what guessing passwords does).
_WAIT = {
    "client": _l(
        "Too many wrong passwords or codes from this network. Wait 15 minutes, then try again."
    ),
    "account_here": _l(
        "Too many wrong passwords or codes for this account. Wait a little, then try again. "
        "An administrator can let you in sooner."
    ),
    "account": _l(
        "This account had too many wrong passwords or codes from many places. Ask an "
        "administrator to let you in."
    ),
}


@bp.before_app_request
def enrolment_first():
    """A required role without a confirmed second factor opens nothing but enrolment:
    every other address, read or sent, leads there."""
    if request.endpoint in OPEN_WHILE_ENROLLING or "sid" not in session:
        return None
    if current_user.is_authenticated and two_factor.must_enrol(current_user):
        flash(_("Set up two-step login before you go on."), "info")
        return redirect(url_for("two_factor.overview"))
    return None


# --- the second step of a login ---------------------------------------------------------------


def _pending_user() -> User | None:
    """The user whose password was right moments ago, while the code may still come."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict):
        return None
    user_id, at = pending.get("user"), pending.get("at")
    if not isinstance(user_id, int) or not isinstance(at, int):
        return None
    if not 0 <= time.time() - at <= PENDING_LOGIN_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return user if pending.get("password") == keyed_hash(user.password_hash) else None


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.staff_home"))
    user = _pending_user()
    if user is None:
        if PENDING_LOGIN in session:
            session.pop(PENDING_LOGIN)
            flash(_("The time for the code ran out. Please log in again."), "info")
        else:
            flash(_("Please log in with your email and password first."), "info")
        return redirect(url_for("accounts.login", next=request.args.get("next")))
    form = LoginCodeForm()
    budgets = throttle.login_budgets(user.email) if form.is_submitted() else {}
    refused = next((name for name, budget in budgets.items() if budget.exhausted()), None)
    if refused:
        security_log.warning("code refused (%s): user %s", refused, user.id)
        form.code.errors = [str(_WAIT[refused])]  # not validated: errors is a tuple
        return render_template("accounts/login_code.html", form=form), 429
    if form.validate_on_submit():
        kind = two_factor.verify(user, form.code.data)
        if kind is not None:
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                security_log.warning("recovery code used: user %s (%d left)", user.id, left)
            response = finish_login(user)
            if kind == "recovery":
                flash(
                    _(
                        "You used a recovery code; %(count)d are left. Make new ones on "
                        "the two-step login page if you lost your phone.",
                        count=left,
                    ),
                    "info",
                )
            return response
        for budget in budgets.values():
            budget.spend()
        # By account id, never the code typed.
        security_log.warning("code wrong: user %s", user.id)
        form.code.errors.append(_("This code is not right. Check the time on your phone."))
    return render_template("accounts/login_code.html", form=form)


# --- setting it up and managing it ------------------------------------------------------------


def _enrolment_page(form: EnrolForm, status: int = 200):
    secret = two_factor.pending_secret(current_user)
    uri = two_factor.provisioning_uri(current_user, secret)
    page = render_template(
        "accounts/two_factor_enrol.html",
        form=form,
        secret=two_factor.grouped(secret),
        qr=Markup(two_factor.qr_svg(uri)),  # noqa: S704 - segno's own markup, no user text
        required=two_factor.is_required(current_user),
    )
    return page, status


def _manage_page(codes_form=None, off_form=None, status: int = 200):
    may_turn_off = two_factor.may_turn_off(current_user)
    page = render_template(
        "accounts/two_factor.html",
        left=two_factor.recovery_codes_left(current_user),
        codes_form=codes_form or RecoveryCodesForm(formdata=None),
        off_form=(off_form or TurnOffForm(formdata=None)) if may_turn_off else None,
    )
    return page, status


@bp.get("/staff/two-factor")
@login_required
def overview():
    if two_factor.is_enrolled(current_user):
        return _manage_page()
    return _enrolment_page(EnrolForm(formdata=None))


@bp.post("/staff/two-factor/confirm")
@login_required
def confirm():
    factor = two_factor.factor_of(current_user)
    if factor is None or factor.confirmed_at is not None:
        return redirect(url_for("two_factor.overview"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm(current_user, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            security_log.info("second factor set up: user %s", current_user.id)
            # Shown in this answer only: the codes are stored nowhere in the clear.
            return render_template("accounts/two_factor_codes.html", codes=codes, new=True)
    return _enrolment_page(form)


@bp.post("/staff/two-factor/recovery-codes")
@login_required
def recovery_codes():
    if not two_factor.is_enrolled(current_user):
        return redirect(url_for("two_factor.overview"))
    form = RecoveryCodesForm()
    # Wrong proofs count like wrong current passwords: a stolen session cannot guess.
    budget = throttle.password_change_budget(current_user.id)
    if form.is_submitted() and budget.exhausted():
        security_log.warning("recovery codes refused: user %s", current_user.id)
        form.proof.errors = [_("Too many wrong tries. Wait 15 minutes, then try again.")]
        return _manage_page(codes_form=form, status=429)
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(current_user, form.proof.data)
        except two_factor.TwoFactorError as error:
            budget.spend()
            security_log.warning("recovery codes: wrong proof: user %s", current_user.id)
            form.proof.errors.append(str(error))
        else:
            security_log.info("recovery codes replaced: user %s", current_user.id)
            return render_template("accounts/two_factor_codes.html", codes=codes, new=False)
    return _manage_page(codes_form=form)


@bp.post("/staff/two-factor/off")
@login_required
def turn_off():
    if not two_factor.may_turn_off(current_user):
        abort(403)
    if not two_factor.is_enrolled(current_user):
        return redirect(url_for("two_factor.overview"))
    form = TurnOffForm()
    budget = throttle.password_change_budget(current_user.id)
    if form.is_submitted() and budget.exhausted():
        security_log.warning("turning off two-step login refused: user %s", current_user.id)
        form.code.errors = [_("Too many wrong tries. Wait 15 minutes, then try again.")]
        return _manage_page(off_form=form, status=429)
    if form.validate_on_submit():
        try:
            two_factor.turn_off(current_user, form.code.data)
        except two_factor.TwoFactorError as error:
            budget.spend()
            security_log.warning("turning off two-step login: wrong code: user %s", current_user.id)
            form.code.errors.append(str(error))
        else:
            security_log.info("second factor turned off: user %s", current_user.id)
            flash(_("Two-step login is off. Your password alone opens your account."), "success")
            return redirect(url_for("two_factor.overview"))
    return _manage_page(off_form=form)
