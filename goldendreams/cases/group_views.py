"""Community mobilizers' group complaints: log one for the workers who asked, follow it.

A mobilizer sees only the complaints they logged, and of each only its status (in the
words a worker reads), the steps shared with the organisation (status changes, what was
done to fix it) and the outcome: never the summary, notes, contacts or other cases.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import Organisation
from goldendreams.cases import permissions, services
from goldendreams.cases.forms import GroupCaseForm
from goldendreams.cases.models import Case, CaseSource
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.extensions import db

bp = Blueprint("group_cases", __name__, url_prefix="/cases/group", template_folder="templates")

#: The shared steps a mobilizer reads: status changes and what was done to fix it.
FOLLOWED_EVENTS = ("status", "remediation")


def _may_log() -> None:
    if not permissions.may_log_group_case(current_user):
        abort(403)


def _mine() -> list[Case]:
    """The group complaints the current mobilizer logged and still follows, newest first."""
    query = (
        select(Case)
        .filter_by(logged_by_id=current_user.id, source=CaseSource.GROUP.value)
        .options(selectinload(Case.organisation), selectinload(Case.referrals))
        .order_by(Case.id.desc())
    )
    return [
        case
        for case in db.session.scalars(query)
        if permissions.may_follow_group_case(current_user, case)
    ]


@bp.get("/")
@login_required
def group_list():
    _may_log()
    return render_template("cases/group_list.html", cases=_mine())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _may_log()
    form = GroupCaseForm()
    if form.validate_on_submit():
        try:
            case = services.open_group_case(
                current_user,
                db.get_or_404(Organisation, form.organisation_id.data),
                form.categories.data,
                form.workers.data,
                form.summary.data,
            )
        except services.CaseError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Sent. A caseworker of your organisation will look at it."), "success")
            return redirect(url_for("group_cases.group_case", case_id=case.public_id))
    return render_template("cases/group_new.html", form=form)


@bp.get("/<public_id:case_id>")
@login_required
def group_case(case_id: str):
    _may_log()
    item = by_public_id_or_404(Case, case_id)
    if not permissions.may_follow_group_case(current_user, item):
        abort(404)  # another's case: its existence is not theirs to know
    events = [e for e in item.events if e.shared and e.kind in FOLLOWED_EVENTS]
    return render_template("cases/group_case.html", case=item, events=events)
