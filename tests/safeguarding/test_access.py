"""Who reaches each route of safeguarding: every route and every role (and a CSO's admin), on
a record of the reader's own CSO and of another. Never a 500; the safeguarding blueprints
are skipped by tests/test_authorization.py's matrix."""

from __future__ import annotations

import pytest

from goldendreams import create_app
from goldendreams.core.auth import Role
from goldendreams.extensions import limiter
from tests.conftest import empty_tables, login, make_config
from tests.factories import CaseFactory, ConversationFactory, CsoFactory, UserFactory, network_cso
from tests.safeguarding.factories import CheckInFactory
from tests.test_authorization import module_app

CSO_ADMIN = "cso_admin"
ROLES = [None, *Role, CSO_ADMIN]

#: (endpoint, method) → (who, status with an empty form). Who: "runners" (admins; the
#: caseworkers of the CSO that runs the record), "caseworkers" (a CSO's caseworkers only),
#: "staff" (admins and caseworkers), "all" (anyone: the worker's form).
ROUTES = {
    ("safeguarding.case_risk", "POST"): ("runners", 302),
    ("safeguarding.plan", "POST"): ("runners", 302),
    ("safeguarding.schedule", "POST"): ("runners", 302),
    ("safeguarding.check_in", "POST"): ("runners", 302),
    ("safeguarding.retaliation", "POST"): ("runners", 302),
    ("safeguarding.consent", "POST"): ("runners", 302),
    ("safeguarding.withdraw_consent", "POST"): ("runners", 302),
    ("safeguarding.conversation_risk", "POST"): ("runners", 302),
    # Admins reach them but are refused (302 with the reason): the contact is the CSO's.
    ("safeguarding.case_safe_contact", "POST"): ("runners", 302),
    ("safeguarding.conversation_safe_contact", "POST"): ("runners", 302),
    ("safeguarding.on_call", "GET"): ("caseworkers", 200),
    ("safeguarding.set_on_call", "POST"): ("caseworkers", 302),
    ("safeguarding.telegram", "POST"): ("caseworkers", 302),
    ("safeguarding.check_ins", "GET"): ("staff", 200),
    ("safeguarding_worker.report", "POST"): ("all", 400),  # no code: refused
}
#: Routes whose URL names a record of one CSO (a case, a check-in, a conversation, a person).
WITH_RECORD = {endpoint for (endpoint, _), (who, _s) in ROUTES.items() if who == "runners"} | {
    "safeguarding.set_on_call"
}


def expected(role, endpoint: str, method: str, own: bool) -> int:
    who, allowed = ROUTES[(endpoint, method)]
    if who == "all":
        return allowed
    if role is None:
        return 302  # the login page
    caseworker = role in (Role.CASEWORKER, CSO_ADMIN)
    if who == "caseworkers":
        if not caseworker:
            return 403
        return allowed if own or endpoint not in WITH_RECORD else 404
    if not (caseworker or role == Role.ADMIN):
        return 403
    if who == "staff" or role == Role.ADMIN:
        return allowed
    return allowed if own else 404


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
        if rule.endpoint.split(".")[0].split("_")[0] == "safeguarding"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert ours == set(ROUTES)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r) if r else "anonymous")
@pytest.mark.parametrize(
    ("endpoint", "method", "own"),
    CASES,
    ids=[f"{e}-{m}-{'own' if o else 'other'}" for e, m, o in CASES],
)
def test_route_access(app, client, user_for, role, endpoint, method, own):
    from goldendreams.cases import consent

    cso = network_cso() if own else CsoFactory()
    case = CaseFactory(owner=cso)
    record = consent.current("organisation", case_id=case.id)
    check_in = CheckInFactory(case_id=case.id)
    conversation = ConversationFactory(owner=cso)
    person = UserFactory(role="caseworker", organisation=cso)
    if role == CSO_ADMIN:
        login(client, UserFactory(role="caseworker", org_admin=True))
    elif role is not None:
        login(client, user_for(role))
    rule = next(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = (
        rule.replace("<int:case_id>", str(case.id))
        .replace("<int:record_id>", str(record.id))
        .replace("<int:check_in_id>", str(check_in.id))
        .replace("<int:conversation_id>", str(conversation.id))
        .replace("<int:user_id>", str(person.id))
        .replace("<any(on, off):state>", "on")
    )
    response = client.open(url, method=method, data={})
    status = expected(role, endpoint, method, own)
    # A plain caseworker may not put a colleague on call: refused with a message, no change.
    assert response.status_code == status, url
    if response.status_code == 302:
        assert ("/login" in response.headers["Location"]) == (role is None)


@pytest.mark.parametrize(
    "url",
    [
        "/cases/safeguarding/case/999999/risk",
        "/cases/safeguarding/check-in/999999",
        "/cases/safeguarding/conversation/999999/risk",
        "/cases/safeguarding/case/999999/safe-contact",
        "/cases/safeguarding/conversation/999999/safe-contact",
        "/cases/safeguarding/on-call/999999/on",
        "/cases/safeguarding/case/1/consent/99999999999/withdraw",
    ],
)
def test_ids_nobody_has_are_not_found(app, client, url):
    login(client, UserFactory(role="caseworker"))
    CaseFactory()
    assert client.post(url).status_code == 404
