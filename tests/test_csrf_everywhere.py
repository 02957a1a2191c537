"""Every POST route refuses a form sent without its CSRF token, not only ``/login``.

The routes are read from the app's URL map, so a new one is tried as soon as it exists. Each
is posted to with CSRF protection on, with ids of real records in its URL and with data that
would be enough to act, by a user allowed there (an administrator for the staff pages; nobody
for the public ones; a logged-in moderator to log out). The answer must be the explained
"form has expired" 400, and no table may change.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from goldendreams import create_app
from goldendreams.cases.models import Case
from goldendreams.core import tracking
from goldendreams.core.auth import Role
from goldendreams.extensions import db, limiter
from goldendreams.jobs.models import Application
from goldendreams.reviews.models import Review
from tests.collective.factories import route_ids as collective_route_ids
from tests.conftest import TEST_PASSWORD, empty_tables, enter_code, make_config
from tests.factories import (
    ContactFactory,
    ConversationFactory,
    InvitationFactory,
    MessageFactory,
    ReviewFactory,
    UserFactory,
    network_cso,
)
from tests.plans.factories import route_ids as plan_route_ids
from tests.test_authorization import (
    ACTION_DATA,
    STAFF_PREFIXES,
    link_for,
    organisation_for,
    reviews_for,
)

#: POST routes that take no CSRF token, each with the reason.
EXEMPT: dict[str, str] = {
    # tests/channels/: a platform cannot hold a token; each signs its deliveries instead,
    # and a bad signature is refused (403) with nothing stored.
    "channels.webhook": "messaging platforms sign their deliveries instead",
}

#: Routes a logged-in user posts to, though they are not under the staff prefixes.
SIGNED_IN = {"accounts.logout"}

#: Enough for each action to go through, were the token not checked.
DATA = {
    **ACTION_DATA,
    "rating": "4",
    "relationship_kind": "former",
    "name": "Ma Thida",
    "phone": "09 450 222 333",
    "consent": "y",
    "reason": "spam",
    "decision": "publish",
    "answer": "yes",
    "email": "csrf-target@example.org",
    "password": TEST_PASSWORD,
    "new": "plum kettle harbour violin",  # a first or new password
    "again": "plum kettle harbour violin",
    "role": "caseworker",
    "locale": "en",
    "proof": TEST_PASSWORD,  # new recovery codes
    "code": "123456",
    "country": "TH",  # asking for help (/ask): with "topic" and "text" above
    "confirm": "y",  # closing or erasing a conversation, withdrawing a review
}

#: The worker's pages that take their code: the code of a real conversation or review.
CODE_OF = {"desk.write": "conversation", "desk.close": "conversation",
           "desk.erase": "conversation", "desk.withdraw": "review"}  # fmt: skip


def worker_code(kind: str) -> str:
    """A code that opens a conversation (with a message and a way to reach the worker) or
    a pending review."""
    code = tracking.new_code()
    if kind == "review":
        ReviewFactory(tracking_hash=tracking.code_hash(code))
    else:
        conversation = ConversationFactory(code_hash=tracking.code_hash(code))
        MessageFactory(conversation=conversation)
        ContactFactory(conversation=conversation)
    return code


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def post_routes() -> list[tuple[str, str]]:
    app = create_app(make_config("sqlite://"))
    return sorted(
        (rule.endpoint, rule.rule) for rule in app.url_map.iter_rules() if "POST" in rule.methods
    )


ROUTES = post_routes()


@pytest.fixture(scope="module")
def shared_app(_schema, database_url):
    """One app, with CSRF protection on, for the module (building one per test is slow)."""
    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app):
    """conftest's ``app`` on the module's app: fresh tables and rate limits for each test."""
    with shared_app.app_context():
        limiter.reset()
        yield shared_app
        empty_tables()


def log_in_with_token(client, user) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    if response.headers["Location"].startswith("/login/code"):
        enter_code(client, user, response.headers["Location"])  # with the page's token


def url_for_rule(rule: str, endpoint: str, ids: dict[str, int], org_id: int, link_id: int) -> str:
    """The rule with real ids (public ids where the route takes those)."""

    def public(model, key: int) -> str:
        return db.session.scalar(select(model.public_id).where(model.id == key))

    def value(match: re.Match) -> str:
        converter, options, name = match.groups()
        if converter == "any":
            return options.split(",")[0].strip()
        if name == "org_id":
            return str(org_id)
        if name == "link_id":
            return str(link_id)
        if name == "flag_id":
            return str(ids["job_flag" if "job_flag" in endpoint else "flag"])
        if name == "review_id":
            review = ids["published" if endpoint.startswith("reviews_portal.") else "pending"]
            return public(Review, review) if converter == "public_id" else str(review)
        if name == "application_id":
            return public(Application, ids["application"])
        if name == "case_id":
            return public(Case, ids["case"]) if converter == "public_id" else str(ids["case"])
        if name in ("escalation_id", "commitment_id"):  # brands/: the token is checked first
            return "NoSuchPublicId00"
        if name in ("service_id", "service_referral_id"):  # support/: a real one
            from tests.support.factories import ServiceReferralFactory

            referral = ServiceReferralFactory(case=db.session.get(Case, ids["case"]))
            return referral.service.public_id if name == "service_id" else str(referral.id)
        if name in ("record_id", "check_in_id"):  # safeguarding/: the token is checked first
            return "1"
        key = name.removesuffix("_id")
        if key in ids:
            return str(ids[key])
        raise AssertionError(f"{rule}: no value for <{match.group(0)}>: add it to this test")

    return _ARGUMENT.sub(value, rule)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table."""
    db.session.expire_all()
    return {
        table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
    }


