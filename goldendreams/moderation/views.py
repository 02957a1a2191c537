"""The moderation queue and the decisions on reviews, replies and reports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from goldendreams.agencies import claims
from goldendreams.agencies.forms import RefuseClaimForm
from goldendreams.agencies.models import KIND_LABELS, ClaimStatus, ProfileClaim
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy as case_taxonomy
from goldendreams.cases.forms import OpenCaseForm
from goldendreams.core.auth import roles_required
from goldendreams.core.forms import options
from goldendreams.core.templating import page_number
from goldendreams.extensions import db
from goldendreams.inbox import permissions as inbox_permissions
from goldendreams.inbox import services as inbox_services
from goldendreams.inbox.forms import AskReviewerForm
from goldendreams.jobs import choices as job_choices
from goldendreams.jobs import permissions as job_permissions
from goldendreams.jobs import services as job_services
from goldendreams.jobs.models import Job, JobFlag
from goldendreams.moderation import permissions, queries
from goldendreams.moderation.forms import (
    DecisionForm,
    PublishForm,
    RejectForm,
    ReviewSearchForm,
)
from goldendreams.reviews import queries as review_queries
from goldendreams.reviews import services as review_services
from goldendreams.reviews.choices import PII_KINDS
from goldendreams.reviews.models import Flag, Reply, Review

bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")

MODERATORS = tuple(permissions.MODERATORS)
READERS = tuple(permissions.READERS)
STAFF_REVIEWS_PAGE_SIZE = 25


@bp.app_context_processor
def moderation_vocabulary() -> dict:
    """Templates ask these who may do what (never compare roles themselves)."""
    return {"moderation_permissions": permissions}


@bp.get("/")
@roles_required(*MODERATORS)
def queue():
    return render_template("moderation/queue.html", items=queries.queue())


@bp.get("/reviews/")
@roles_required(*READERS)
def review_list():
    """Every review, newest first: staff find one again to read it or open a case."""
    form = ReviewSearchForm(request.args)
    form.validate()
    values = {name: f.data for name, f in form._fields.items() if f.data and not f.errors}
    page = db.paginate(
        queries.staff_reviews(
            values.get("q", ""), values.get("organisation", ""), values.get("status", "")
        ),
        page=page_number(),
        per_page=STAFF_REVIEWS_PAGE_SIZE,
        max_per_page=STAFF_REVIEWS_PAGE_SIZE,
        error_out=False,
        count=True,
    )
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template("moderation/review_list.html", form=form, page=page)


def _redaction_label(review: Review, item: dict) -> str:
    hidden = getattr(review, item["field"])[item["start"] : item["end"]]
    return f"{PII_KINDS[item['kind']]}: {hidden}"


def _publish_form(review: Review) -> PublishForm:
    form = PublishForm()
    form.keep.choices = options(
        (index, _redaction_label(review, item)) for index, item in enumerate(review.redactions)
    )
    if not form.is_submitted():
        form.keep.data = list(range(len(review.redactions)))
    return form


def _open_case_form(review: Review) -> OpenCaseForm:
    form = OpenCaseForm()
    if not form.is_submitted():
        form.categories.data = sorted(case_taxonomy.suggested_codes(review))
    return form


def _review_page(review: Review, publish: PublishForm, reject: RejectForm, status: int = 200,
                 open_case: OpenCaseForm | None = None):  # fmt: skip
    return (
        render_template(
            "moderation/review.html",
            open_case=open_case or _open_case_form(review),
            case=case_services.case_for_review(review.id),
            review=review,
            # Caseworkers and admins only: nobody else learns that a review's worker talks
            # with the network.
            conversation=inbox_services.for_review(review.id)
            if inbox_permissions.may_use_inbox(current_user)
            else None,
            ask_worker=AskReviewerForm(formdata=None),
            title_segments=review_queries.review_segments(review, "title"),
            body_segments=review_queries.review_segments(review, "body"),
            flags=queries.open_flags_of(review.id),
            publish=publish,
            reject=reject,
        ),
        status,
    )


@bp.get("/reviews/<int:review_id>")
@roles_required(*READERS)
def review(review_id: int):
    item = db.get_or_404(Review, review_id)
    return _review_page(item, _publish_form(item), RejectForm())


@bp.post("/reviews/<int:review_id>/publish")
@roles_required(*MODERATORS)
def publish(review_id: int):
    item = db.get_or_404(Review, review_id)
    form = _publish_form(item)
    if form.validate_on_submit():
        try:
            review_services.publish_review(
                item,
                current_user,
                set(form.keep.data or []),
                (form.hide_also.data or "").splitlines(),
            )
        except review_services.ReviewError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Published."), "success")
            return redirect(url_for("moderation.queue"))
    return _review_page(item, form, RejectForm(formdata=None), 400)


@bp.post("/reviews/<int:review_id>/reject")
@roles_required(*MODERATORS)
def reject(review_id: int):
    item = db.get_or_404(Review, review_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            review_services.reject_review(item, current_user, form.reason.data, form.note.data)
        except review_services.ReviewError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved. The review will not be published."), "success")
            return redirect(url_for("moderation.queue"))
    return _review_page(item, _publish_form(item), form, 400)


@bp.route("/replies/<int:reply_id>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def reply(reply_id: int):
    item = db.get_or_404(Reply, reply_id)
    form, reject_form = DecisionForm(), RejectForm()
    if request.method == "POST":
        if request.form.get("decision") not in ("publish", "reject"):
            abort(400)
        publish_it = request.form.get("decision") == "publish"
        if form.validate_on_submit() and (publish_it or reject_form.validate()):
            try:
                review_services.decide_reply(
                    item, current_user, publish_it, None if publish_it else reject_form.reason.data
                )
            except review_services.ReviewError as error:
                flash(str(error), "error")
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("moderation.queue"))
    return render_template(
        "moderation/reply.html",
        reply=item,
        segments=review_queries.reply_segments(item),
        form=form,
        reject=reject_form,
    )


def _decide_report(report, decide, error_class, template: str):
    """Keep the reported item, or take it down: the same page for reviews and jobs."""
    form = DecisionForm()
    if form.validate_on_submit():
        decision = request.form.get("decision")
        if decision not in ("dismiss", "uphold"):
            abort(400)
        try:
            decide(report, current_user, uphold=decision == "uphold")
        except error_class as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("moderation.queue"))
    return render_template(template, flag=report, form=form)


@bp.route("/flags/<int:flag_id>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def flag(flag_id: int):
    return _decide_report(
        db.get_or_404(Flag, flag_id),
        review_services.decide_flag,
        review_services.ReviewError,
        "moderation/flag.html",
    )


@bp.post("/reviews/<int:review_id>/case")
@roles_required(*case_permissions.OPEN_FROM_REVIEW)
def open_case(review_id: int):
    item = db.get_or_404(Review, review_id)
    form = _open_case_form(item)
    if form.validate_on_submit():
        try:
            case = case_services.open_from_review(
                item, current_user, form.categories.data, form.severity.data, form.workers.data
            )
        except case_services.CaseError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Case %(reference)s is open.", reference=case.reference), "success")
            if case_permissions.may_run_case(current_user, case):
                return redirect(url_for("cases.case", case_id=case.id))
            return redirect(url_for("moderation.review", review_id=item.id))
    return _review_page(item, _publish_form(item), RejectForm(formdata=None), 400, form)


# --- jobs -----------------------------------------------------------------------------


def _job_reject_form(**kwargs) -> RejectForm:
    return RejectForm(
        reasons=job_choices.MODERATION_REJECT_REASONS,
        note_label=_l("Note for the agency (optional; needed for “Another reason”)"),
        **kwargs,
    )


def _job_page(job: Job, reject: RejectForm, status: int = 200):
    return (
        render_template(
            "moderation/job.html",
            job=job,
            order_blocker=job_permissions.publish_blocker(job),
            reject=reject,
            form=DecisionForm(),
            flags=list(db.session.scalars(select(JobFlag).filter_by(job_id=job.id, status="open"))),
        ),
        status,
    )


@bp.get("/jobs/<int:job_id>")
@roles_required(*MODERATORS)
def job(job_id: int):
    return _job_page(db.get_or_404(Job, job_id), _job_reject_form())


@bp.post("/jobs/<int:job_id>/publish")
@roles_required(*MODERATORS)
def publish_job(job_id: int):
    item = db.get_or_404(Job, job_id)
    try:
        job_services.publish_job(item, current_user)
    except job_services.JobError as error:
        flash(str(error), "error")
        return _job_page(item, _job_reject_form(formdata=None), 400)
    flash(_("Published."), "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/jobs/<int:job_id>/reject")
@roles_required(*MODERATORS)
def reject_job(job_id: int):
    item = db.get_or_404(Job, job_id)
    form = _job_reject_form()
    if form.validate_on_submit():
        try:
            job_services.reject_job(item, current_user, form.reason.data, form.note.data)
        except job_services.JobError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved. The agency will see the reason."), "success")
            return redirect(url_for("moderation.queue"))
    return _job_page(item, form, 400)


@bp.route("/job-flags/<int:flag_id>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def job_flag(flag_id: int):
    return _decide_report(
        db.get_or_404(JobFlag, flag_id),
        job_services.decide_job_flag,
        job_services.JobError,
        "moderation/job_flag.html",
    )


# --- profile claims: "Work here? Ask for an account" ------------------------------------


def _claim_page(item: ProfileClaim, refuse: RefuseClaimForm, status: int = 200):
    return (
        render_template(
            "moderation/claim.html",
            claim=item,
            status_label=claims.STATUS_LABELS[ClaimStatus(item.status)],
            kind_labels=KIND_LABELS,
            facts=queries.claim_facts(item),
            form=DecisionForm(),
            refuse=refuse,
        ),
        status,
    )


@bp.get("/claims/<int:claim_id>")
@roles_required(*MODERATORS)
def claim(claim_id: int):
    return _claim_page(db.get_or_404(ProfileClaim, claim_id), RefuseClaimForm())


@bp.post("/claims/<int:claim_id>/approve")
@roles_required(*MODERATORS)
def approve_claim(claim_id: int):
    item = db.get_or_404(ProfileClaim, claim_id)
    if DecisionForm().validate_on_submit():
        try:
            claims.approve_claim(item, current_user)
        except claims.ClaimError as error:
            flash(str(error), "error")
        else:
            flash(_("Approved. They get an e-mail to set their password."), "success")
            return redirect(url_for("moderation.queue"))
    return _claim_page(item, RefuseClaimForm(formdata=None), 400)


@bp.post("/claims/<int:claim_id>/refuse")
@roles_required(*MODERATORS)
def refuse_claim(claim_id: int):
    item = db.get_or_404(ProfileClaim, claim_id)
    form = RefuseClaimForm()
    if form.validate_on_submit():
        try:
            claims.refuse_claim(item, current_user, form.reason.data)
        except claims.ClaimError as error:
            flash(str(error), "error")  # shown also when the form is gone (decided already)
        else:
            flash(_("Saved. We told them why by e-mail."), "success")
            return redirect(url_for("moderation.queue"))
    return _claim_page(item, form, 400)
