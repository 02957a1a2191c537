"""Writing a review, checking it with a code, reading and reporting reviews, replying."""

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import services as case_services
from goldendreams.cases.forms import AnswerForm
from goldendreams.core.auth import may_act_for
from goldendreams.core.forms import ReportForm
from goldendreams.core.http_cache import cached_page
from goldendreams.core.security import client_key, only_when_stored, setting
from goldendreams.core.templating import by_public_id_or_404, page_number
from goldendreams.core.throttle import FailureBudget
from goldendreams.extensions import db, limiter
from goldendreams.jobs import services as job_services
from goldendreams.reviews import choices, queries, services
from goldendreams.reviews.forms import CodeForm, ReplyForm, WithdrawForm, review_form_for
from goldendreams.reviews.models import Review, ReviewStatus

bp = Blueprint("reviews", __name__, template_folder="templates")
portal_bp = Blueprint("reviews_portal", __name__, url_prefix="/portal/<int:org_id>/reviews")


@bp.app_context_processor
def review_vocabulary() -> dict:
    """The labels of review answers, for every template that shows a review."""
    return {"review_choices": choices}


def _reviewable_organisation(org_id: int) -> Organisation:
    org = db.get_or_404(Organisation, org_id)
    if not services.reviewable(org):
        abort(404)
    return org


@bp.route("/organisations/<int:org_id>/review", methods=["GET", "POST"])
@limiter.limit(setting("REVIEW_RATE_LIMIT"), methods=["POST"], deduct_when=only_when_stored)
def write(org_id: int):
    org = _reviewable_organisation(org_id)
    form = review_form_for(org.kind)()
    if form.validate_on_submit():
        try:
            _review, code = services.submit_review(org, form.to_input())
        except services.ReviewError as error:
            form.form_errors.append(str(error))
        else:
            g.stored = True
            # Shown in this response only: the code is not stored and never sent again.
            return render_template("reviews/thanks.html", org=org, code=code)
    return render_template("reviews/write.html", org=org, form=form)


@bp.get("/organisations/<int:org_id>/reviews")
@cached_page
def reviews(org_id: int):
    org = _reviewable_organisation(org_id)
    page = db.paginate(
        queries.published_reviews(org.id),
        page=page_number(),
        per_page=current_app.config["REVIEWS_PAGE_SIZE"],
        error_out=False,
    )
    return render_template("reviews/list.html", org=org, page=page, score=queries.score_of(org.id))


def _code_budget() -> FailureBudget:
    """Wrong codes per client, on every page that takes one (CODE_RATE_LIMIT): guessing a
    code is hopeless at this pace. A code that works never counts, so one outreach phone
    or one dormitory's Wi-Fi can serve everyone."""
    return FailureBudget("CODE_RATE_LIMIT", "tracking-code", client_key())


def _too_many_wrong_codes():
    """Refuse a code page without looking the code up (else right and wrong codes would
    answer differently), and give back what was typed, ready to send again."""
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token"]  # fmt: skip
    return render_template("reviews/retry.html", kept=kept), 429


@bp.route("/check", methods=["GET", "POST"])
def check():
    """A worker looks up their review or application with its code. POST keeps the code
    out of URLs, histories and logs."""
    form = CodeForm()
    budget = _code_budget()
    if form.is_submitted() and budget.exhausted():
        return _too_many_wrong_codes()
    if form.validate_on_submit():
        review = services.find_by_code(form.code.data)
        if review is not None:
            return _status_page(review, form.code.data)
        application = job_services.find_application_by_code(form.code.data)
        if application is not None:
            return render_template("jobs/application_status.html", application=application)
        budget.spend()
        form.code.errors.append(_("We found nothing with this code. Check it and try again."))
    return render_template("reviews/check.html", form=form)


def _status_page(
    review, code: str, answer: AnswerForm | None = None, withdraw: WithdrawForm | None = None
):
    """What the code shows: the review, and the case opened from it (if any)."""
    case = case_services.case_for_review(review.id)
    if answer is None and case is not None and case_services.can_answer(case):
        answer = AnswerForm(code=code, formdata=None)
    return render_template(
        "reviews/status.html",
        review=review,
        withdraw=withdraw if withdraw is not None else WithdrawForm(code=code, formdata=None),
        case=case,
        answer=answer if case is not None and case_services.can_answer(case) else None,
    )


