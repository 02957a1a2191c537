"""Every staff route, as every role and as anonymous: who gets in, who is turned away.

What this proves, for every route under the staff prefixes (the public ones are in
tests/test_authorization_public.py):

- each role (and anonymous) gets exactly the outcome of the table below, on its own
  organisation and on another one, and never a 500;
- ids guessed by a signed-in user lead nowhere: another organisation's job, application,
  case, review or link under the user's own organisation in the URL, an organisation's case
  not yet referred to it, ids that do not exist and ids no database row can have all give
  403 or 404 (never data), and change nothing;
- brands see the referred cases of the employers they buy from and no other; organisation
  staff never see the internal part of their own cases;
- a case belongs to one CSO: a caseworker of another CSO cannot open it, act on it, list it
  or export it (it does not exist for them: 404);
- so does a conversation with a worker, and a CSO's saved answers: a caseworker of another
  CSO gets 404 on the conversation and on every action on it (its contact included), finds
  it in no list, and changes nothing; every role but caseworkers and admins gets 403 on
  the inbox, the saved answers and the contact log.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from goldendreams import create_app
from goldendreams.agencies.models import Organisation, OrganisationLink
from goldendreams.cases.models import Case, CaseEvent
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.extensions import db, limiter
from goldendreams.inbox.models import CallLog, Contact, Conversation, Message, SavedAnswer
from goldendreams.jobs.models import Application, Job
from goldendreams.reviews.models import Reply, Review
from tests.conftest import RequestContextClient, empty_tables, login, make_config
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ArticleTextFactory,
    AssociationFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    CaseReferralFactory,
    ContactFactory,
    ConversationFactory,
    CsoFactory,
    ExchangeRateFactory,
    FlagFactory,
    GovernmentOfficeFactory,
    HotlineFactory,
    InvitationFactory,
    JobFactory,
    JobFlagFactory,
    MessageFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    ProfileClaimFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
    RoutingRuleFactory,
    SavedAnswerFactory,
    UserFactory,
    network_cso,
    referred,
)

STAFF_PREFIXES = ("/staff", "/portal", "/moderation", "/cases", "/brand", "/inbox")

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
ANY_STAFF_ROUTES = {
    ("accounts.staff_home", "GET"): 200,
    ("accounts.change_password", "GET"): 200,
    ("accounts.change_password", "POST"): 200,  # empty form: the page again, with errors
    ("accounts.sessions", "GET"): 200,
    ("accounts.end_other_sessions", "POST"): 302,
    # Which e-mails one gets (an empty form switches them all off, then shows the page).
    ("notifications.settings", "GET"): 200,
    ("notifications.settings", "POST"): 302,
}
MODERATOR_ROUTES = {
    ("moderation.queue", "GET"): 200,
    ("moderation.publish", "POST"): 302,
    ("moderation.reject", "POST"): 400,  # no reason given
    ("moderation.reply", "GET"): 200,
    ("moderation.reply", "POST"): 400,  # no decision given
    ("moderation.flag", "GET"): 200,
    ("moderation.flag", "POST"): 400,  # no decision given
    ("moderation.job", "GET"): 200,
    ("moderation.publish_job", "POST"): 302,
    ("moderation.reject_job", "POST"): 400,  # no reason given
    ("moderation.job_flag", "GET"): 200,
    ("moderation.job_flag", "POST"): 400,  # no decision given
    # "Work here? Ask for an account" requests (the claim is approved: an invitation).
    ("moderation.claim", "GET"): 200,
    ("moderation.approve_claim", "POST"): 302,
    ("moderation.refuse_claim", "POST"): 400,  # no reason given
}
#: Caseworkers read a review with its original text, find reviews in the staff list and
#: open a case from one, but do not decide.
READER_ROUTES = {
    ("moderation.review", "GET"): 200,
    ("moderation.review_list", "GET"): 200,
    ("moderation.open_case", "POST"): 400,  # no issue chosen
}
#: The case store: caseworkers and admins.
CASEWORKER_ROUTES = {
    ("cases.case_list", "GET"): 200,
    ("cases.new", "GET"): 200,
    ("cases.new", "POST"): 200,  # empty form: the page again
    ("cases.case", "GET"): 200,
    ("cases.act", "POST"): 302,
    ("cases.export", "GET"): 200,
    # A hotline case: the worker gets a code (shown once, on this answer).
    ("cases.give_code", "POST"): 200,
    # No fix recorded yet, so no answer to record: back to the case, which says why.
    ("cases.record_answer", "POST"): 302,
}
#: Worker voice (issue 18): the inbox, saved answers and the contact log, for caseworkers
#: (their CSO's conversation: the world's belongs to the network's CSO) and admins.
INBOX_ROUTES = {
    ("inbox.conversation_list", "GET"): 200,
    ("inbox.conversation", "GET"): 200,
    ("inbox.reply", "POST"): 400,  # nothing written: the page again, with the error
    ("inbox.note", "POST"): 400,
    ("inbox.tag", "POST"): 302,  # no issue, not urgent: saved as such
    ("inbox.assign", "POST"): 302,  # nobody chosen: back, with the error
    ("inbox.hand_over", "POST"): 400,  # no organisation chosen
    ("inbox.close", "POST"): 302,  # no outcome chosen: back, with the error
    ("inbox.open_case", "GET"): 200,
    ("inbox.open_case", "POST"): 400,  # empty form: the page again, with errors
    ("inbox.ask_reviewer", "POST"): 400,  # no question written
    ("answers.answer_list", "GET"): 200,
    ("answers.new", "GET"): 200,
    ("answers.new", "POST"): 400,
    ("answers.edit", "GET"): 200,
    ("answers.edit", "POST"): 400,
    ("answers.remove", "POST"): 302,
    ("calls.calls", "GET"): 200,
    # A worker's file: the key here is none of the conversation's, so not found, as for
    # another CSO's caseworker with a real one (tests/inbox/test_attachments.py).
    ("inbox_files.attachment", "GET"): 404,
}
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
#: An employer's job orders: employers only (agencies and brands have none: 404).
JOB_ORDER_ROUTES = {
    ("job_orders.orders", "GET"): 200,
    ("job_orders.order", "GET"): 200,
    ("job_orders.decide", "POST"): 200,  # empty form: the page again, with errors
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
    # The fee calculator's default exchange rates: admins only too.
    ("rights_staff.exchange_rates", "GET"): 200,
    ("rights_staff.new_rate", "GET"): 200,
    ("rights_staff.new_rate", "POST"): 200,  # empty form: the page again, with errors
    ("rights_staff.edit_rate", "GET"): 200,
    ("rights_staff.edit_rate", "POST"): 200,
    ("rights_staff.delete_rate", "POST"): 302,
    # Staff accounts (the old address sends admins on to /staff/users): admins only too.
    ("accounts.accounts", "GET"): 301,
    ("users.user_list", "GET"): 200,
    ("users.invite", "GET"): 200,
    ("users.invite", "POST"): 200,  # empty form: the page again, with errors
    ("users.withdraw_invitation", "POST"): 302,
    ("users.user", "GET"): 200,
    ("users.user", "POST"): 200,  # no role chosen: the page again, with the error
    ("users.switch_off", "POST"): 302,
    ("users.switch_on", "POST"): 302,
    ("users.lift_lockout", "POST"): 302,
    ("users.reset_second_factor", "POST"): 302,
    # The audit log and its CSV: admins only too.
    ("audit.audit", "GET"): 200,
    ("audit.export", "GET"): 200,
    # Failed queued tasks: admins only too (dismissing nothing named is a bad request).
    ("tasks_staff.failed_tasks", "GET"): 200,
    ("tasks_staff.dismiss_task", "POST"): 400,
    # The messaging apps (issue 19): admins only too (no organisation chosen: back, refused).
    ("channels_admin.overview", "GET"): 200,
    ("channels_admin.set_owner", "POST"): 302,
}
#: Two-step login (tests/accounts/test_two_factor.py): factory users of the roles that need
#: it have it set up, the others have not. Outcome by (needs it, does not need it).
TWO_FACTOR_REQUIRED = (Role.ADMIN, Role.MODERATOR, Role.CASEWORKER, Role.GOVERNMENT, Role.MOBILIZER)
TWO_FACTOR_ROUTES = {
    ("two_factor.overview", "GET"): (200, 200),  # its settings; setting it up
    ("two_factor.confirm", "POST"): (302, 302),  # nothing waits for a first code
    ("two_factor.recovery_codes", "POST"): (200, 302),  # no proof: the page with errors
    ("two_factor.turn_off", "POST"): (403, 302),  # required: never; not set up: nothing
}
#: An organisation admin's colleagues (tests/accounts/test_colleagues.py): none of the users
#: here has the organisation-admin right, so everyone is turned away.
ORG_ADMIN_ROUTES = {
    ("colleagues.colleague_list", "GET"): 403,
    ("colleagues.invite", "GET"): 403,
    ("colleagues.invite", "POST"): 403,
    ("colleagues.switch_off", "POST"): 403,
    ("colleagues.withdraw_invitation", "POST"): 403,
}
#: The network's members (issue 17), by role; every role not named gets 403. The world of
#: test_route_access: the case belongs to the test network's CSO (the caseworker's and the
#: mobilizer's), was offered to another CSO (the referral, waiting for its answer) and was
#: sent to no government office (so an officer finds it nowhere: 404); it was logged from
#: the hotline, so it is no mobilizer's group complaint (404).
NETWORK_ROUTES = {
    ("routing.rules", "GET"): {Role.ADMIN: 200},
    ("routing.rules", "POST"): {Role.ADMIN: 400},  # no organisation chosen
    ("routing.act", "POST"): {Role.ADMIN: 302},  # removes a rule
    ("referrals.referral_list", "GET"): {Role.ADMIN: 200, Role.CASEWORKER: 200,
                                         Role.GOVERNMENT: 200},
    ("referrals.referral", "GET"): {Role.ADMIN: 200, Role.CASEWORKER: 200, Role.GOVERNMENT: 404},
    # Accepting (the sender's caseworker may not: the step is refused, and said so).
    ("referrals.decide", "POST"): {Role.ADMIN: 302, Role.CASEWORKER: 302, Role.GOVERNMENT: 404},
    # The read-only view: those who run the case are sent to the case itself.
    ("referrals.followed", "GET"): {Role.ADMIN: 200, Role.CASEWORKER: 302, Role.GOVERNMENT: 404},
    ("referrals.refer", "POST"): {Role.ADMIN: 302, Role.CASEWORKER: 302},  # empty: refused
    ("office.office_cases", "GET"): {Role.GOVERNMENT: 200},
    ("office.office_case", "GET"): {Role.GOVERNMENT: 404},
    ("office.office_action", "POST"): {Role.GOVERNMENT: 404},
    ("office.office_figures", "GET"): {Role.GOVERNMENT: 200},
    ("association.figures", "GET"): {Role.ASSOCIATION: 200},
    ("group_cases.group_list", "GET"): {Role.MOBILIZER: 200},
    ("group_cases.new", "GET"): {Role.MOBILIZER: 200},
    ("group_cases.new", "POST"): {Role.MOBILIZER: 200},  # empty form: the page, with errors
    ("group_cases.group_case", "GET"): {Role.MOBILIZER: 404},
    ("rights_share.share", "GET"): {Role.ADMIN: 200, Role.CASEWORKER: 200, Role.MOBILIZER: 200},
    # Logging a call: the caseworkers who take them (an empty form: the page, with errors);
    # admins take no calls (they read every CSO's log: INBOX_ROUTES).
    ("calls.calls", "POST"): {Role.CASEWORKER: 200},
    # The worker's contact (they left one): shown to the caseworkers of the CSO that talks
    # with them (and audited), as the worker was promised; not to admins (back, refused).
    ("inbox.contact", "POST"): {Role.CASEWORKER: 200, Role.ADMIN: 302},
}  # fmt: skip
PORTAL_REVIEW_ROUTES = {
    ("reviews_portal.portal_reviews", "GET"): 200,
    ("reviews_portal.reply", "POST"): 200,  # empty reply: the page again, with the error
}


#: Blueprints of issue 20's features: each proves who may use every one of its routes in
#: its own matrix (tests/<feature>/test_access.py), built on this module's roles and
#: helpers, and that file checks that its matrix names each of the blueprint's routes.
COVERED_ELSEWHERE = {
    "collective": "tests/collective/test_access.py",
    "validation": "tests/validation/test_access.py",
    "plans": "tests/plans/test_access.py",
    "support": "tests/support/test_access.py",
    "safeguarding": "tests/safeguarding/test_access.py",
    "brands": "tests/brands/test_access.py",
}


def covered_elsewhere(endpoint: str) -> bool:
    return endpoint.split(".")[0].split("_")[0] in COVERED_ELSEWHERE


def test_the_features_covered_elsewhere_have_their_matrix():
    from pathlib import Path

    root = Path(__file__).parents[1]
    for path in COVERED_ELSEWHERE.values():
        assert (root / path).exists(), path


def staff_routes() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    routes = []
    for rule in app.url_map.iter_rules():
        if covered_elsewhere(rule.endpoint):
            continue
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
        if route[0].startswith(
            ("portal.", "reviews_portal.", "jobs_portal.", "cases_portal.", "job_orders.")
        )
        else (True,)
    )
]


def expected(role: Role | None, endpoint: str, method: str, own: bool) -> int:
    key = (endpoint, method)
    if role is None:
        return 302  # to the login page
    if key in ANY_STAFF_ROUTES:
        return ANY_STAFF_ROUTES[key]
    if key in TWO_FACTOR_ROUTES:
        return TWO_FACTOR_ROUTES[key][0 if role in TWO_FACTOR_REQUIRED else 1]
    if key in ORG_ADMIN_ROUTES:
        return ORG_ADMIN_ROUTES[key]
    if key in NETWORK_ROUTES:
        return NETWORK_ROUTES[key].get(role, 403)
    if key in EDITOR_ROUTES:
        return EDITOR_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in ARTICLE_ROUTES:
        return ARTICLE_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in HOTLINE_ROUTES:
        return HOTLINE_ROUTES[key] if role == Role.ADMIN else 403
    if key in MODERATOR_ROUTES:
        return MODERATOR_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR) else 403
    if key in READER_ROUTES:
        return READER_ROUTES[key] if role in (Role.ADMIN, Role.MODERATOR, Role.CASEWORKER) else 403
    if key in CASEWORKER_ROUTES:
        return CASEWORKER_ROUTES[key] if role in (Role.ADMIN, Role.CASEWORKER) else 403
    if key in INBOX_ROUTES:
        return INBOX_ROUTES[key] if role in (Role.ADMIN, Role.CASEWORKER) else 403
    if key in CASE_PORTAL_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return 404 if role == Role.BRAND else CASE_PORTAL_ROUTES[key]
    if key in AGENCY_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return AGENCY_ROUTES[key] if role in (Role.ADMIN, Role.AGENCY_STAFF) else 404
    if key in JOB_ORDER_ROUTES:
        if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
            return 403
        return JOB_ORDER_ROUTES[key] if role == Role.EMPLOYER_STAFF else 404
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


def module_app(database_url: str):
    """One app for a whole module (a generator for a module-scoped fixture). Building an
    app is about half the time of a test that makes one request, and these modules make
    thousands."""
    app = create_app(make_config(database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def shared_app(_schema, database_url):
    yield from module_app(database_url)


@pytest.fixture
def app(shared_app):
    """conftest's ``app``, on the module's app: fresh tables and rate limits for each test."""
    with shared_app.app_context():
        limiter.reset()
        yield shared_app
        empty_tables()


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
    a submitted job with an application, and a report on a job; a worker's conversation
    about the organisation (with a way to reach them) in the network CSO's inbox, and that
    CSO's saved answer."""
    target = org if org.kind != "buyer" else AgencyFactory()
    job = JobFactory(
        agency=target if target.kind == "agency" else AgencyFactory(),
        # An employer's job orders are the jobs posted in its name.
        employer=target if target.kind == "employer" else OrganisationFactory(),
        status="submitted",
    )
    application = ApplicationFactory(job=job)
    job_flag = JobFlagFactory(job=job)
    case = CaseFactory(organisation=target, status="referred")
    CaseEventFactory(case=case, kind="status", status_from="triaged", status_to="referred")
    pending = ReviewFactory(organisation=target)
    published = PublishedReviewFactory(organisation=target)
    reply = ReplyFactory(review=PublishedReviewFactory(organisation=target))
    flag = FlagFactory(review=published)
    conversation = ConversationFactory(organisation=target)
    MessageFactory(conversation=conversation)
    ContactFactory(conversation=conversation)
    return {
        "pending": pending.id, "published": published.id, "reply": reply.id, "flag": flag.id,
        "job": job.id, "application": application.id, "job_flag": job_flag.id,
        "case": case.id, "article": ArticleTextFactory().article_id,
        "hotline": HotlineFactory().id, "rate": ExchangeRateFactory().id,
        "claim": ProfileClaimFactory(organisation=OrganisationFactory()).id,
        "invitation": InvitationFactory().id,
        "referral": CaseReferralFactory(case=case).id,
        "rule": RoutingRuleFactory(worker_language="ne").id,
        "conversation": conversation.id, "answer": SavedAnswerFactory().id,
    }  # fmt: skip


