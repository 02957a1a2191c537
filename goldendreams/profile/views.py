"""The directory and the organisation page: they show what several features know about an
organisation, so they live above the features (DESIGN.md, "Layout")."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from goldendreams.agencies import claims
from goldendreams.agencies import queries as agency_queries
from goldendreams.agencies.models import Organisation
from goldendreams.agencies.views import filtered_directory
from goldendreams.cases import queries as case_queries
from goldendreams.core.http_cache import cached_page
from goldendreams.extensions import db
from goldendreams.jobs import queries as job_queries
from goldendreams.reviews import queries as review_queries
from goldendreams.reviews import services as review_services

bp = Blueprint("profile", __name__, template_folder="templates")


@bp.get("/directory/")
@cached_page
def directory():
    form, page = filtered_directory()
    scores = review_queries.scores_for([org.id for org in page.items])
    return render_template("profile/directory.html", form=form, page=page, scores=scores)


@bp.get("/organisations/<int:org_id>")
@cached_page
def organisation(org_id: int):
    org = db.get_or_404(Organisation, org_id)
    if not org.is_public:  # government offices and associations have no public page
        abort(404)
    reviews = None
    if review_services.reviewable(org):
        reviews = db.paginate(
            review_queries.published_reviews(org.id),
            page=1,
            per_page=current_app.config["REVIEWS_PAGE_SIZE"],
        )
    return render_template(
        "profile/organisation.html",
        org=org,
        linked=agency_queries.linked(org),
        reviews=reviews,
        score=review_queries.score_of(org.id),
        jobs=job_queries.open_jobs_of(org.id, org.kind) if reviews is not None else [],
        record=case_queries.remediation_record(org.id) if reviews is not None else None,
        claimable=claims.claimable(org),
    )
