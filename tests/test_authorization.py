"""Every staff route, as every role and as anonymous: who gets in, who is turned away."""

from __future__ import annotations

import pytest

from goldendreams import create_app
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from tests.conftest import login, make_config
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ArticleTextFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    FlagFactory,
    HotlineFactory,
    JobFactory,
    JobFlagFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
)

STAFF_PREFIXES = ("/staff", "/portal", "/moderation", "/cases", "/brand")

# What an allowed user gets with an empty form: a page (200) or a redirect after acting (302).
EDITOR_ROUTES = {
    ("agencies_staff.staff_list", "GET"): 200,
    ("agencies_staff.create", "GET"): 200,
    ("agencies_staff.create", "POST"): 200,  # the form comes back with its errors
    ("agencies_staff.edit", "GET"): 200,
    ("agencies_staff.edit", "POST"): 302,  # nothing sent, so nothing changed
    ("agencies_staff.set_verified", "POST"): 302,
    ("agencies_staff.add_link", "POST"): 302,
    ("agencies_staff.remove_link", "POST"): 302,
}
PORTAL_ROUTES = {
    ("portal.overview", "GET"): 200,
    ("portal.contact", "GET"): 200,
    ("portal.contact", "POST"): 302,
}
ANY_STAFF_ROUTES = {("accounts.staff_home", "GET"): 200}
MODERATOR_ROUTES = {
    ("moderation.queue", "GET"): 200,
    ("moderation.publish", "POST"): 302,
    ("moderation.reject", "POST"): 400,  # no reason given
    ("moderation.reply", "GET"): 200,
    ("moderation.reply", "POST"): 400,  # no decision given
    ("moderation.flag", "GET"): 200,
    ("moderation.flag", "POST"): 400,  # no decision given
    ("moderation.open_case", "POST"): 400,  # no issue chosen
    ("moderation.job", "GET"): 200,
    ("moderation.publish_job", "POST"): 302,
    ("moderation.reject_job", "POST"): 400,  # no reason given
    ("moderation.job_flag", "GET"): 200,
    ("moderation.job_flag", "POST"): 400,  # no decision given
}
#: Caseworkers read a review with its original text, but do not decide.
READER_ROUTES = {("moderation.review", "GET"): 200}
#: The case store: caseworkers and admins.
CASEWORKER_ROUTES = {
    ("cases.case_list", "GET"): 200,
    ("cases.new", "GET"): 200,
    ("cases.new", "POST"): 200,  # empty form: the page again
    ("cases.case", "GET"): 200,
    ("cases.act", "POST"): 302,
    ("cases.export", "GET"): 200,
}
BRAND_ROUTES = {("brand.dashboard", "GET"): 200, ("brand.brand_export", "GET"): 200}
#: An organisation's cases: its own employer or agency staff (brands have none: 404).
CASE_PORTAL_ROUTES = {
    ("cases_portal.portal_cases", "GET"): 200,
    ("cases_portal.portal_case", "GET"): 200,
    ("cases_portal.portal_act", "POST"): 302,
}
#: An agency's job portal: agencies only (employers and brands have no jobs: 404).
AGENCY_ROUTES = {
    ("jobs_portal.portal_jobs", "GET"): 200,
    ("jobs_portal.edit", "GET"): 200,
    ("jobs_portal.edit", "POST"): 200,  # empty form: the page again, with errors
    ("jobs_portal.detail", "GET"): 200,
    ("jobs_portal.act", "POST"): 302,
    ("jobs_portal.applications", "GET"): 200,
    ("jobs_portal.move", "POST"): 302,
    ("jobs_portal.export", "GET"): 200,
}
#: Rights articles: admins and moderators write them.
ARTICLE_ROUTES = {
    ("rights_staff.staff_articles", "GET"): 200,
    ("rights_staff.new_article", "GET"): 200,
    ("rights_staff.new_article", "POST"): 200,  # empty form: the page again, with errors
    ("rights_staff.edit_article", "GET"): 200,
    ("rights_staff.edit_article", "POST"): 302,  # nothing sent, so nothing changed
    ("rights_staff.edit_text", "GET"): 200,
    ("rights_staff.edit_text", "POST"): 200,  # empty form: the page again, with errors
    ("rights_staff.delete_text", "POST"): 302,
}
#: Hotlines: admins only.
HOTLINE_ROUTES = {
    ("hotlines_staff.staff_hotlines", "GET"): 200,
    ("hotlines_staff.new_hotline", "GET"): 200,
    ("hotlines_staff.new_hotline", "POST"): 200,
    ("hotlines_staff.edit_hotline", "GET"): 200,
    ("hotlines_staff.edit_hotline", "POST"): 302,  # nothing sent, so nothing changed
    ("hotlines_staff.delete_hotline", "POST"): 302,
}
PORTAL_REVIEW_ROUTES = {
    ("reviews_portal.portal_reviews", "GET"): 200,
    ("reviews_portal.reply", "POST"): 200,  # empty reply: the page again, with the error
}


def staff_routes() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(STAFF_PREFIXES):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, rule.rule))
    return sorted(routes)


ROUTES = staff_routes()
ROLES = [None, *Role]
# Portal routes are tried on the user's own organisation and on another one.
CASES = [
    (*route, own)
    for route in ROUTES
    for own in (
        (True, False)
        if route[0].startswith(("portal.", "reviews_portal.", "jobs_portal.", "cases_portal."))
        else (True,)
    )
]