def _public_id(model, key: int) -> str:
    """The random public id that URLs carry for the record with this integer key."""
    return db.session.scalar(select(model.public_id).where(model.id == key))


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
        .replace("<public_id:review_id>", _public_id(Review, review_id))
        .replace("<int:reply_id>", str(ids["reply"]))
        .replace("<int:flag_id>", str(ids["job_flag" if "job_flag" in endpoint else "flag"]))
        .replace("<int:job_id>", str(ids["job"]))
        .replace("<public_id:application_id>", _public_id(Application, ids["application"]))
        .replace("<any(submit, close, copy):action>", "close")
        .replace("<int:case_id>", str(ids["case"]))
        .replace("<public_id:case_id>", _public_id(Case, ids["case"]))
        .replace("<any(move, assign, note, remediation, close):action>", "note")
        .replace("<any(acknowledge, propose, remediation):action>", "acknowledge")
        .replace("<int:article_id>", str(ids["article"]))
        .replace("<any(en, my, km, th, lo, ne):locale>", "my")
        .replace("<int:hotline_id>", str(ids["hotline"]))
        .replace("<int:user_id>", str(UserFactory(role="moderator").id))
        .replace("<int:rate_id>", str(ids["rate"]))
        .replace("<int:claim_id>", str(ids["claim"]))
        .replace("<int:invitation_id>", str(ids["invitation"]))
        .replace("<int:referral_id>", str(ids["referral"]))
        .replace("<any(accept, decline, withdraw):action>", "accept")
        .replace("<int:rule_id>", str(ids["rule"]))
        .replace("<any(change, remove):action>", "remove")
        .replace("<int:conversation_id>", str(ids["conversation"]))
        .replace("<int:answer_id>", str(ids["answer"]))
        .replace("<key>", "0" * 32)
        .replace("<any(messenger, whatsapp, viber, line, telegram, sms):platform>", "telegram")
    )
    response = client.open(url, method=method, data={})
    assert response.status_code == expected(role, endpoint, method, own), url
    if response.status_code == 302:
        # Anonymous users go to the login page; nobody else does.
        assert ("/login" in response.headers["Location"]) == (role is None)