def test_every_post_route_is_tried():
    assert len(ROUTES) >= 30  # the URL map was read
    assert {"accounts.login", "reviews.write", "moderation.publish"} <= {e for e, _ in ROUTES}
    assert set(EXEMPT) <= {endpoint for endpoint, _ in ROUTES}, "an exemption names no route"


@pytest.mark.parametrize(("endpoint", "rule"), ROUTES, ids=[f"{e}:{r}" for e, r in ROUTES])
def test_post_without_a_token_is_refused(app, client, user_for, endpoint, rule):
    if endpoint in EXEMPT:
        pytest.skip(f"exempt: {EXEMPT[endpoint]}")
    org = organisation_for(None)  # an agency: admins act for it in the portal
    ids = reviews_for(org)
    ids |= plan_route_ids(org)  # <plan_id>, <item_id> of tests/plans
    ids |= collective_route_ids(org)  # <collective_id>, <instalment_id>, <line_id>
    link = link_for(org)
    if rule.startswith(STAFF_PREFIXES):
        log_in_with_token(client, user_for(Role.ADMIN))
    elif endpoint in SIGNED_IN:
        log_in_with_token(client, user_for(Role.MODERATOR))
    # What DATA would log in to, and the account user routes act on.
    ids["user"] = UserFactory(email=DATA["email"], role=Role.MODERATOR.value).id
    # A link's token (invitations, password resets): one that opens an invitation.
    ids["token"] = InvitationFactory().token
    data = DATA | ({"code": worker_code(CODE_OF[endpoint])} if endpoint in CODE_OF else {})
    db.session.commit()
    url = url_for_rule(rule, endpoint, ids, org.id, link.id)
    before = snapshot()

    response = client.post(url, data=data)

    assert response.status_code == 400, url
    assert "This form has expired" in response.get_data(as_text=True), url
    assert snapshot() == before, f"{url} changed the database without a CSRF token"


@pytest.mark.parametrize("endpoint", [*sorted(CODE_OF), "ask.send"])
def test_the_workers_forms_act_on_the_same_data_without_the_check(app, client, endpoint):
    """The refusals above are the token's doing: the worker's forms, sent the same data with
    CSRF protection off, do act (so a test whose data was too thin to act would fail)."""
    network_cso()  # the routing rules' default answers a question asked at /ask
    data = DATA | ({"code": worker_code(CODE_OF[endpoint])} if endpoint in CODE_OF else {})
    db.session.commit()
    before = snapshot()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = client.post(dict(ROUTES)[endpoint], data=data)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 200, endpoint
    assert snapshot() != before, f"{endpoint} did nothing with this data"