def expected(role: Role | None, endpoint: str, method: str, own: bool) -> int:
    key = (endpoint, method)
    if role is None:
        return 302  # to the login page
    if key in ANY_STAFF_ROUTES:
        return ANY_STAFF_ROUTES[key]
    if key in EDITOR_ROUTES:
        return EDITOR_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in ARTICLE_ROUTES:
        return ARTICLE_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in HOTLINE_ROUTES:
        return HOTLINE_ROUTES[key] if role == Role.ADMIN else 403
    if key in MODERATOR_ROUTES:
        return MODERATOR_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in READER_ROUTES:
        return 200 if role in (Role.ADMIN, Role.MODERATOR, Role.CASEWORKER) else 403
    if key in CASEWORKER_ROUTES:
        return CASEWORKER_ROUTES[key] if role in (Role.ADMIN, Role.CASEWORKER) else 403
    if key in BRAND_ROUTES:
        return BRAND_ROUTES[key] if role == Role.BRAND else 403
    if key in CASE_PORTAL_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return 404 if role == Role.BRAND else CASE_PORTAL_ROUTES[key]
    if key in AGENCY_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return AGENCY_ROUTES[key] if role in (Role.ADMIN, Role.AGENCY_STAFF) else 404
    if key in PORTAL_REVIEW_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return 404 if role == Role.BRAND else PORTAL_REVIEW_ROUTES[key]  # buyers have none
    if endpoint == "portal.portal_home":
        return 302 if role in ORG_ROLE_KINDS else 403
    if key in PORTAL_ROUTES:
        allowed = role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)
        return PORTAL_ROUTES[key] if allowed else 403
    raise AssertionError(f"{endpoint} {method} has no expected outcome: add it to this test")


def test_every_staff_route_has_an_expectation():
    for endpoint, method, _rule in ROUTES:
        for role in ROLES:
            expected(role, endpoint, method, own=True)
    assert len(ROUTES) >= 10


def organisation_for(role: Role | None):
    kind = ORG_ROLE_KINDS.get(role, "agency")
    return {"agency": AgencyFactory, "employer": OrganisationFactory, "buyer": BuyerFactory}[kind]()


def reviews_for(org) -> dict[str, int]:
    """A pending review, a published one without reply, a pending reply, an open report;
    a submitted job with an application, and a report on a job."""
    target = org if org.kind != "buyer" else AgencyFactory()
    job = JobFactory(
        agency=target if target.kind == "agency" else AgencyFactory(), status="submitted"
    )
    application = ApplicationFactory(job=job)
    job_flag = JobFlagFactory(job=job)
    case = CaseFactory(organisation=target, status="referred")
    CaseEventFactory(case=case, kind="status", status_from="triaged", status_to="referred")
    pending = ReviewFactory(organisation=target)
    published = PublishedReviewFactory(organisation=target)
    reply = ReplyFactory(review=PublishedReviewFactory(organisation=target))
    flag = FlagFactory(review=published)
    return {
        "pending": pending.id, "published": published.id, "reply": reply.id, "flag": flag.id,
        "job": job.id, "application": application.id, "job_flag": job_flag.id,
        "case": case.id, "article": ArticleTextFactory().article_id,
        "hotline": HotlineFactory().id,
    }  # fmt: skip


def link_for(org):
    if org.kind == "agency":
        return OrganisationLinkFactory(source=org)
    if org.kind == "buyer":
        return OrganisationLinkFactory(kind="buys_from", source=org)
    return OrganisationLinkFactory(target=org)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "rule", "own"),
    CASES,
    ids=[f"{e}-{m}-{'own' if o else 'other'}" for e, m, _r, o in CASES],
)
def test_route_access(client, user_for, role, endpoint, method, rule, own):
    own_org = organisation_for(role)
    target = own_org if own else organisation_for(role)
    link = link_for(target)
    ids = reviews_for(target)
    if role is not None:
        user = user_for(role, own_org if role in ORG_ROLE_KINDS else None)
        login(client, user)
    review_id = ids["published"] if endpoint.startswith("reviews_portal.") else ids["pending"]
    url = (
        rule.replace("<int:org_id>", str(target.id))
        .replace("<int:link_id>", str(link.id))
        .replace("<int:review_id>", str(review_id))
        .replace("<int:reply_id>", str(ids["reply"]))
        .replace("<int:flag_id>", str(ids["job_flag" if "job_flag" in endpoint else "flag"]))
        .replace("<int:job_id>", str(ids["job"]))
        .replace("<int:application_id>", str(ids["application"]))
        .replace("<any(submit, close, copy):action>", "close")
        .replace("<int:case_id>", str(ids["case"]))
        .replace("<any(move, assign, note, remediation, close):action>", "note")
        .replace("<any(acknowledge, propose, remediation):action>", "acknowledge")
        .replace("<int:article_id>", str(ids["article"]))
        .replace("<any(en, my, km, th, lo, ne):locale>", "my")
        .replace("<int:hotline_id>", str(ids["hotline"]))
    )
    response = client.open(url, method=method, data={})
    assert response.status_code == expected(role, endpoint, method, own), url
    if response.status_code == 302:
        # Anonymous users go to the login page; nobody else does.
        assert ("/login" in response.headers["Location"]) == (role is None)
