"""Public job pages, applying, and the agency's job portal and pipeline."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from goldendreams.agencies.models import SECTORS, Organisation
from goldendreams.core.auth import may_act_for
from goldendreams.core.export import csv_response
from goldendreams.core.forms import ReportForm
from goldendreams.core.http_cache import cached_page
from goldendreams.core.money import format_money
from goldendreams.core.security import only_when_stored, setting
from goldendreams.core.templating import by_public_id_or_404, page_number
from goldendreams.extensions import db, limiter
from goldendreams.jobs import choices, permissions, queries, services, vetting
from goldendreams.jobs.forms import (
    ApplyForm,
    JobFilterForm,
    JobForm,
    MoveForm,
)
from goldendreams.jobs.models import Application, Job
from goldendreams.reviews import queries as review_queries

bp = Blueprint("jobs", __name__, template_folder="templates")
portal_bp = Blueprint("jobs_portal", __name__, url_prefix="/portal/<int:org_id>/jobs")


def check_fee_text(check: dict) -> str:
    """What a worker-fees check found, in the reader's money format ("MMK45,000 + THB500")."""
    return " + ".join(
        format_money(amount, currency) for currency, amount in vetting.check_fees(check)
    )


@bp.app_context_processor
def job_vocabulary() -> dict:
    return {
        "job_choices": choices,
        "sector_labels": SECTORS,
        "check_fee_text": check_fee_text,
    }


# --- jobseekers ---------------------------------------------------------------------------


@bp.get("/jobs/")
@cached_page
def job_list():
    form = JobFilterForm(request.args)
    form.fill_choices(queries.provinces())
    form.validate()
    values = {
        name: field.data
        for name, field in form._fields.items()
        # Errors first: comparing a refused "sNaN" with anything raises InvalidOperation.
        if not field.errors and field.data not in (None, "", False)
    }
    if not values.get("country") and (
        values.get("min_salary") is not None or values.get("sort") == "salary"
    ):
        # Pay is in baht in Thailand and ringgit in Malaysia: compare within one country.
        form.country.errors.append(_("Choose a country to compare pay."))
        values.pop("min_salary", None)
        values.pop("sort", None)
    page = db.paginate(
        queries.open_jobs(queries.JobFilters(**values)),
        page=page_number(),
        per_page=current_app.config["JOBS_PAGE_SIZE"],
        error_out=False,
    )
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template("jobs/list.html", form=form, page=page)


def _public_job(job_id: int) -> Job:
    job = db.get_or_404(Job, job_id)
    if job.status not in ("published", "closed"):
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
@cached_page
def job(job_id: int):
    item = _public_job(job_id)
    scores = review_queries.scores_for([item.agency_id, item.employer_id or 0])
    # ?lang= picks another version ("Other languages" links); anything else is ignored.
    asked = next((t for t in item.texts if t.locale == request.args.get("lang")), None)
    return render_template(
        "jobs/job.html",
        job=item,
        text=asked or item.text_for(str(get_locale())),
        asked=asked is not None,
        is_open=services.is_open(item),
        scores=scores,
        minimum=vetting.minimum_for(item),
        confirmed=permissions.is_confirmed(item),
        unconfirmed=permissions.unconfirmed_public(item),
    )


@bp.route("/jobs/<int:job_id>/apply", methods=["GET", "POST"])
# Every try counts, not only stored ones: otherwise the "applied before" answer would let
# anyone test phone numbers without limit.
@limiter.limit(setting("APPLY_RATE_LIMIT"), methods=["POST"])
def apply(job_id: int):
    item = _public_job(job_id)
    if not services.is_open(item):
        return redirect(url_for("jobs.job", job_id=item.id))
    form = ApplyForm(language=str(get_locale()))
    if form.validate_on_submit():
        try:
            _application, code = services.apply(
                item, form.name.data, form.phone.data, form.origin_country.data,
                form.origin_region.data, form.language.data, form.consent.data,
            )  # fmt: skip
        except services.JobError as error:
            form.form_errors.append(str(error))
        else:
            g.stored = True
            return render_template("jobs/applied.html", job=item, code=code)
    # Only what they sent: the language picked for them on a first visit is a guess.
    mismatch = set()
    if form.is_submitted():
        mismatch = queries.mismatches(item, form.origin_country.data, form.language.data)
    return render_template("jobs/apply.html", job=item, form=form, mismatch=mismatch)


@bp.route("/jobs/<int:job_id>/report", methods=["GET", "POST"])
@limiter.limit(setting("FLAG_RATE_LIMIT"), methods=["POST"], deduct_when=only_when_stored)
def report(job_id: int):
    item = _public_job(job_id)
    form = ReportForm(question=_l("What is wrong with this job?"), reasons=choices.FLAG_REASONS)
    if form.validate_on_submit():
        try:
            services.flag_job(item, form.reason.data, form.note.data)
        except services.JobError as error:
            form.form_errors.append(str(error))
        else:
            g.stored = True
            flash(_("Thank you. A moderator will look at this job."), "success")
            return redirect(url_for("jobs.job", job_id=item.id))
    return render_template("jobs/report.html", job=item, form=form)


