"""The employer's job orders: the jobs agencies post in its name, to confirm or refuse."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation, OrgKind
from goldendreams.core.i18n import country_name, language_name
from goldendreams.extensions import db
from goldendreams.jobs import choices, permissions, queries, services
from goldendreams.jobs.forms import JobOrderForm
from goldendreams.jobs.models import Job

bp = Blueprint(
    "job_orders",
    __name__,
    template_folder="templates",
    url_prefix="/portal/<int:org_id>/job-orders",
)


def _own_employer(org_id: int) -> Organisation:
    if not permissions.may_act_for(current_user, org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind != OrgKind.EMPLOYER or not permissions.may_see_job_orders(current_user, org.id):
        abort(404)
    return org


def _own_order(org: Organisation, job_id: int) -> Job:
    item = db.get_or_404(Job, job_id)
    if item.employer_id != org.id or not permissions.may_see_job_order(current_user, item):
        abort(404)  # a job in another's name (or a draft) does not exist for this employer
    return item


def _labelled_funnel(job_id: int) -> dict:
    """The funnel's counts with their labels in the reader's language (the small groups
    put together: "Other")."""
    found = queries.funnel(job_id)
    labels = {
        "status": lambda value: choices.APPLICATION_STATUSES.get(value, value),
        "origin_country": country_name,
        "language": language_name,
    }

    def label_of(key: str, value: str) -> str:
        return _("Other") if value == queries.OTHER else labels[key](value)

    return {"total": found["total"]} | {
        key: [(label_of(key, value), count) for value, count in found[key]] for key in labels
    }


def _page(org: Organisation, item: Job, form: JobOrderForm, status: int = 200):
    return (
        render_template(
            "jobs/order.html",
            org=org,
            job=item,
            form=form,
            funnel=_labelled_funnel(item.id),
            may_decide=permissions.may_decide_job_order(current_user, item),
        ),
        status,
    )


@bp.get("/")
@login_required
def orders(org_id: int):
    org = _own_employer(org_id)
    return render_template("jobs/orders.html", org=org, jobs=queries.job_orders_of(org.id))


@bp.get("/<int:job_id>")
@login_required
def order(org_id: int, job_id: int):
    org = _own_employer(org_id)
    item = _own_order(org, job_id)
    return _page(org, item, JobOrderForm(positions=item.confirmed_positions or item.positions))


@bp.post("/<int:job_id>/decide")
@login_required
def decide(org_id: int, job_id: int):
    org = _own_employer(org_id)
    item = _own_order(org, job_id)
    form = JobOrderForm()
    if form.validate_on_submit():
        try:  # (the CSRF token is checked for every POST by CSRFProtect)
            services.decide_job_order(
                item,
                current_user,
                form.decision.data == "confirm",
                positions=form.positions.data,
                terms_right=form.terms_right.data,
                fees_right=form.fees_right.data,
                note=form.note.data,
            )
        except services.JobError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Saved. The agency is told."), "success")
            return redirect(url_for("job_orders.order", org_id=org.id, job_id=item.id))
    return _page(org, item, form)
