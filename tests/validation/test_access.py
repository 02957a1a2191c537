"""Every route of validation's blueprints by every role (and anonymous), on the user's own
case and on another one: the status each gets, never a 500, and nothing changed by those
turned away. (tests/test_authorization.py leaves these blueprints to this file.)

"Own": the caseworker's CSO runs the case, the staff's organisation is the case's, the
brand buys from it. "Other": another CSO runs it, it is another organisation's (in the
URL), a brand that does not buy from it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams import create_app
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.validation.models import SignOff, ValidationRule, Verification
from tests.conftest import login, make_config
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    CsoFactory,
    OrganisationLinkFactory,
    network_cso,
)
from tests.validation.factories import EvidenceFactory, SignOffFactory, brand_consent, remediated

ROLES = [None, *Role]
BLUEPRINTS = ("validation", "validation_portal", "validation_brand")

# role → (own, other); anonymous always goes to the login page (302).
RUNS = {Role.ADMIN: (200, 200), Role.CASEWORKER: (200, 404)}
NOT_A_CASEWORKER = (403, 403)


def runners(own_ok: int, other_ok: int | None = None) -> dict:
    """Caseworkers of the CSO that runs the case and admins get ``own_ok``; another CSO's
    caseworkers 404; every other role 403."""
    return {Role.ADMIN: (own_ok, other_ok or own_ok), Role.CASEWORKER: (own_ok, 404)}


def org_staff(own_ok: int, admin: int) -> dict:
    return {Role.AGENCY_STAFF: (own_ok, 403), Role.EMPLOYER_STAFF: (own_ok, 403),
            Role.ADMIN: (admin, admin)}  # fmt: skip


MATRIX: dict[tuple[str, str], dict] = {
    ("validation.verify", "GET"): runners(200),
    ("validation.verify", "POST"): runners(400),  # nothing chosen: the page with errors
    ("validation.share", "POST"): runners(302),  # "not shared": saved, back to the case
    ("validation.evidence_file", "GET"): runners(200),
    # The CSO admin's own CSO; an admin first chooses a CSO (POST without one: the choice).
    ("validation.rule", "GET"): {Role.ADMIN: (200, 200), Role.CASEWORKER: (200, 200)},
    ("validation.rule", "POST"): {Role.ADMIN: (200, 200), Role.CASEWORKER: (400, 400)},
    ("validation_portal.sign_off", "GET"): org_staff(200, 200),
    # Staff: nothing written, the page with errors; an admin may not sign off: back.
    ("validation_portal.sign_off", "POST"): org_staff(400, 302),
    ("validation_portal.portal_evidence", "GET"): org_staff(200, 200),
    ("validation_brand.brand_evidence", "GET"): {Role.BRAND: (200, 404)},
}


def our_routes() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in BLUEPRINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


ROUTES = our_routes()


def test_every_route_is_in_the_matrix():
    assert {(e, m) for e, m, _ in ROUTES} == set(MATRIX)


def expected(endpoint: str, method: str, role, own: bool) -> int:
    if role is None:
        return 302
    return MATRIX[(endpoint, method)].get(role, (403, 403))[0 if own else 1]


def scenario(role, own: bool, user):
    """A remediated case with a shared sign-off (file, consent), as seen by ``user``."""
    organisation = None
    if role in (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF) and own:
        organisation = user.organisation
    elif role == Role.AGENCY_STAFF:
        organisation = AgencyFactory()
    owner = network_cso() if own or role != Role.CASEWORKER else CsoFactory()
    fields = {"organisation": organisation} if organisation else {}
    case = remediated(CaseFactory(status="in_remediation", owner=owner, **fields))
    signoff = SignOffFactory(case=case, shared_with_brands=True)
    evidence = EvidenceFactory(signoff=signoff)
    brand_consent(case)
    if role == Role.BRAND and own:
        OrganisationLinkFactory(
            kind="buys_from", source=user.organisation, target=case.organisation
        )
    elif role == Role.BRAND:
        OrganisationLinkFactory(kind="buys_from", source=BuyerFactory(), target=case.organisation)
    return case, evidence


def url_of(rule: str, case, evidence) -> str:
    return (
        rule.replace("<int:org_id>", str(case.organisation_id))
        .replace("<public_id:case_id>", case.public_id)
        .replace("<int:case_id>", str(case.id))
        .replace("<public_id:evidence_id>", evidence.public_id)
        .replace("<int:evidence_id>", str(evidence.id))
    )


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (SignOff, Verification, ValidationRule)
    )


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES,
                         ids=[f"{e}-{m}" for e, m, _ in ROUTES])  # fmt: skip
def test_route_access(client, user_for, endpoint, method, rule, role, own):
    user = None
    if role is not None:
        user = user_for(role)
        if role == Role.CASEWORKER:
            user.org_admin = True  # the CSO's admin: the rule page is theirs
            db.session.commit()
    case, evidence = scenario(role, own, user)
    if user is not None:
        login(client, user)
    url = url_of(rule, case, evidence)
    before = counts()

    response = client.open(url, method=method, data={})

    assert response.status_code == expected(endpoint, method, role, own), url
    assert counts() == before


def test_another_organisations_case_under_ones_own_portal_is_not_found(client, user_for):
    user = user_for(Role.EMPLOYER_STAFF)
    case, evidence = scenario(None, True, None)
    login(client, user)
    base = f"/portal/{user.organisation_id}/validation/{case.public_id}"
    assert client.get(f"{base}/sign-off").status_code == 404
    assert client.get(f"{base}/evidence/{evidence.public_id}").status_code == 404


def test_a_file_of_another_case_is_not_found(client, user_for):
    caseworker = user_for(Role.CASEWORKER)
    case, _evidence = scenario(Role.CASEWORKER, True, caseworker)
    _other, foreign = scenario(Role.CASEWORKER, True, caseworker)
    login(client, caseworker)
    assert client.get(f"/cases/validation/case/{case.id}/evidence/{foreign.id}").status_code == 404


def test_a_caseworker_who_is_not_the_cso_admin_cannot_set_the_rule(client, user_for):
    login(client, user_for(Role.CASEWORKER))
    assert client.get("/cases/validation/rule").status_code == 403
    response = client.post(
        "/cases/validation/rule", data={"min_yes_percent": "10", "min_answers": "1"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ValidationRule)) == 0


def test_the_cso_admin_sets_the_rule_through_the_page(client, user_for):
    admin = user_for(Role.CASEWORKER)
    admin.org_admin = True
    db.session.commit()
    login(client, admin)
    response = client.post(
        "/cases/validation/rule", data={"min_yes_percent": "80", "min_answers": "2"}
    )
    assert response.status_code == 302
    row = db.session.scalar(select(ValidationRule))
    assert (row.cso_id, row.min_yes_percent, row.min_answers) == (admin.organisation_id, 80, 2)
    bad = client.post("/cases/validation/rule", data={"min_yes_percent": "0", "min_answers": "2"})
    assert bad.status_code == 400
