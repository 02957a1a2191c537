"""Who reaches each route of collective cases: every route, every role (and anonymous),
the reader's own record (their CSO's collective case, their organisation's) or another's.
Never a 500; tests/test_authorization.py leaves these blueprints to this matrix."""

from __future__ import annotations

import pytest

from goldendreams import create_app
from goldendreams.agencies.models import CASE_KINDS
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.extensions import db, limiter
from tests.collective.factories import (
    BeneficiaryFactory,
    InstalmentFactory,
    MemberFactory,
    collective_with_case,
)
from tests.conftest import empty_tables, login, make_config
from tests.factories import CaseFactory, CsoFactory, OrganisationFactory, UserFactory, network_cso
from tests.test_authorization import module_app, organisation_for

ROLES = [None, *Role]

#: (endpoint, method) → what an allowed reader gets with an empty form: a page (200, the
#: form with its errors) or a redirect after acting (302: refused with a message, or done).
CASEWORKER_ROUTES = {
    ("collective.collective_list", "GET"): 200,
    ("collective.start", "GET"): 200,
    ("collective.start", "POST"): 200,
    ("collective.join", "POST"): 302,  # nothing chosen: back to the case, with the error
    ("collective.collective", "GET"): 200,
    ("collective.edit", "GET"): 200,
    ("collective.edit", "POST"): 200,
    ("collective.add_case", "POST"): 200,
    ("collective.remove_case", "POST"): 302,  # its only case stays: back, with the error
    ("collective.set_status", "POST"): 302,
    ("collective.beneficiary", "GET"): 200,
    ("collective.beneficiary", "POST"): 200,
    ("collective.remove_beneficiary", "POST"): 302,
    ("collective.add_instalment", "POST"): 200,
    ("collective.confirm", "GET"): 200,
    ("collective.confirm", "POST"): 200,
    ("collective.instalment_action", "POST"): 302,  # nothing reported to reject: refused
}
#: The organisation's view: its own employer or agency staff, and admins.
PORTAL_ROUTES = {
    ("collective_portal.collective", "GET"): 200,
    ("collective_portal.report_paid", "POST"): 200,  # empty form: the page, with errors
}
#: Caseworker routes that name no record of one CSO (the list).
WITHOUT_RECORD = {"collective.collective_list"}


def expected(role: Role | None, endpoint: str, method: str, own: bool) -> int:
    if role is None:
        return 302  # the login page
    key = (endpoint, method)
    if key in CASEWORKER_ROUTES:
        if role not in (Role.ADMIN, Role.CASEWORKER):
            return 403
        if role == Role.CASEWORKER and not own and endpoint not in WITHOUT_RECORD:
            return 404  # another CSO's: its existence is not theirs to know
        return CASEWORKER_ROUTES[key]
    if not (role == Role.ADMIN or (role in ORG_ROLE_KINDS and own)):
        return 403
    return 404 if role == Role.BRAND else PORTAL_ROUTES[key]  # buyers have no collective


def rules() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0].split("_")[0] == "collective"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


RULES = rules()
CASES = [(*rule, own) for rule in RULES for own in (True, False)]


@pytest.fixture(scope="module")
def shared_app(_schema, database_url):
    yield from module_app(database_url)


@pytest.fixture
def app(shared_app):
    with shared_app.app_context():
        limiter.reset()
        yield shared_app
        empty_tables()


def test_every_route_has_an_expectation():
    ours = {(endpoint, method) for endpoint, method, _rule in RULES}
    assert ours == set(CASEWORKER_ROUTES) | set(PORTAL_ROUTES)


def _world(role, own: bool, portal: bool):
    """The reader's organisation, and a collective case (shared with its organisation)
    with one case, one line and one instalment: the reader's, or another's."""
    own_org = organisation_for(role) if role in ORG_ROLE_KINDS else None
    if portal:
        target = own_org if own and own_org is not None else organisation_for(role)
        about = target if target.kind in CASE_KINDS else OrganisationFactory()
        collective = collective_with_case(organisation=about)
        return own_org, target, collective
    owner = network_cso() if own else CsoFactory()
    collective = collective_with_case(owner=owner)
    return own_org, None, collective


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "rule", "own"),
    CASES,
    ids=[f"{e}-{m}-{r.count('/')}-{'own' if o else 'other'}" for e, m, r, o in CASES],
)
def test_route_access(client, user_for, role, endpoint, method, rule, own):
    portal = endpoint.startswith("collective_portal.")
    own_org, target, collective = _world(role, own, portal)
    case = collective.cases[0]
    line = BeneficiaryFactory(collective=collective)
    instalment = InstalmentFactory(collective=collective)
    loose = CaseFactory(organisation=collective.organisation, owner=collective.owner)
    if role is not None:
        login(client, user_for(role, own_org))
    url = (
        rule.replace("<int:org_id>", str(target.id if target else 0))
        .replace("<public_id:collective_id>", collective.public_id)
        .replace("<public_id:instalment_id>", instalment.public_id)
        .replace("<int:line_id>", str(line.id))
        .replace("<any(close, reopen):action>", "close")
        .replace("<any(reject, remove):action>", "reject")
    )
    # Starting or joining: from a case in no collective; the rest names the grouped one.
    url = url.replace(
        "<int:case_id>", str((loose if "/start/" in url or "/join/" in url else case).id)
    )
    response = client.open(url, method=method, data={})
    assert response.status_code == expected(role, endpoint, method, own), url
    if response.status_code == 302:
        assert ("/login" in response.headers["Location"]) == (role is None)


def test_records_of_another_collective_are_not_found(client):
    login(client, UserFactory(role="caseworker"))
    mine, other = collective_with_case(), collective_with_case()
    line = BeneficiaryFactory(collective=other)
    instalment = InstalmentFactory(collective=other)
    base = f"/cases/collective/{mine.public_id}"
    assert client.get(f"{base}/beneficiaries/{line.id}").status_code == 404
    assert client.get(f"{base}/instalments/{instalment.public_id}/confirm").status_code == 404
    member = MemberFactory(collective=other)
    assert client.post(f"{base}/cases/{member.case_id}/remove").status_code == 302
    assert member.collective_id == other.id  # not ours: nothing removed
    db.session.rollback()


@pytest.mark.parametrize(
    "url",
    ["/cases/collective/NoSuchPublicId00", "/cases/collective/start/999999",
     "/cases/collective/join/2147483647", "/cases/collective/start/99999999999"],
)  # fmt: skip
def test_ids_nobody_has_are_not_found(client, url):
    login(client, UserFactory(role="admin"))
    method = client.post if "/join/" in url else client.get
    assert method(url).status_code == 404


def test_the_organisation_does_not_see_a_collective_before_a_case_is_sent(client):
    collective = collective_with_case(shared=False)
    staff = UserFactory(role="employer_staff", organisation=collective.organisation)
    login(client, staff)
    url = f"/portal/{collective.organisation_id}/collective/{collective.public_id}"
    assert client.get(url).status_code == 404