# --- guessing ids ----------------------------------------------------------------------------
#
# The matrix above puts the target organisation's own ids in its URLs. Here a signed-in user
# keeps their own organisation in the URL and tries ids that are not theirs. One world is
# built for the whole class, and each role logs in once: none of these requests may change
# anything (each test checks that), so they can share it.

MISSING_ID = 999_999
#: A random public id no row has (16 characters), and one no route takes (17).
MISSING_PUBLIC_ID = "NoSuchPublicId00"
IMPOSSIBLE_PUBLIC_ID = "NoSuchPublicId000"
#: The converter refuses ids no row can have, before any view runs: 404 for everyone.
IMPOSSIBLE_ID = 2**31
#: Sent with every guessed POST: enough for each action to succeed, were the check missing.
ACTION_DATA = {
    "status": "shortlisted",
    "message": "Come on Monday.",
    "text": "We paid the fees back.",
    "body": "This is not true.",
    "kind": "refund",
    "amount": "1000",
    "currency": "THB",
    "workers": "3",
    "title": "Changed",
    # The conversation page's forms (each field's name starts with its form's), a saved
    # answer's and a logged call's fields.
    "reply-text": "We can help you.",
    "note-text": "Call the agency first.",
    "tag-urgent": "y",
    "close-outcome": "information",
    "hand_over-note": "They speak Nepali.",
    "outcome": "information",
    "language": "my",
    "channel": "phone",
    "topic": "work",
    "minutes": "5",
}
INTERNAL_NOTE = "Internal note zqinternal: the worker fears the supervisor."
SHARED_NOTE = "Shared note zqshared: please pay the fees back."
CASE_CONTACT = "Ko Aung, LINE id zqcontact"
#: An organisation sees its reviews once published, and only as published (redacted).
ORIGINAL_TEXT = "Call Ko zqoriginal on 0812345678 about the fees."
PENDING_TEXT = "Not yet checked zqpending"
PUBLISHED_TEXT = "Call [name] about the fees."


