"""Every public route, as every role and as anonymous: what each one gets, and that nothing
unpublished can be reached by guessing its id.

What this proves, for every route of the url_map outside the staff prefixes (the staff ones
are in tests/test_authorization.py), with GET and with POST where the route takes them:

- each role and anonymous get exactly the status of the table below, never a 500;
- hidden things answer 404 to everyone, staff included (the public views have no preview
  for staff: agencies preview their jobs in their portal, moderators in the queue):
  pending, rejected and withdrawn reviews; draft, submitted and rejected jobs; ids that do
  not exist or that no row can have; draft rights articles; buyers' review pages;
- a job that no longer takes applications sends its apply form back to the job page;
- no public page shows anything unpublished or internal: the text of hidden reviews and
  jobs, a review's original (unredacted) text, a reply not yet published, a draft article,
  a case (its reference, summary, contact, notes), a worker's conversation (their words,
  the caseworkers' replies and notes, the worker's contact), a CSO's saved answers;
- an empty POST stores nothing (no review, report, application, claim, conversation,
  message or contact), whoever sends it;
- every route of the url_map, staff or public, has an expectation in one of the two tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from goldendreams.accounts import resets
from goldendreams.agencies.models import Organisation, ProfileClaim
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.core.base import today, utcnow
from goldendreams.extensions import db, limiter
from goldendreams.inbox.models import Contact, Conversation, Message
from goldendreams.jobs.models import Application, JobFlag, JobText
from goldendreams.reviews.models import Flag, Reply, Review
from tests.conftest import RequestContextClient, login
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticleTextFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    ContactFactory,
    ConversationFactory,
    CsoFactory,
    HotlineFactory,
    InvitationFactory,
    JobFactory,
    MessageFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
    SavedAnswerFactory,
    UserFactory,
    referred,
)
from tests.test_authorization import (
    ROLES,
    STAFF_PREFIXES,
    empty_tables,
    expected,
    module_app,
)
from tests.test_authorization import ROUTES as STAFF_ROUTES

#: Every hidden text below carries this word: no public page may ever show it.
HIDDEN = "zqhidden"
#: And every published one this word (to check that the pages do show what is public).
VISIBLE = "zqvisible"
#: Both hidden and published texts have this word: searching for it must find only the
#: published ones (a hidden hit would show its title or snippet, with HIDDEN in it).
SOUGHT = "zqsought"
CASE_CONTACT = f"Ko Aung, LINE id {HIDDEN}contact"

MISSING_ID = 999_999
#: No row can have it: the URL converter refuses it, so no route matches.
IMPOSSIBLE_ID = 2**31


@dataclass(frozen=True)
class Variant:
    """One URL of a route, a template of ``path`` filled with the world's ids.

    ``status`` and ``location`` (where a redirect goes) are the same for everyone, or a pair
    (anonymous, signed in). A redirect without a location must go to the login page."""

    name: str
    path: str
    status: int | tuple[int, int]
    location: str | tuple[str | None, str | None] | None = None
    #: False for paths the router itself refuses (no route matches them).
    routed: bool = True

    def status_for(self, role: Role | None) -> int:
        return _for(self.status, role)

    def location_for(self, role: Role | None) -> str | None:
        return _for(self.location, role)


def _for(value, role: Role | None):
    if isinstance(value, tuple):
        return value[0] if role is None else value[1]
    return value


def V(name, path, status, location=None, routed=True) -> Variant:  # a short name: table rows
    return Variant(name, path, status, location, routed)


def _ids(
    path: str,
    back_to: str | None = None,
    missing=MISSING_ID,
    impossible=IMPOSSIBLE_ID,
    **named: int,
) -> list[Variant]:
    """A route with an id: the ids of the world named, with their statuses (302 goes back to
    ``back_to``); an id that does not exist; one that cannot."""
    return [
        *[
            V(name, path.format(id=f"{{{name}}}"), status,
              back_to.format(id=f"{{{name}}}") if status == 302 else None)
            for name, status in named.items()
        ],
        V("missing", path.format(id=missing), 404),
        V("impossible", path.format(id=impossible), 404, routed=False),
    ]  # fmt: skip


#: Job variants: shown (200) or hidden (404) to everyone. The hidden ones belong to the
#: agency of the agency_staff user: its staff preview them in the portal, never here.
JOB_PAGES = {
    "open_job": 200, "closed_job": 200, "past_deadline_job": 200, "unlicensed_job": 200,
    "draft_job": 404, "submitted_job": 404, "rejected_job": 404,
}  # fmt: skip
#: A job that takes no applications sends its apply form back to the job page.
APPLY = {
    **{name: 302 for name, status in JOB_PAGES.items() if status == 200},
    "open_job": 200,  # the form (with its errors, for an empty POST)
    **{name: 404 for name, status in JOB_PAGES.items() if status == 404},
}
#: Reviews are addressed by random public ids: one no review has, one no route takes.
PUBLIC_IDS = {"missing": "NoSuchPublicId00", "impossible": "NoSuchPublicId000"}
REVIEWS = {"published_review": 200, "pending_review": 404, "rejected_review": 404,
           "withdrawn_review": 404}  # fmt: skip
#: Organisations: every kind has a page; workers review employers and agencies only (not
#: buyers, nor the network's NGOs and unions).
ORG_PAGES = {"employer": 200, "agency": 200, "buyer": 200, "ngo": 200, "union": 200}
REVIEWABLE = {"employer": 200, "agency": 200, "buyer": 404, "ngo": 404, "union": 404}
#: Staff of employers and agencies ask for an account from its page (buyers are invited).
CLAIMABLE = REVIEWABLE

#: (endpoint, method) → its variants. 302 for signed-in users on /login: they are in.
PUBLIC: dict[tuple[str, str], list[Variant]] = {
    ("core.home", "GET"): [V("", "/", 200)],
    ("core.health", "GET"): [V("", "/health", 200)],
    ("core.set_language", "GET"): [
        V("known", "/language/en?next=/jobs/", 302, "/jobs/"),
        V("unknown", "/language/xx", 404),
        V("offsite_next", "/language/en?next=//evil.example/", 302, "/"),
    ],
    ("accounts.login", "GET"): [V("", "/login", (200, 302), (None, "/staff/"))],
    # Anonymous: the form with its errors.
    ("accounts.login", "POST"): [V("", "/login", (200, 302), (None, "/staff/"))],
    ("accounts.logout", "POST"): [V("", "/logout", 302, (None, "/"))],
    # One-time links: an open one shows its form (with errors for an empty POST); a used,
    # expired or unknown one the same 404, whoever asks.
    ("users.accept_invitation", "GET"): [
        V("open", "/invitation/{open_invitation}", 200),
        V("used", "/invitation/{used_invitation}", 404),
        V("unknown", "/invitation/no-such-token", 404),
    ],
    ("users.accept_invitation", "POST"): [
        V("open", "/invitation/{open_invitation}", 200),
        V("used", "/invitation/{used_invitation}", 404),
        V("unknown", "/invitation/no-such-token", 404),
    ],
    ("password_reset.forgot", "GET"): [V("", "/login/forgot", (200, 302), (None, "/staff/"))],
    ("password_reset.forgot", "POST"): [V("", "/login/forgot", (200, 302), (None, "/staff/"))],
    ("password_reset.reset", "GET"): [
        V("open", "/login/reset/{open_reset}", 200),
        V("unknown", "/login/reset/no-such-token", 404),
    ],
    ("password_reset.reset", "POST"): [
        V("open", "/login/reset/{open_reset}", 200),
        V("unknown", "/login/reset/no-such-token", 404),
    ],
    # The code step of a login: without a password typed first, back to the login page.
    ("two_factor.login_code", "GET"): [V("", "/login/code", 302, ("/login", "/staff/"))],
    ("two_factor.login_code", "POST"): [V("", "/login/code", 302, ("/login", "/staff/"))],
    ("profile.directory", "GET"): [
        V("", "/directory/", 200),
        V("page_past_the_end", "/directory/?page=500", 404),
        V("page_too_far", "/directory/?page=99999999999", 404),
    ],
    ("profile.organisation", "GET"): _ids("/organisations/{id}", **ORG_PAGES),
    ("agencies.claim", "GET"): _ids("/organisations/{id}/claim", **CLAIMABLE),
    ("agencies.claim", "POST"): _ids("/organisations/{id}/claim", **CLAIMABLE),  # the errors
    ("agencies.claim_new", "GET"): [V("", "/organisations/claim-new", 200)],
    ("agencies.claim_new", "POST"): [V("", "/organisations/claim-new", 200)],  # the errors
    ("reviews.write", "GET"): _ids("/organisations/{id}/review", **REVIEWABLE),
    ("reviews.write", "POST"): _ids("/organisations/{id}/review", **REVIEWABLE),
    ("reviews.reviews", "GET"): _ids("/organisations/{id}/reviews", **REVIEWABLE),
    ("reviews.report", "GET"): _ids("/reviews/{id}/report", **PUBLIC_IDS, **REVIEWS),
    ("reviews.report", "POST"): _ids("/reviews/{id}/report", **PUBLIC_IDS, **REVIEWS),
    ("desk.check", "GET"): [V("", "/check", 200)],
    ("desk.check", "POST"): [V("", "/check", 200)],  # no code: the form with its error
    ("desk.answer", "POST"): [V("", "/check/answer", 400)],  # no code, no case
    ("desk.withdraw", "POST"): [V("", "/check/withdraw", 400)],  # no code, no review
    ("desk.referral_consent", "POST"): [V("", "/check/referral", 400)],  # no code
    ("desk.write", "POST"): [V("", "/check/write", 400)],  # no code
    ("desk.close", "POST"): [V("", "/check/close", 400)],  # no code
    ("desk.erase", "POST"): [V("", "/check/erase", 400)],  # no code
    # The worker tells of retaliation with their code (tests/safeguarding for the rest).
    ("safeguarding_worker.report", "POST"): [V("", "/check/retaliation", 400)],  # no code
    ("ask.ask", "GET"): [
        V("", "/ask", 200),
        V("emergency", "/ask?topic=emergency&country=TH", 200),
        V("unknown_topic", "/ask?topic=party&country=TH", 400),  # step 1 again, with the error
    ],
    ("ask.send", "POST"): [V("", "/ask", 400)],  # no topic, no country: step 1 again
    # A messaging app's webhook: off without its credentials (tests/channels turn them on).
    ("channels.verify_webhook", "GET"): [V("", "/channels/telegram/webhook", 404)],
    ("channels.webhook", "POST"): [V("", "/channels/telegram/webhook", 404)],
    ("jobs.job_list", "GET"): [
        V("", "/jobs/", 200),
        V("page_past_the_end", "/jobs/?page=500", 404),
    ],
    ("jobs.job", "GET"): _ids("/jobs/{id}", **JOB_PAGES),
    ("jobs.apply", "GET"): _ids("/jobs/{id}/apply", back_to="/jobs/{id}", **APPLY),
    ("jobs.apply", "POST"): _ids("/jobs/{id}/apply", back_to="/jobs/{id}", **APPLY),
    ("jobs.report", "GET"): _ids("/jobs/{id}/report", **JOB_PAGES),
    ("jobs.report", "POST"): _ids("/jobs/{id}/report", **JOB_PAGES),
    ("case_metrics.metrics", "GET"): [V("", "/metrics", 200)],
    ("rights.article_list", "GET"): [
        V("", "/rights/", 200),
        V("country", "/rights/?country=TH", 200),
    ],
    ("rights.article", "GET"): [
        V("published", "/rights/{published_article}", 200),
        V("draft", "/rights/{draft_article}", 404),
        V("without_text", "/rights/{empty_article}", 404),
        V("missing", "/rights/no-such-article", 404),
    ],
    ("rights.calculator", "GET"): [
        V("", "/rights/calculator", 200),
        V("sums", "/rights/calculator?fee=30000&fee_currency=THB&wage=9000&wage_currency=THB", 200),
    ],
    ("network.partners", "GET"): [
        V("", "/partners", 200),
        V("country", "/partners?country=MM", 200),
        V("unknown_country", "/partners?country=ZZ", 200),  # an error on the form, every CSO
    ],
    ("rights.hotlines", "GET"): [
        V("", "/help/", 200),
        V("unknown_country", "/help/?country=ZZ", 404),
    ],
    ("rights.service_worker", "GET"): [V("", "/sw.js", 200)],
    ("search.search", "GET"): [
        V("", "/search", 200),
        V("words_of_hidden_texts", f"/search?q={SOUGHT}", 200),
        V("one_type", f"/search?q={SOUGHT}&type=review", 200),
        V("page_too_far", f"/search?q={SOUGHT}&type=review&page=50", 404),
    ],
    # The service directory (support/): bad filters are ignored, like the directory's.
    ("support.service_directory", "GET"): [
        V("", "/services/", 200),
        V("filtered", "/services/?country=TH&kind=legal_aid&language=my", 200),
        V("unknown_filters", "/services/?country=ZZ&kind=party&language=xx", 200),
        V("page_past_the_end", "/services/?page=500", 404),
    ],
    ("static", "GET"): [V("", "/static/style.css", 200), V("missing", "/static/nope.css", 404)],
}


def public_routes(app_routes) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, method)
        for rule in app_routes
        if not rule.rule.startswith(STAFF_PREFIXES)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


CASES = [(endpoint, method, variant) for (endpoint, method), vs in PUBLIC.items() for variant in vs]


@pytest.fixture(scope="module")
def shared_app(_schema, database_url):
    yield from module_app(database_url)


@pytest.fixture(scope="module")
def world(shared_app):
    """Published and hidden things of every kind, and a client per role (logged in once)."""
    with shared_app.app_context():
        limiter.reset()
        ids, secrets = _build()
        users = {
            role: UserFactory(
                role=role.value,
                organisation=_org_for(role, ids),
            ).email
            for role in Role
        }
        shared_app.test_client_class = RequestContextClient
        clients: dict[Role | None, FlaskClient] = {None: shared_app.test_client()}
        for role, email in users.items():
            clients[role] = shared_app.test_client()
            login(clients[role], SimpleNamespace(email=email))
        db.session.remove()
    yield SimpleNamespace(ids=ids, secrets=secrets, users=users, clients=clients)
    with shared_app.app_context():
        empty_tables()


def _org_for(role: Role, ids: dict) -> Organisation | None:
    kind = ORG_ROLE_KINDS.get(role)
    return db.session.get(Organisation, ids[kind]) if kind else None


def _job(agency, status: str, **extra):
    shown = VISIBLE if status in ("published", "closed") else HIDDEN
    title = f"Packing fish {shown} {SOUGHT}"
    return JobFactory(
        agency=agency,
        status=status,
        texts=[JobText(locale="en", title=title, description=f"Work {title}")],
        **extra,
    )


def _build() -> tuple[dict, list[str]]:
    """The world: returns the ids the paths use, and the texts no public page may show."""
    employer, buyer = OrganisationFactory(), BuyerFactory()
    ngo, union = CsoFactory(), CsoFactory(kind="union", country="MY")
    agency = AgencyFactory(licence_expiry=None)  # a licence on record without an expiry
    unlicensed = AgencyFactory(licence_status="revoked")
    yesterday = today() - timedelta(days=1)
    jobs = {
        "open_job": _job(agency, "published", employer=employer),
        "closed_job": _job(agency, "closed", employer=employer),
        "past_deadline_job": _job(agency, "published", deadline=yesterday),
        "unlicensed_job": _job(unlicensed, "published"),
        "draft_job": _job(agency, "draft", published_on=None),
        "submitted_job": _job(agency, "submitted", published_on=None),
        "rejected_job": _job(agency, "rejected", published_on=None),
    }
    published = PublishedReviewFactory(
        organisation=agency,
        title=f"Honest {VISIBLE} {SOUGHT}",
        # The original names someone; the published text does not.
        body=f"Call Ko {HIDDEN}name on 0812345678 about the fees.",
        public_title=f"Honest {VISIBLE} {SOUGHT}",
        public_body=f"Call [name] on [phone] about the fees {VISIBLE} {SOUGHT}.",
    )
    ReplyFactory(review=published, status="published", body=f"We answer {VISIBLE}.")
    ReplyFactory(
        review=PublishedReviewFactory(organisation=employer),
        body=f"A reply not yet checked {HIDDEN}.",
    )
    reviews = {
        "published_review": published,
        **{
            f"{status}_review": ReviewFactory(
                organisation=agency,
                status=status,
                title=f"Title {HIDDEN} {SOUGHT}",
                body=f"Body {HIDDEN} {SOUGHT}",
            )
            for status in ("pending", "rejected", "withdrawn")
        },
    }
    # An internal case (not referred) and a referred one, each with an internal note.
    cases = [
        CaseFactory(organisation=employer, status="triaged", contact=CASE_CONTACT,
                    summary=f"Fees {HIDDEN}"),
        referred(CaseFactory(organisation=agency, status="referred", contact=CASE_CONTACT,
                             summary=f"Fees {HIDDEN}")),
    ]  # fmt: skip
    for case in cases:
        CaseEventFactory(case=case, text=f"Internal note {HIDDEN}")
    # A worker's conversation about the agency: their words, a reply, a note, their contact.
    conversation = ConversationFactory(organisation=agency)
    MessageFactory(conversation=conversation, text=f"They took my passport {HIDDEN}words {SOUGHT}")
    MessageFactory(conversation=conversation, kind="to_worker", text=f"Reply {HIDDEN}reply")
    MessageFactory(conversation=conversation, kind="note", text=f"Note {HIDDEN}note")
    ContactFactory(conversation=conversation, value=f"{HIDDEN}.line.id")
    SavedAnswerFactory(title=f"Saved {HIDDEN}", body=f"Saved answer {HIDDEN} {SOUGHT}")
    articles = {
        "published_article": ArticleTextFactory(title=f"Fees {VISIBLE} {SOUGHT}").article,
        "draft_article": ArticleTextFactory(
            article=ArticleFactory(status="draft"), title=f"Draft {HIDDEN} {SOUGHT}"
        ).article,
        "empty_article": ArticleFactory(),
    }
    HotlineFactory()
    # A listed service and one switched off, and a case's referral to it (internal note).
    from tests.support.factories import ServiceFactory, ServiceReferralFactory

    listed = ServiceFactory(name=f"Legal aid {VISIBLE}", checked_on=today())
    ServiceFactory(name=f"Closed shelter {HIDDEN}", status="off")
    ServiceReferralFactory(
        case=cases[0], service=listed, note=f"Needs {HIDDEN}", outcome=f"Got {HIDDEN}"
    )
    ids = {
        **{name: job.id for name, job in jobs.items()},
        **{name: review.public_id for name, review in reviews.items()},
        **{name: article.slug for name, article in articles.items()},
        "employer": employer.id,
        "agency": agency.id,
        "buyer": buyer.id,
        "ngo": ngo.id,
        "union": union.id,
        "open_invitation": InvitationFactory().token,
        "used_invitation": InvitationFactory(used_at=utcnow()).token,
        "open_reset": resets.issue(UserFactory(role="agency_staff", organisation=agency)),
    }
    secrets = [HIDDEN, *(case.reference for case in cases)]
    return ids, secrets


def _counts() -> tuple[int, ...]:
    """What a public POST could store."""
    stored = (Review, Reply, Flag, JobFlag, Application, ProfileClaim, Conversation, Message,
              Contact)  # fmt: skip
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in stored)


@pytest.fixture
def in_app(shared_app):
    with shared_app.app_context():
        limiter.reset()  # the code, apply and login limits count every try
        yield
        db.session.remove()


def test_every_route_has_an_expectation(shared_app):
    """New routes must be added to a table: here (public) or in test_authorization.py."""
    public = public_routes(shared_app.url_map.iter_rules())
    missing = sorted(set(public) - set(PUBLIC))
    assert not missing, f"add these public routes to PUBLIC: {missing}"
    stale = sorted(set(PUBLIC) - set(public))
    assert not stale, f"these routes are gone: remove them from PUBLIC: {stale}"
    for endpoint, method, _rule in STAFF_ROUTES:
        for role in ROLES:
            expected(role, endpoint, method, own=True)  # raises for a staff route without one
    # And each variant's path is one of its route's (so the table cannot test the wrong one).
    adapter = shared_app.url_map.bind("localhost")
    for endpoint, method, variant in CASES:
        path = variant.path.split("?")[0].format_map(_SampleIds())
        try:
            found = adapter.match(path, method=method)[0]
        except NotFound:
            assert not variant.routed, f"{variant.path} matches no route"
        else:
            assert variant.routed and found == endpoint, f"{variant.path} is not {endpoint}"


class _SampleIds(dict):
    """Stands in for the world's ids: an id, or an article's slug."""

    def __missing__(self, key: str) -> str:
        if key.endswith("_article"):
            return "a-slug"
        return "SamplePublicId00" if key.endswith("_review") else "1"  # random public ids


@pytest.mark.usefixtures("in_app")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "variant"),
    CASES,
    ids=[f"{e}-{m}-{v.name}" if v.name else f"{e}-{m}" for e, m, v in CASES],
)
def test_public_route(world, role, endpoint, method, variant):
    url = variant.path.format(**world.ids)
    client = world.clients[role]
    if endpoint == "accounts.logout" and role is not None:
        # Logging out ends the shared client's login: use one of its own.
        client = client.application.test_client()
        login(client, SimpleNamespace(email=world.users[role]))
    before = _counts() if method == "POST" else None

    response = client.open(url, method=method, data={})
    shown = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    response.close()  # files (sw.js, static) are streamed: close them

    assert response.status_code == variant.status_for(role), url
    if method == "POST":
        db.session.expire_all()
        assert _counts() == before, f"an empty POST to {url} stored something"
    if response.status_code == 302:
        location, wanted = response.headers["Location"], variant.location_for(role)
        if wanted is None:
            assert location.startswith("/login?"), url
        else:
            assert location == wanted.format(**world.ids), url
    for secret in world.secrets:
        assert secret not in shown, f"{url} shows {secret!r}"


@pytest.mark.usefixtures("in_app")
def test_public_pages_show_what_is_published(world):
    """The other side of the hidden-text checks: the same pages do show published things
    (so a page that showed nothing at all would not pass them)."""
    client = world.clients[None]
    ids = world.ids
    for url in (
        f"/organisations/{ids['agency']}",
        f"/organisations/{ids['agency']}/reviews",
        f"/jobs/{ids['open_job']}",
        "/jobs/",
        f"/search?q={SOUGHT}",
        f"/rights/{ids['published_article']}",
        "/services/",
    ):
        assert VISIBLE in client.get(url).get_data(as_text=True), url
