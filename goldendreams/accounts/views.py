"""Log in, log out, and the staff start page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from goldendreams.accounts import services
from goldendreams.accounts.forms import LoginForm
from goldendreams.accounts.models import User
from goldendreams.core.templating import safe_next
from goldendreams.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # Flask-Login's protection stores a hash of the client address and browser in the
    # session; we store neither (and mobile addresses change all the time).
    login_manager.session_protection = None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.staff_home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            session.pop("_id", None)  # the address/browser hash Flask-Login always adds
            flash(_("You are logged in."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("accounts.staff_home")))
        form.password.errors.append(_("Wrong email or password."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("core.home"))


@bp.get("/staff/")
@login_required
def staff_home():
    return render_template("accounts/staff_home.html")
