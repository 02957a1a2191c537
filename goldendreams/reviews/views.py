"""Writing a review, reading and reporting reviews, replying (checking one with its code is
in ``desk``, with everything else a private code opens)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.core.auth import may_act_for
from goldendreams.core.forms import ReportForm
from goldendreams.core.http_cache import cached_page
from goldendreams.core.security import only_when_stored, setting
from goldendreams.core.templating import by_public_id_or_404, page_number
from goldendreams.extensions import db, limiter
from goldendreams.reviews import choices, queries, services
from goldendreams.reviews.forms import ReplyForm, review_form_for
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
            return redirect(url_for("profile.organisation", org_id=review.organisation_id))
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