# --- the agency's portal ------------------------------------------------------------------


def _own_agency(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind != "agency":
        abort(404)
    return org


def _own_job(org: Organisation, job_id: int) -> Job:
    item = db.get_or_404(Job, job_id)
    if item.agency_id != org.id:
        abort(404)  # another agency's job does not exist, as far as this agency knows
    return item


def _employers(org: Organisation, job: Job | None) -> list[Organisation]:
    """The employers the agency recruits for; a job keeps the one it has, even unlinked."""
    employers = queries.employers_of(org.id)
    if job is not None and job.employer is not None and job.employer not in employers:
        employers.append(job.employer)
    return employers


def _origin_agencies(org: Organisation, job: Job | None) -> list[Organisation]:
    """The origin agencies working with the agency; a job keeps the one it has."""
    agencies = queries.origin_agencies_of(org.id)
    if job is not None and job.origin_agency is not None and job.origin_agency not in agencies:
        agencies.append(job.origin_agency)
    return agencies


@portal_bp.get("/")
@login_required
def portal_jobs(org_id: int):
    org = _own_agency(org_id)
    return render_template("jobs/portal_list.html", org=org, jobs=queries.jobs_of_agency(org.id))


@portal_bp.route("/new", methods=["GET", "POST"])
@portal_bp.route("/<int:job_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int, job_id: int | None = None):
    org = _own_agency(org_id)
    item = _own_job(org, job_id) if job_id else None
    employers = _employers(org, item)
    form = JobForm(employers=employers, origin_agencies=_origin_agencies(org, item))
    if item is not None and not form.is_submitted():
        form.process(obj=item)
        form.load(item)
    if form.validate_on_submit():
        try:
            item = services.save_job(
                org, current_user, form.job_fields(), form.job_texts(), form.fee_lines(), item
            )
        except services.JobError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("jobs_portal.detail", org_id=org.id, job_id=item.id))
    return render_template("jobs/edit.html", org=org, job=item, form=form, employers=employers)


@portal_bp.get("/<int:job_id>")
@login_required
def detail(org_id: int, job_id: int):
    org = _own_agency(org_id)
    item = _own_job(org, job_id)
    return render_template("jobs/portal_job.html", org=org, job=item)


@portal_bp.post("/<int:job_id>/<any(submit, close, copy):action>")
@login_required
def act(org_id: int, job_id: int, action: str):
    org = _own_agency(org_id)
    item = _own_job(org, job_id)
    try:  # (the CSRF token is checked for every POST by CSRFProtect)
        if action == "submit":
            services.submit_job(item, current_user)
            flash(_("Sent. A moderator will check the job."), "success")
        elif action == "close":
            services.close_job(item, current_user)
            flash(_("The job is closed."), "success")
        else:
            item = services.copy_job(item, current_user)
            flash(_("A copy was made. Check it and set a new deadline."), "success")
            return redirect(url_for("jobs_portal.edit", org_id=org.id, job_id=item.id))
    except services.JobError as error:
        flash(str(error), "error")
    return redirect(url_for("jobs_portal.detail", org_id=org.id, job_id=item.id))


@portal_bp.get("/<int:job_id>/applications")
@login_required
def applications(org_id: int, job_id: int):
    org = _own_agency(org_id)
    item = _own_job(org, job_id)
    return render_template(
        "jobs/applications.html",
        org=org,
        job=item,
        applications=queries.applications_of(item.id),
        mismatches=queries.mismatches,
        form=MoveForm(),
    )


@portal_bp.post("/<int:job_id>/applications/<public_id:application_id>")
@login_required
def move(org_id: int, job_id: int, application_id: str):
    org = _own_agency(org_id)
    item = _own_job(org, job_id)
    application = by_public_id_or_404(Application, application_id)
    if application.job_id != item.id:
        abort(404)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            services.move_application(
                application, current_user, form.status.data, form.message.data
            )
        except services.JobError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    anchor = f"a-{application.public_id}"
    return redirect(
        url_for("jobs_portal.applications", org_id=org.id, job_id=item.id, _anchor=anchor)
    )


@portal_bp.get("/<int:job_id>/applications.csv")
@login_required
def export(org_id: int, job_id: int):
    org = _own_agency(org_id)
    item = _own_job(org, job_id)
    rows = [["id", "applied_on", "name", "phone", "origin_country", "origin_region",
             "language", "status", "message"]]  # fmt: skip
    rows += [
        [a.public_id, a.applied_on, a.name, a.phone, a.origin_country, a.origin_region, a.language,
         a.status, a.message]
        for a in queries.applications_of(item.id)
    ]  # fmt: skip
    return csv_response(rows, f"job-{item.id}-applications")