def _portal_kind(role: Role | None) -> str:
    """The organisation kind whose ids a role guesses with: its own, else an agency's."""
    return ORG_ROLE_KINDS.get(role, "agency")


#: (endpoint, method, path): ``{own}`` is the user's organisation (an agency for users who
#: have none: admins may act for it, so only the id check can stop them).
GUESSES = [
    ("jobs_portal.detail", "GET", "/portal/{own}/jobs/{other_job}"),
    ("jobs_portal.edit", "GET", "/portal/{own}/jobs/{other_job}/edit"),
    ("jobs_portal.edit", "POST", "/portal/{own}/jobs/{other_job}/edit"),
    ("jobs_portal.act", "POST", "/portal/{own}/jobs/{other_job}/submit"),
    ("jobs_portal.act", "POST", "/portal/{own}/jobs/{other_job}/close"),
    ("jobs_portal.act", "POST", "/portal/{own}/jobs/{other_job}/copy"),
    ("jobs_portal.applications", "GET", "/portal/{own}/jobs/{other_job}/applications"),
    ("jobs_portal.export", "GET", "/portal/{own}/jobs/{other_job}/applications.csv"),
    # Another agency's application under one's own job; one's own application of another
    # of one's jobs (the pair must match); another agency's job and application.
    ("jobs_portal.move", "POST", "/portal/{own}/jobs/{own_job}/applications/{other_app}"),
    ("jobs_portal.move", "POST", "/portal/{own}/jobs/{own_job}/applications/{sibling_app}"),
    ("jobs_portal.move", "POST", "/portal/{own}/jobs/{other_job}/applications/{other_app}"),
    (
        "jobs_portal.move",
        "POST",
        f"/portal/{{own}}/jobs/{{own_job}}/applications/{MISSING_PUBLIC_ID}",
    ),
    # A job posted in another employer's name.
    ("job_orders.order", "GET", "/portal/{own}/job-orders/{other_job}"),
    ("job_orders.decide", "POST", "/portal/{own}/job-orders/{other_job}/decide"),
    # Another organisation's case, and one's own case before it is referred (internal).
    ("cases_portal.portal_case", "GET", "/portal/{own}/cases/{other_case}"),
    ("cases_portal.portal_case", "GET", "/portal/{own}/cases/{internal_case}"),
    *[
        ("cases_portal.portal_act", "POST", f"/portal/{{own}}/cases/{{{case}}}/{action}")
        for case in ("other_case", "internal_case")
        for action in ("acknowledge", "propose", "remediation")
    ],
    # Another organisation's review, and one's own review that is not published.
    ("reviews_portal.reply", "POST", "/portal/{own}/reviews/{other_review}/reply"),
    ("reviews_portal.reply", "POST", "/portal/{own}/reviews/{pending_review}/reply"),
    # A link between two other organisations, removed "through" one's own.
    ("agencies_staff.remove_link", "POST", "/staff/organisations/{own}/links/{other_link}/delete"),
]


_ID_PARAM = re.compile(r"<(int|public_id):(\w+)>")


def _int_params(rule: str) -> list[str]:
    """The names of a rule's id parameters, integer keys and random public ids alike."""
    return [name for _kind, name in _ID_PARAM.findall(rule)]


def _id_value(kind: str, value: object) -> str:
    """``value`` for a parameter of this kind: the missing and impossible integers stand for
    their public-id twins."""
    if kind == "public_id":
        value = {MISSING_ID: MISSING_PUBLIC_ID, IMPOSSIBLE_ID: IMPOSSIBLE_PUBLIC_ID}.get(
            value, value
        )
    return str(value)


def _fill(rule: str, values: dict[str, object]) -> str:
    """``rule`` with its <int:…> parameters from ``values`` and its <any(…):…> ones set to
    their first choice."""
    path = _ID_PARAM.sub(lambda m: _id_value(m.group(1), values[m.group(2)]), rule)
    return re.sub(r"<any\(([\w, ]+)\):\w+>", lambda m: m.group(1).split(",")[0].strip(), path)


