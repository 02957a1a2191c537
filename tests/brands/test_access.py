"""Every route of the brands feature, as every role and as anonymous, on the user's own
records and on another organisation's: who gets in, who is turned away, never a 500.

Brands see their own escalations and their suppliers' cases (another brand's: 404); a CSO's
caseworkers see their CSO's escalations and escalate the cases they run (another CSO's:
404); admins follow every CSO's escalations but have no brand dashboard; everyone else is
refused (403), anonymous readers are sent to the login page.
"""

from __future__ import annotations

import pytest

from goldendreams import create_app
from goldendreams.brands import services
from goldendreams.cases import taxonomy
from goldendreams.core.auth import Role
from goldendreams.extensions import db, limiter
from tests.brands.factories import (
    BrandEscalationFactory,
    CommitmentFactory,
    EscalationFactory,
    shared_case,
    supply_chain,
)
from tests.conftest import RequestContextClient, empty_tables, login, make_config
from tests.factories import CsoFactory, UserFactory
from tests.test_authorization import module_app

BRAND = {Role.BRAND}
CSO = {Role.ADMIN, Role.CASEWORKER}

#: (endpoint, method) → (roles let in, status on their own record, status on another's).
MATRIX = {
    ("brands.dashboard", "GET"): (BRAND, 200, 200),
    ("brands.export", "GET"): (BRAND, 200, 200),
    ("brands.case", "GET"): (BRAND, 200, 404),
    ("brands.escalation", "GET"): (BRAND, 200, 404),
    ("brands.acknowledge", "POST"): (BRAND, 302, 404),
    ("brands.commit", "POST"): (BRAND, 400, 404),  # empty form: the page, with errors
    ("brands.done", "POST"): (BRAND, 302, 404),
    ("brands_cso.escalation_list", "GET"): (CSO, 200, 200),
    ("brands_cso.escalation", "GET"): (CSO, 200, 404),
    ("brands_cso.new", "GET"): (CSO, 200, 404),
    ("brands_cso.new", "POST"): (CSO, 400, 404),  # empty form: the page, with errors
}
#: Admins run every CSO's cases and follow every escalation: nothing of another CSO's is
#: hidden from them.
ADMIN_SEES_ALL = {"brands_cso.escalation", "brands_cso.new"}


def routes() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("brands", "brands_cso"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, rule.rule))
    return sorted(found)


ROUTES = routes()
ROLES = [None, *Role]


def test_every_route_is_in_the_matrix():
    assert {(e, m) for e, m, _r in ROUTES} == set(MATRIX)


def expected(role: Role | None, endpoint: str, method: str, own: bool) -> int:
    allowed, on_own, on_other = MATRIX[(endpoint, method)]
    if role is None:
        return 302
    if role not in allowed:
        return 403
    if own or (role == Role.ADMIN and endpoint in ADMIN_SEES_ALL):
        return on_own
    return on_other


@pytest.fixture(scope="module")
def shared_app(_schema, database_url):
    yield from module_app(database_url)


@pytest.fixture
def app(shared_app):
    with shared_app.app_context():
        limiter.reset()
        yield shared_app
        empty_tables()


def world() -> dict:
    """The user's side (a brand, its supplier's case escalated by the test network's CSO)
    and another (another brand, another CSO's case and escalation)."""
    taxonomy.load()
    employer, brand = supply_chain()
    case = shared_case(employer)
    escalation = services.escalate(
        UserFactory(role="caseworker"), employer, [case], "severe", "Please help."
    )
    part = escalation.brands[0]
    commitment = CommitmentFactory(brand_escalation=part)
    other_employer, other_brand = supply_chain()
    other_cso = CsoFactory()
    other_case = shared_case(other_employer, owner=other_cso)
    other_escalation = EscalationFactory(organisation=other_employer, cso=other_cso,
                                         cases=[other_case])  # fmt: skip
    other_part = BrandEscalationFactory(escalation=other_escalation, brand=other_brand)
    other_commitment = CommitmentFactory(brand_escalation=other_part)
    return {
        "brand": brand,
        True: {"case_id": case.public_id, "cso_escalation": escalation.public_id,
               "escalation_id": part.public_id, "commitment_id": commitment.public_id,
               "case": case.id},
        False: {"case_id": other_case.public_id, "cso_escalation": other_escalation.public_id,
                "escalation_id": other_part.public_id,
                "commitment_id": other_commitment.public_id, "case": other_case.id},
    }  # fmt: skip


CASES = [(e, m, r, own) for e, m, r in ROUTES for own in (True, False)]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "rule", "own"),
    CASES,
    ids=[f"{e}-{m}-{'own' if o else 'other'}" for e, m, _r, o in CASES],
)
def test_route_access(app, user_for, role, endpoint, method, rule, own):
    app.test_client_class = RequestContextClient
    client = app.test_client()
    made = world()
    ids = made[own]
    if role is not None:
        login(client, user_for(role, made["brand"] if role == Role.BRAND else None))
    escalation = ids["cso_escalation"] if endpoint.startswith("brands_cso") else None
    url = (
        rule.replace("<public_id:case_id>", ids["case_id"])
        .replace("<public_id:escalation_id>", escalation or ids["escalation_id"])
        .replace("<public_id:commitment_id>", ids["commitment_id"])
    )
    if endpoint == "brands_cso.new":
        url += f"?case={ids['case']}"
    db.session.remove()
    response = client.open(url, method=method, data={})
    assert response.status_code == expected(role, endpoint, method, own), url
    if response.status_code == 302:
        assert ("/login" in response.headers["Location"]) == (role is None)


def test_missing_and_impossible_ids_are_not_found(app):
    app.test_client_class = RequestContextClient
    client = app.test_client()
    brand = UserFactory(role="brand", organisation=supply_chain()[1])
    login(client, brand)
    for url in ("/brand/cases/NoSuchPublicId00", "/brand/escalations/NoSuchPublicId00",
                "/brand/escalations/NoSuchPublicId000", "/brand/?page=99"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    worker = app.test_client()
    login(worker, UserFactory(role="caseworker"))
    for url in (
        "/cases/escalations/NoSuchPublicId00",
        "/cases/escalations/new?case=999999",
        "/cases/escalations/new?case=99999999999",
        "/cases/escalations/new?organisation=0",
    ):
        assert worker.get(url).status_code == 404, url
