"""The network's routing rules, for admins: which CSO takes each new case (/staff/routing)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import permissions, routing
from goldendreams.cases.forms import RoutingChangeForm, RoutingRuleForm
from goldendreams.cases.models import RoutingRule
from goldendreams.core.templating import MAX_ID
from goldendreams.extensions import db

bp = Blueprint("routing", __name__, url_prefix="/staff/routing")


def _admin_only() -> None:
    if not permissions.may_manage_routing(current_user):
        abort(403)


def _cso(cso_id: int | None) -> Organisation | None:
    return db.session.get(Organisation, cso_id) if cso_id and 0 < cso_id <= MAX_ID else None


def _prefix(rule: RoutingRule) -> str:
    """Each rule's form has its own field names (and so its own label ids) on the page."""
    return f"rule{rule.id}"


def _page(form: RoutingRuleForm, status: int = 200):
    rules = routing.rules()
    changes = {
        rule.id: RoutingChangeForm(formdata=None, prefix=_prefix(rule), cso_id=rule.cso_id)
        for rule in rules
    }
    return render_template(
        "cases/routing.html", rules=rules, form=form, changes=changes,
        is_catch_all=routing.is_catch_all,
    ), status  # fmt: skip


@bp.route("/", methods=["GET", "POST"])
@login_required
def rules():
    _admin_only()
    form = RoutingRuleForm()
    if form.validate_on_submit():
        try:
            routing.add_rule(
                current_user, _cso(form.cso_id.data), form.worker_country.data,
                form.worker_language.data, form.organisation_country.data,
            )  # fmt: skip
        except routing.RoutingError as error:
            form.form_errors.append(str(error))
            return _page(form, 400)
        flash(_("Saved."), "success")
        return redirect(url_for("routing.rules"))
    return _page(form, 400 if form.is_submitted() else 200)


@bp.post("/<int:rule_id>/<any(change, remove):action>")
@login_required
def act(rule_id: int, action: str):
    _admin_only()
    rule = db.get_or_404(RoutingRule, rule_id)
    try:
        if action == "change":
            form = RoutingChangeForm(prefix=_prefix(rule))
            if not form.validate_on_submit():
                abort(400)
            routing.change_rule(current_user, rule, _cso(form.cso_id.data))
        else:
            routing.remove_rule(current_user, rule)
    except routing.RoutingError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("routing.rules"))