def _missing_cases() -> list[tuple[str, str, str, str]]:
    """Every staff route that takes ids, with ids that do not exist: each id but the
    organisation's ("ids"), the organisation's ("org"), and one beyond any row ("huge")."""
    cases = []
    for endpoint, method, rule in ROUTES:
        params = _int_params(rule)
        if any(p != "org_id" for p in params):
            cases.append((endpoint, method, rule, "ids"))
        if "org_id" in params:
            cases.append((endpoint, method, rule, "org"))
        if params:
            cases.append((endpoint, method, rule, "huge"))
    return cases


MISSING = _missing_cases()


def refused_or_404(role: Role | None, endpoint: str, method: str, own: bool) -> int:
    """What a guess gets: the refusal the role gets anyway (login page, 403), else 404."""
    outcome = expected(role, endpoint, method, own)
    if role is None:
        return outcome  # the login page: anonymous users learn nothing, not even a 404
    return 403 if outcome == 403 else 404


def _guess_world() -> dict:
    """Two agencies, two employers, a buyer of the first employer; jobs, applications,
    cases (referred and internal), reviews and links of each."""
    agency, other_agency = AgencyFactory(), AgencyFactory()
    employer, other_employer = OrganisationFactory(), OrganisationFactory()
    buyer = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=buyer, target=employer)
    OrganisationLinkFactory(source=agency, target=employer)
    other_link = OrganisationLinkFactory(source=other_agency, target=other_employer)

    job = JobFactory(agency=agency, employer=employer)
    sibling_job = JobFactory(agency=agency, employer=employer)
    other_job = JobFactory(agency=other_agency, employer=other_employer)
    ApplicationFactory(job=job)  # its own application: the guesses are of other ones
    sibling_app = ApplicationFactory(job=sibling_job)
    other_app = ApplicationFactory(job=other_job)

    cases, reviews = {}, {}
    for org in (agency, other_agency, employer, other_employer):
        cases[org.id] = {
            "referred": referred(
                CaseFactory(organisation=org, status="referred", contact=CASE_CONTACT)
            ),
            "internal": CaseFactory(organisation=org, status="triaged", contact=CASE_CONTACT),
        }
        reviews[org.id] = {
            "published": PublishedReviewFactory(
                organisation=org, body=ORIGINAL_TEXT, public_body=PUBLISHED_TEXT
            ),
            "pending": ReviewFactory(organisation=org, title=PENDING_TEXT, body=PENDING_TEXT),
        }
    # The timeline of the employer's referred case: one internal note, one shared.
    supplier_case = cases[employer.id]["referred"]
    CaseEventFactory(case=supplier_case, text=INTERNAL_NOTE, shared=False)
    CaseEventFactory(case=supplier_case, text=SHARED_NOTE, shared=True)

    def ids(own, other, subject=None) -> dict[str, int | str]:
        subject = subject or own  # whose unpublished review and unreferred case are tried
        return {
            "own": own.id,
            "own_job": job.id,
            "sibling_app": sibling_app.public_id,
            "other_job": other_job.id,
            "other_app": other_app.public_id,
            "other_case": cases[other.id]["referred"].public_id,
            "own_case": cases[subject.id]["referred"].public_id,
            "internal_case": cases[subject.id]["internal"].public_id,
            "other_review": reviews[other.id]["published"].public_id,
            "own_review": reviews[subject.id]["published"].public_id,
            "pending_review": reviews[subject.id]["pending"].public_id,
            "other_link": other_link.id,
        }

    named_orgs = [("agency", agency), ("other_agency", other_agency),
                  ("employer", employer), ("other_employer", other_employer)]  # fmt: skip
    return {
        "ids": {
            "agency": ids(agency, other_agency),
            "employer": ids(employer, other_employer),
            # A brand guesses with its supplier's ids: it may read about its cases only on
            # its dashboard, never through an organisation's portal.
            "buyer": ids(buyer, employer, subject=employer),
        },
        "orgs": {"agency": agency.id, "employer": employer.id, "buyer": buyer.id},
        "references": {
            (name, state): cases[org.id][state].reference
            for name, org in named_orgs
            for state in ("referred", "internal")
        },
        "supplier_case": supplier_case.id,
        "supplier_case_public": supplier_case.public_id,
    }


def _fingerprint() -> tuple:
    """What a guessed request could have changed: jobs, applications, reviews, case
    timelines, replies, links, the audit log (every staff action writes to it), messages,
    saved answers and logged calls."""
    return (
        tuple(db.session.execute(select(Review.id, Review.status).order_by(Review.id))),
        tuple(db.session.execute(select(Job.id, Job.status).order_by(Job.id))),
        tuple(
            db.session.execute(select(Application.id, Application.status).order_by(Application.id))
        ),
        db.session.scalar(select(func.count()).select_from(CaseEvent)),
        db.session.scalar(select(func.count()).select_from(Reply)),
        db.session.scalar(select(func.count()).select_from(OrganisationLink)),
        db.session.scalar(select(func.count()).select_from(AuditLog)),
        db.session.scalar(select(func.count()).select_from(Message)),
        db.session.scalar(select(func.count()).select_from(SavedAnswer)),
        db.session.scalar(select(func.count()).select_from(CallLog)),
    )


def _member_of(role: Role) -> Organisation | None:
    """The organisation a network member works for (caseworkers and mobilizers: the network's
    CSO, which owns the world's cases); None for the site's own staff."""
    if role in (Role.CASEWORKER, Role.MOBILIZER):
        return network_cso()
    if role == Role.GOVERNMENT:
        return GovernmentOfficeFactory()
    if role == Role.ASSOCIATION:
        return AssociationFactory()
    return None


@pytest.fixture(scope="class")
def world(shared_app):
    """The guessing world, and a client logged in as each role (anonymous: not at all)."""
    with shared_app.app_context():
        limiter.reset()
        made = _guess_world()
        shared_app.test_client_class = RequestContextClient
        clients: dict[Role | None, FlaskClient] = {}
        for role in ROLES:
            clients[role] = shared_app.test_client()
            if role is not None:
                kind = ORG_ROLE_KINDS.get(role)
                org = db.session.get(Organisation, made["orgs"][kind]) if kind else None
                login(
                    clients[role],
                    UserFactory(role=role.value, organisation=org or _member_of(role)),
                )
        db.session.remove()
    made["clients"] = clients
    yield made
    with shared_app.app_context():
        empty_tables()