@bp.post("/check/answer")
def answer():
    """The worker says whether the problem in their case was fixed."""
    form = AnswerForm()
    budget = _code_budget()
    if budget.exhausted():
        return _too_many_wrong_codes()
    # A code the form refuses (too long, say) is no code: the page has nowhere to say why.
    review = services.find_by_code(form.code.data) if form.code.validate(form) else None
    case = case_services.case_for_review(review.id) if review else None
    if case is None:
        budget.spend()
        abort(400)
    if form.validate_on_submit():
        try:
            case_services.worker_answer(case, form.answer.data, form.comment.data)
        except case_services.CaseError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. We have your answer."), "success")
            return _status_page(review, form.code.data)
    return _status_page(review, form.code.data, form)


@bp.post("/check/withdraw")
def withdraw():
    form = WithdrawForm()
    budget = _code_budget()
    if budget.exhausted():
        return _too_many_wrong_codes()
    review = services.find_by_code(form.code.data or "") if form.validate_on_submit() else None
    if review is None:
        budget.spend()
        abort(400)
    if not form.confirm.data:
        # It cannot be undone: nothing is erased until the worker ticks "Yes".
        form.confirm.errors.append(_("Tick the box if you are sure. Nothing was erased yet."))
        return _status_page(review, form.code.data, withdraw=form), 400
    try:
        services.withdraw_review(review)
    except services.ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_("Your review is withdrawn. Nobody can see it now."), "success")
    return _status_page(review, form.code.data)


@bp.route("/reviews/<public_id:review_id>/report", methods=["GET", "POST"])
@limiter.limit(setting("FLAG_RATE_LIMIT"), methods=["POST"], deduct_when=only_when_stored)
def report(review_id: str):
    review = by_public_id_or_404(Review, review_id)
    if review.status != ReviewStatus.PUBLISHED:
        abort(404)
    form = ReportForm(question=_l("What is wrong with this review?"), reasons=choices.FLAG_REASONS)
    if form.validate_on_submit():
        try:
            services.flag_review(review, form.reason.data, form.note.data)
        except services.ReviewError as error:
            form.form_errors.append(str(error))
        else:
            g.stored = True
            flash(_("Thank you. A moderator will look at this review."), "success")
            return redirect(url_for("agencies.organisation", org_id=review.organisation_id))
    return render_template("reviews/report.html", review=review, form=form)


# --- an organisation's staff answer reviews of it ----------------------------------------


def _own_organisation(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    return _reviewable_organisation(org_id)


@portal_bp.get("/")
@login_required
def portal_reviews(org_id: int):
    org = _own_organisation(org_id)
    page = db.paginate(
        queries.published_reviews(org.id),
        page=page_number(),
        per_page=current_app.config["REVIEWS_PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "reviews/portal.html", org=org, page=page, form=ReplyForm(), replying_to=None
    )


@portal_bp.post("/<public_id:review_id>/reply")
@login_required
def reply(org_id: int, review_id: str):
    org = _own_organisation(org_id)
    review = by_public_id_or_404(Review, review_id)
    if review.organisation_id != org.id or review.status != ReviewStatus.PUBLISHED:
        abort(404)  # staff learn nothing about reviews that are not public
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            services.submit_reply(review, current_user, form.body.data)
        except services.ReviewError as error:
            form.body.errors.append(str(error))
        else:
            flash(_("Thank you. Your reply will show after a moderator checks it."), "success")
            return redirect(url_for("reviews_portal.portal_reviews", org_id=org.id))
    # Show the page again with the error under this review's reply box, text kept.
    page = db.paginate(
        queries.published_reviews(org.id).where(Review.id == review.id),
        page=page_number(),
        error_out=False,
    )
    return render_template(
        "reviews/portal.html", org=org, page=page, form=form, replying_to=review.public_id
    )
