"""Who reaches each route of the service directory and of referrals to services: every
route, every role (and a CSO's admin), the reader's own CSO's record or another's. Never
a 500; the support blueprints are skipped by tests/test_authorization.py's matrix."""

from __future__ import annotations

import pytest

from goldendreams import create_app
from goldendreams.core.auth import Role
from goldendreams.extensions import db, limiter
from tests.conftest import empty_tables, login, make_config
from tests.factories import CaseFactory, CsoFactory, UserFactory, network_cso
from tests.support.factories import ServiceFactory, ServiceReferralFactory
from tests.test_authorization import module_app

#: A caseworker who is their CSO's admin (keeps its entries of the directory).
CSO_ADMIN = "cso_admin"
ROLES = [None, *Role, CSO_ADMIN]
OK = {"GET": 200}

#: (endpoint, method) → (who may, what they get with an empty form). Who: "all" (anyone),
#: "managers" (admins and CSO admins; a CSO admin only their CSO's entries), "runners"
#: (admins; caseworkers and CSO admins of the CSO that runs the case), "caseworkers" (the
#: referral list: admins and every caseworker).
ROUTES = {
    ("support.service_directory", "GET"): ("all", 200),
    ("support_staff.service_list", "GET"): ("managers", 200),
    ("support_staff.new_service", "GET"): ("managers", 200),
    ("support_staff.new_service", "POST"): ("managers", 200),  # the form with its errors
    ("support_staff.edit_service", "GET"): ("managers", 200),
    ("support_staff.edit_service", "POST"): ("managers", 200),
    ("support_staff.act", "POST"): ("managers", 302),
    ("support_cases.referral_list", "GET"): ("caseworkers", 200),
    ("support_cases.refer", "GET"): ("runners", 200),
    ("support_cases.refer", "POST"): ("runners", 200),
    ("support_cases.referral", "GET"): ("runners", 200),
    ("support_cases.referral", "POST"): ("runners", 200),
}
#: Routes whose URL names a record (a service, a case, a referral) of one CSO.
WITH_RECORD = {"support_staff.edit_service", "support_staff.act", "support_cases.refer",
               "support_cases.referral"}  # fmt: skip


def expected(role, endpoint: str, method: str, own: bool) -> int:
    who, allowed = ROUTES[(endpoint, method)]
    if who == "all":
        return allowed
    if role is None:
        return 302  # the login page
    admin = role == Role.ADMIN
    if who == "managers":
        if not (admin or role == CSO_ADMIN):
            return 403
        mine = admin or own or endpoint not in WITH_RECORD
        return allowed if mine else 404
    if role not in (Role.ADMIN, Role.CASEWORKER, CSO_ADMIN):
        return 403
    if who == "caseworkers":
        return allowed
    return allowed if admin or own else 404


CASES = [
    (endpoint, method, own)
    for (endpoint, method) in ROUTES
    for own in ((True, False) if endpoint in WITH_RECORD else (True,))
]


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
    app = create_app(make_config("sqlite://"))
    ours = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0].split("_")[0] == "support"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert ours == set(ROUTES)


def _user(role):
    if role == CSO_ADMIN:
        return UserFactory(role="caseworker", org_admin=True)
    return UserFactory(role=role.value) if role in (Role.ADMIN, Role.MODERATOR) else None


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r) if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "own"),
    CASES,
    ids=[f"{e}-{m}-{'own' if o else 'other'}" for e, m, o in CASES],
)
def test_route_access(app, client, user_for, role, endpoint, method, own):
    mine = network_cso()
    cso = mine if own else CsoFactory()
    service = ServiceFactory(cso=cso)
    case = CaseFactory(owner=cso)
    referral = ServiceReferralFactory(case=case, service=service)
    if role is not None:
        user = _user(role) or user_for(role)
        login(client, user)
    rule = next(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = (
        rule.replace("<public_id:service_id>", service.public_id)
        .replace("<any(checked, on, off):action>", "checked")
        .replace("<int:case_id>", str(case.id))
        .replace("<int:service_referral_id>", str(referral.id))
    )
    response = client.open(url, method=method, data={})
    assert response.status_code == expected(role, endpoint, method, own), url
    if response.status_code == 302:
        assert ("/login" in response.headers["Location"]) == (role is None)


@pytest.mark.parametrize(
    "url",
    [
        "/staff/services/NoSuchPublicId00",
        "/cases/999999/refer-to-service",
        "/cases/service-referrals/999999",
    ],
)
def test_ids_nobody_has_are_not_found(app, client, url):
    login(client, UserFactory(role="admin"))
    assert client.get(url).status_code == 404
    db.session.rollback()