@pytest.fixture
def in_app(shared_app):
    """An app context for the checks a test makes on the database between requests."""
    with shared_app.app_context():
        limiter.reset()
        yield
        db.session.remove()


@pytest.mark.usefixtures("in_app")
class TestGuessedIds:
    """One world and one login per role for the whole class: every request must be turned
    away and change nothing, so the tests can share them."""

    def _request(self, world, role, method, url):
        before = _fingerprint()
        data = ACTION_DATA if method == "POST" else None
        response = world["clients"][role].open(url, method=method, data=data)
        db.session.expire_all()
        assert _fingerprint() == before, f"{method} {url} changed something"
        return response

    @pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
    @pytest.mark.parametrize(
        ("endpoint", "method", "path"),
        GUESSES,
        ids=[f"{e}-{m}-{i}" for i, (e, m, _p) in enumerate(GUESSES)],
    )
    def test_other_organisations_ids(self, world, role, endpoint, method, path):
        url = path.format(**world["ids"][_portal_kind(role)])
        response = self._request(world, role, method, url)
        assert response.status_code == refused_or_404(role, endpoint, method, own=True), url

    @pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
    @pytest.mark.parametrize(
        ("endpoint", "method", "rule", "missing"),
        MISSING,
        ids=[f"{e}-{m}-{w}" for e, m, _r, w in MISSING],
    )
    def test_missing_ids(self, world, role, endpoint, method, rule, missing):
        own = world["ids"][_portal_kind(role)]["own"]
        values = dict.fromkeys(_int_params(rule), MISSING_ID)
        if missing == "huge":
            values = dict.fromkeys(_int_params(rule), IMPOSSIBLE_ID)
        elif missing == "ids":
            values["org_id"] = own
        url = _fill(rule, values)
        response = self._request(world, role, method, url)
        if missing == "huge":
            assert response.status_code == 404, url  # no route matches: the same for all
        else:
            assert response.status_code == refused_or_404(
                role, endpoint, method, own=missing != "org"
            ), url

    def test_brands_see_only_their_suppliers_referred_cases(self, world):
        refs = world["references"]
        seen = [refs["employer", "referred"]]
        unseen = [ref for key, ref in refs.items() if key != ("employer", "referred")]
        client = world["clients"][Role.BRAND]
        for url in ("/brand/", "/brand/cases.csv"):
            page = client.get(url).get_data(as_text=True)
            for ref in seen:
                assert ref in page, url
            # Not the agency recruiting for the supplier, not other employers, not the
            # supplier's cases before they are referred to it.
            for ref in unseen:
                assert ref not in page, url
            for secret in (INTERNAL_NOTE, SHARED_NOTE, CASE_CONTACT):
                assert secret not in page, url
        # Nor through the supplier's portal or the case store.
        case_id = world["supplier_case"]
        employer_id = world["orgs"]["employer"]
        public_id = world["supplier_case_public"]
        assert client.get(f"/portal/{employer_id}/cases/{public_id}").status_code == 403
        assert client.get(f"/cases/{case_id}").status_code == 403

    @pytest.mark.parametrize("role", [Role.EMPLOYER_STAFF, Role.ADMIN], ids=str)
    def test_organisations_see_only_the_shared_part_of_their_cases(self, world, role):
        refs = world["references"]
        employer_id = world["orgs"]["employer"]
        client = world["clients"][role]
        listing = client.get(f"/portal/{employer_id}/cases/").get_data(as_text=True)
        assert refs["employer", "referred"] in listing
        for key, ref in refs.items():
            if key != ("employer", "referred"):
                assert ref not in listing
        response = client.get(f"/portal/{employer_id}/cases/{world['supplier_case_public']}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert SHARED_NOTE in page
        assert INTERNAL_NOTE not in page and CASE_CONTACT not in page

    @pytest.mark.parametrize("role", list(ORG_ROLE_KINDS), ids=str)
    def test_portal_pages_show_nothing_internal(self, world, role):
        """Every staff page an organisation's user can open, with its own ids: no internal
        note, no worker's contact, no case it was not told of, no review text a moderator
        has not published."""
        own = world["ids"][ORG_ROLE_KINDS[role]]
        values = {
            "org_id": own["own"], "job_id": own["own_job"], "case_id": own["own_case"],
            "review_id": own["own_review"],
        }  # fmt: skip
        told = {
            Role.AGENCY_STAFF: [("agency", "referred")],
            Role.EMPLOYER_STAFF: [("employer", "referred")],
            Role.BRAND: [("employer", "referred")],  # its supplier's, on its dashboard
        }[role]
        secrets = [INTERNAL_NOTE, CASE_CONTACT, ORIGINAL_TEXT, PENDING_TEXT] + [
            ref for key, ref in world["references"].items() if key not in told
        ]
        opened = 0
        for _endpoint, method, rule in ROUTES:
            if method != "GET":
                continue
            url = _fill(rule, {**dict.fromkeys(_int_params(rule), MISSING_ID), **values})
            response = world["clients"][role].get(url)
            if response.status_code == 200:
                opened += 1
                page = response.get_data(as_text=True)
                for secret in secrets:
                    assert secret not in page, f"{url} shows {secret!r}"
        assert opened >= 4  # overview, contact, staff home, and the role's own pages
        if role != Role.BRAND:  # (the check has something to find: the published text)
            page = (
                world["clients"][role].get(f"/portal/{own['own']}/reviews/").get_data(as_text=True)
            )
            assert PUBLISHED_TEXT in page


# --- a case belongs to one CSO -------------------------------------------------------------

OWNED_SUMMARY = "Owned summary zqowned: twelve workers paid for their permits."


def _case_state(case_id: int) -> tuple:
    """What an action on the case could change: the case, its timeline, the audit log."""
    case = db.session.get(Case, case_id)
    events = select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
    return (
        case.status, case.assignee_id, case.owner_id, case.severity, case.stage_since,
        case.closed_on, db.session.scalar(events),
        db.session.scalar(select(func.count()).select_from(AuditLog)),
    )  # fmt: skip


def test_a_caseworker_of_another_cso_finds_no_trace_of_a_case(app, client):
    """Guessing a case's id gets another CSO's caseworker a 404 on the case and on every
    action, changes nothing, and the case is in neither their list nor their export; the
    owner's caseworker, for comparison, finds it in both."""
    case = CaseFactory(summary=OWNED_SUMMARY, contact=CASE_CONTACT)  # the network CSO's
    CaseEventFactory(case=case, text=INTERNAL_NOTE)
    stranger = UserFactory(role="caseworker", organisation=CsoFactory())
    owner_client = app.test_client()
    login(owner_client, UserFactory(role="caseworker"))
    login(client, stranger)
    case_id, reference, stranger_id = case.id, case.reference, stranger.id
    db.session.remove()

    before = _case_state(case_id)
    response = client.get(f"/cases/{case_id}")
    assert response.status_code == 404
    for secret in (reference, OWNED_SUMMARY, CASE_CONTACT, INTERNAL_NOTE):
        assert secret not in response.get_data(as_text=True)
    data = ACTION_DATA | {"to_status": "triaged", "assignee_id": str(stranger_id), "shared": "y"}
    for action in ("note", "move", "assign", "remediation", "close"):
        response = client.post(f"/cases/{case_id}/{action}", data=data)
        assert response.status_code == 404, action
        db.session.expire_all()
        assert _case_state(case_id) == before, f"{action} changed the case"

    for url in ("/cases/", "/cases/?show=open", "/cases/?show=mine", "/cases/export.csv"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert reference not in page and OWNED_SUMMARY not in page, url
    for url in ("/cases/", "/cases/?show=open", "/cases/export.csv"):
        assert reference in owner_client.get(url).get_data(as_text=True), url
    assert owner_client.get(f"/cases/{case_id}").status_code == 200


# --- a conversation (and a saved answer) belongs to one CSO --------------------------------

WORKER_WORDS = "Worker words zqworker: the broker took my passport, Ma Hla Hla, 081 234 5678."
WORKER_CONTACT = "zqcontact.line.id"
CONVERSATION_NOTE = "Note zqnote: call the agency first."
CONVERSATION_REPLY = "Reply zqreply: keep your pay slips."
ANSWER_TITLE = "Saved zqanswer title"


def _conversation_state(conversation_id: int) -> tuple:
    """What an action on the conversation could change: the conversation, its thread, its
    contact, the cases opened, the audit log."""
    db.session.expire_all()
    item = db.session.get(Conversation, conversation_id)
    return (
        item.owner_id, item.state, item.urgent, item.assignee_id, item.outcome, item.case_id,
        item.closed_on, [c.code for c in item.categories],
        db.session.scalar(select(func.count()).select_from(Message)),
        db.session.scalar(select(func.count()).select_from(Contact)),
        db.session.scalar(select(func.count()).select_from(Case)),
        db.session.scalar(select(func.count()).select_from(AuditLog)),
    )  # fmt: skip


def test_a_caseworker_of_another_cso_finds_no_trace_of_a_conversation(app, client):
    """Guessing a conversation's id gets another CSO's caseworker a 404 on the conversation
    and on every action (reply, note, tag, assign, hand over, close, the contact, a case),
    changes nothing, and neither the conversation nor its words are in their inbox, however
    filtered; the same for the CSO's saved answers. The owner's caseworker, for comparison,
    finds all of it."""
    from goldendreams.cases import taxonomy

    taxonomy.load()
    owner = network_cso()
    own_worker = UserFactory(role="caseworker", organisation=owner)
    conversation = ConversationFactory(urgent=True, organisation=AgencyFactory())
    MessageFactory(conversation=conversation, text=WORKER_WORDS)
    MessageFactory(conversation=conversation, kind="to_worker", text=CONVERSATION_REPLY,
                   author=own_worker)  # fmt: skip
    MessageFactory(conversation=conversation, kind="note", text=CONVERSATION_NOTE,
                   author=own_worker)  # fmt: skip
    ContactFactory(conversation=conversation, value=WORKER_CONTACT)
    answer = SavedAnswerFactory(title=ANSWER_TITLE)
    stranger_cso = CsoFactory()
    stranger = UserFactory(role="caseworker", organisation=stranger_cso)
    owner_client = app.test_client()
    login(owner_client, own_worker)
    login(client, stranger)
    conversation_id, answer_id = conversation.id, answer.id
    stranger_id, stranger_cso_id, owner_id = stranger.id, stranger_cso.id, owner.id
    organisation_id = conversation.organisation_id
    db.session.remove()
    secrets = (WORKER_WORDS, "zqworker", WORKER_CONTACT, CONVERSATION_NOTE, CONVERSATION_REPLY,
               f'href="/inbox/{conversation_id}"')  # fmt: skip

    before = _conversation_state(conversation_id)
    for url in (f"/inbox/{conversation_id}", f"/inbox/{conversation_id}/case",
                f"/inbox/{conversation_id}?answer={answer_id}"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        for secret in secrets:
            assert secret not in response.get_data(as_text=True), url
    data = ACTION_DATA | {
        "assign-assignee_id": str(stranger_id), "hand_over-cso_id": str(stranger_cso_id),
        "tag-categories": "FEE-01", "organisation_id": str(organisation_id),
        "categories": "FEE-01", "severity": "high", "workers": "1", "summary": "A case.",
    }  # fmt: skip
    for action in ("reply", "note", "tag", "assign", "hand-over", "close", "contact", "case"):
        response = client.post(f"/inbox/{conversation_id}/{action}", data=data)
        assert response.status_code == 404, action
        assert WORKER_CONTACT not in response.get_data(as_text=True), action
        assert _conversation_state(conversation_id) == before, f"{action} changed it"

    lists = ("/inbox/", "/inbox/?state=new", "/inbox/?urgent=y", "/inbox/?language=my",
             f"/inbox/?owner={owner_id}", "/inbox/?assignee=nobody")  # fmt: skip
    for url in lists:
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in secrets:
            assert secret not in response.get_data(as_text=True), url
    link = f'href="/inbox/{conversation_id}"'
    for url in lists[:3]:
        assert link in owner_client.get(url).get_data(as_text=True), url
    page = owner_client.get(f"/inbox/{conversation_id}").get_data(as_text=True)
    assert WORKER_WORDS in page and CONVERSATION_NOTE in page and WORKER_CONTACT not in page
    # The owner's caseworker sees the contact only by asking for it (and it is audited);
    # an admin, who may read the conversation, never sees it.
    assert WORKER_CONTACT in owner_client.post(f"/inbox/{conversation_id}/contact").get_data(
        as_text=True
    )
    admin = app.test_client()
    login(admin, UserFactory(role="admin"))
    assert WORKER_WORDS in admin.get(f"/inbox/{conversation_id}").get_data(as_text=True)
    response = admin.post(f"/inbox/{conversation_id}/contact", follow_redirects=True)
    assert WORKER_CONTACT not in response.get_data(as_text=True)
    views = select(func.count()).select_from(AuditLog).filter_by(action="conversation.contact_view")
    assert db.session.scalar(views) == 1  # the owner's caseworker's view only
    # The same data was enough to act: the refusals above were refusals.
    assert owner_client.post(f"/inbox/{conversation_id}/note", data=data).status_code == 302
    assert _conversation_state(conversation_id)[8] == before[8] + 1  # one message more

    # Saved answers: another CSO's are not found, nor listed, nor usable.
    answers_before = db.session.scalar(select(func.count()).select_from(SavedAnswer))
    assert ANSWER_TITLE not in client.get("/inbox/answers/").get_data(as_text=True)
    assert client.get(f"/inbox/answers/{answer_id}").status_code == 404
    assert client.post(f"/inbox/answers/{answer_id}", data=data).status_code == 404
    assert client.post(f"/inbox/answers/{answer_id}/remove").status_code == 404
    db.session.expire_all()
    assert db.session.get(SavedAnswer, answer_id).title == ANSWER_TITLE
    assert db.session.scalar(select(func.count()).select_from(SavedAnswer)) == answers_before
    assert ANSWER_TITLE in owner_client.get("/inbox/answers/").get_data(as_text=True)
    assert owner_client.get(f"/inbox/answers/{answer_id}").status_code == 200


def test_a_handed_over_conversation_leaves_the_first_cso(app, client):
    """Once a conversation is handed over, the CSO that had it finds it no more (404), and
    the one it went to does."""
    first = UserFactory(role="caseworker")
    receiver = CsoFactory()
    second = UserFactory(role="caseworker", organisation=receiver)
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation, text=WORKER_WORDS)
    login(client, first)
    other = app.test_client()
    login(other, second)
    conversation_id, receiver_id = conversation.id, receiver.id
    db.session.remove()
    assert other.get(f"/inbox/{conversation_id}").status_code == 404
    data = {"hand_over-cso_id": str(receiver_id), "hand_over-note": "They speak Lao."}
    response = client.post(f"/inbox/{conversation_id}/hand-over", data=data)
    assert response.status_code == 302
    assert client.get(f"/inbox/{conversation_id}").status_code == 404
    assert WORKER_WORDS not in client.get("/inbox/").get_data(as_text=True)
    page = other.get(f"/inbox/{conversation_id}").get_data(as_text=True)
    assert WORKER_WORDS in page and "They speak Lao." in page


def test_a_referred_case_before_and_after_acceptance(app, client):
    """What each side of a referral reaches, before the receiver accepts and after: the
    receiving CSO reads only the offer until it accepts, then runs the case; the sender
    then keeps a read-only view without the worker's contact or the summary; a government
    office reaches the case only once it accepted an offer of its own; an uninvolved CSO
    never reaches it."""
    from goldendreams.cases import referrals

    case = CaseFactory(summary=OWNED_SUMMARY, contact=CASE_CONTACT, status="triaged")
    CaseEventFactory(case=case, text=INTERNAL_NOTE)
    receiver, office = CsoFactory(), GovernmentOfficeFactory()
    people = {
        "sender": UserFactory(role="caseworker"),
        "receiver": UserFactory(role="caseworker", organisation=receiver),
        "officer": UserFactory(role="government", organisation=office),
        "stranger": UserFactory(role="caseworker", organisation=CsoFactory()),
    }
    to_cso = referrals.propose(case, people["sender"], receiver, "Please take it.", "phone", "Yes.")
    case_id, public_id, referral_id = case.id, case.public_id, to_cso.id
    clients = {}
    for name, user in people.items():
        clients[name] = app.test_client()
        login(clients[name], user)

    def status(name: str, url: str) -> int:
        return clients[name].get(url).status_code

    def page(name: str, url: str) -> str:
        return clients[name].get(url).get_data(as_text=True)

    # Before: the receiver reads the offer, not the case.
    assert status("receiver", f"/cases/{case_id}") == 404
    offer = page("receiver", f"/cases/referrals/{referral_id}")
    assert "Please take it." in offer
    for secret in (OWNED_SUMMARY, CASE_CONTACT, INTERNAL_NOTE):
        assert secret not in offer
    assert status("sender", f"/cases/{case_id}") == 200
    for name in ("officer", "stranger"):
        assert status(name, f"/cases/referrals/{referral_id}") == 404, name
        assert status(name, f"/cases/{case_id}/followed") == 404, name
    assert status("officer", f"/cases/office/{public_id}") == 404

    response = clients["receiver"].post(f"/cases/referrals/{referral_id}/accept")
    assert response.status_code == 302
    # After: the receiver runs it; the sender follows it, read-only and without secrets.
    assert status("receiver", f"/cases/{case_id}") == 200
    assert status("sender", f"/cases/{case_id}") == 404
    followed = page("sender", f"/cases/{case_id}/followed")
    assert case.reference in followed
    for secret in (OWNED_SUMMARY, CASE_CONTACT, INTERNAL_NOTE):
        assert secret not in followed
    assert clients["sender"].post(f"/cases/{case_id}/note", data={"text": "x"}).status_code == 404
    assert status("stranger", f"/cases/{case_id}") == 404
    assert status("stranger", f"/cases/{case_id}/followed") == 404

    # The new owner offers it to the office; the office reaches it once it accepts.
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    new_owner = db.session.get(type(people["receiver"]), people["receiver"].id)
    offer_to_office = referrals.propose(case, new_owner, office, "Please inspect.", "phone", "Yes.")
    assert status("officer", f"/cases/office/{public_id}") == 404
    clients["officer"].post(f"/cases/referrals/{offer_to_office.id}/accept")
    office_page = page("officer", f"/cases/office/{public_id}")
    assert "Please inspect." in office_page
    for secret in (OWNED_SUMMARY, CASE_CONTACT, INTERNAL_NOTE):
        assert secret not in office_page
    assert status("officer", f"/cases/{case_id}") == 403
