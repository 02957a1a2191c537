"""Log in, log out, and the staff start page."""

from __future__ import annotations

import logging
import sys
import time

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_url, login_user, logout_user

from goldendreams.accounts import permissions, queries, services, throttle, two_factor
from goldendreams.accounts.forms import EndSessionsForm, LoginForm, PasswordForm
from goldendreams.accounts.models import User
from goldendreams.core.security import keyed_hash
from goldendreams.core.templating import safe_next
from goldendreams.extensions import login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")


@bp.app_context_processor
def account_permissions() -> dict:
    """Templates ask ``account_permissions`` who may do what with accounts."""
    return {"account_permissions": permissions}


#: Staff logins, failures, lockouts, logouts, ended sessions and password changes, by
#: account id (a failed login by a keyed hash of the email typed): never a password, an
#: address or an email typed (a password typed into the email field would land here).
security_log = logging.getLogger("goldendreams.security")


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # Flask-Login's protection stores a hash of the client address and browser in the
    # session; we store neither (and mobile addresses change all the time).
    login_manager.session_protection = None
    # A staff session is checked (and its activity noted) before the view runs, never in
    # the middle of a view's own unfinished changes.
    app.before_request(_load_staff_session)
    if security_log.level == logging.NOTSET:
        security_log.setLevel(logging.INFO)
    if not security_log.hasHandlers():  # under gunicorn: its error log
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        security_log.addHandler(handler)


def _load_staff_session() -> None:
    if "sid" in session:
        current_user._get_current_object()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this browser's server-side session, if it is still open."""
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    user, ended = services.resume_session(token)
    if ended:
        g.session_ended = True
        session.clear()
        security_log.info("session ended after a pause or at its age limit")
    return user if user is not None and str(user.id) == user_id else None


@login_manager.unauthorized_handler
def unauthorized():
    if g.get("session_ended"):
        flash(_("You were away for a while, so we logged you out. Please log in again."), "info")
    else:
        flash(login_manager.login_message, "info")
    return redirect(login_url("accounts.login", request.url))


#: What a refused login says, by the budget that ran out.
_WAIT = {
    "client": _l("Too many wrong passwords from this network. Wait 15 minutes, then try again."),
    "account_here": _l(
        "Too many wrong passwords for this account. Wait a little, then try again. "
        "An administrator can let you in sooner."
    ),
    "account": _l(
        "This account had too many wrong passwords from many places. Ask an administrator "
        "to let you in."
    ),
}


#: The session key of a login whose password was right and whose code is still to come.
PENDING_LOGIN = "pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def finish_login(user: User):
    """Open a staff session for a user who proved who they are (the password, and the
    code from their app when they have one) and go where the login was asked for."""
    # A new session: nothing from before the login is carried into it.
    session.clear()
    session["sid"] = services.start_session(user)
    login_user(user)
    session.pop("_id", None)  # the address/browser hash Flask-Login always adds
    security_log.info("login: user %s", user.id)
    flash(_("You are logged in."), "success")
    return redirect(safe_next(request.args.get("next"), url_for("accounts.staff_home")))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.staff_home"))
    if request.method == "GET":
        session.pop(PENDING_LOGIN, None)  # "start again" from the code step
    form = LoginForm()
    budgets = throttle.login_budgets(request.form.get("email", "")) if form.is_submitted() else {}
    refused = next((name for name, budget in budgets.items() if budget.exhausted()), None)
    if refused:
        # Log every refusal: an administrator can see who is being guessed at.
        security_log.warning(
            "login refused (%s): account:%s", refused, throttle.account_hash(form.email.data)
        )
        form.password.errors = [str(_WAIT[refused])]  # not validated: errors is a tuple
        return render_template("accounts/login.html", form=form), 429
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and two_factor.is_enrolled(user):
            # The password is right; the code from the app finishes the login (at
            # /login/code, within PENDING_LOGIN_SECONDS). Nothing is logged in yet.
            session.clear()
            session[PENDING_LOGIN] = {
                "user": user.id,
                "at": int(time.time()),
                # A password changed meanwhile (by its owner, or a reset) ends it.
                "password": keyed_hash(user.password_hash),
            }
            security_log.info("password accepted, code asked: user %s", user.id)
            return redirect(url_for("two_factor.login_code", next=request.args.get("next")))
        if user is not None:
            return finish_login(user)
        for budget in budgets.values():
            budget.spend()
        security_log.warning("login failed: account:%s", throttle.account_hash(form.email.data))
        form.password.errors.append(_("Wrong email or password."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_session(session["sid"])
    security_log.info("logout: user %s", current_user.id)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    response = redirect(url_for("core.home"))
    # Staff pages are never stored (no-store); this also empties the browser's HTTP cache
    # of this site on a shared computer. Not "storage": the offline rights pages stay.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/staff/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    budget = throttle.password_change_budget(current_user.id)
    if form.is_submitted() and budget.exhausted():
        security_log.warning("password change refused: user %s", current_user.id)
        form.current.errors = [_("Too many wrong passwords. Wait 15 minutes, then try again.")]
        return render_template(
            "accounts/password.html", form=form, min_length=services.MIN_PASSWORD_LENGTH
        ), 429
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current.data, form.new.data, keep_token=session["sid"]
            )
        except services.WrongPasswordError as error:
            budget.spend()
            security_log.warning("wrong current password: user %s", current_user.id)
            form.current.errors.append(str(error))
        except services.AccountError as error:
            form.new.errors.append(str(error))
        else:
            security_log.info("password changed: user %s", current_user.id)
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("accounts.staff_home"))
    return render_template(
        "accounts/password.html", form=form, min_length=services.MIN_PASSWORD_LENGTH
    )


@bp.get("/staff/")
@login_required
def staff_home():
    return render_template("accounts/staff_home.html")


@bp.get("/staff/sessions")
@login_required
def sessions():
    rows = queries.open_sessions(current_user, session["sid"])
    return render_template("accounts/sessions.html", rows=rows, form=EndSessionsForm())


@bp.post("/staff/sessions/end-others")
@login_required
def end_other_sessions():
    if EndSessionsForm().validate_on_submit():
        services.end_other_sessions(current_user, session["sid"])
        security_log.info("other sessions ended: user %s", current_user.id)
        flash(_("You are logged out everywhere else."), "success")
    return redirect(url_for("accounts.sessions"))


# --- admins: staff accounts ------------------------------------------------------------------


@bp.get("/staff/accounts")
@login_required
def accounts():
    """The old address of the staff list (now /staff/users: accounts/users_views.py)."""
    if not permissions.may_manage_accounts(current_user):
        abort(403)
    return redirect(url_for("users.user_list"), 301)
