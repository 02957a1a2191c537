"""Every route of the plans blueprints, as every role and as anonymous, on the reader's own
organisation (or CSO, or supplier) and on another one: exactly the expected answer, never
a 500. tests/test_authorization.py leaves these blueprints to this matrix."""

from __future__ import annotations

import re

import pytest

from goldendreams import create_app
from goldendreams.core import files
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.plans.models import ItemStatus
from tests.conftest import login, make_config
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    CsoFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    network_cso,
    referred,
)
from tests.plans.factories import PDF, PlanFactory, PlanItemFactory

ROLES = [None, *Role]

#: What a reader allowed on the page gets with an empty form: a page (200; with its
#: errors for a form) or a redirect after acting (302).
ALLOWED = {
    ("plans.plan_list", "GET"): 200,
    ("plans.new", "GET"): 200,
    ("plans.new", "POST"): 200,
    ("plans.plan", "GET"): 200,
    ("plans.add_item", "POST"): 200,
    ("plans.act", "POST"): 302,  # "start" on a plan under way: refused, back to the plan
    ("plans.verify", "POST"): 302,
    ("plans.send_back", "POST"): 200,  # no reason given
    ("plans.evidence_file", "GET"): 200,
    ("plans_portal.plan_list", "GET"): 200,
    ("plans_portal.new", "GET"): 200,
    ("plans_portal.new", "POST"): 200,
    ("plans_portal.plan", "GET"): 200,
    ("plans_portal.add_item", "POST"): 200,
    ("plans_portal.start", "POST"): 302,
    ("plans_portal.progress", "POST"): 302,  # a step moved on, with no evidence
    ("plans_portal.evidence_file", "GET"): 200,
    ("plans_brand.plan", "GET"): 200,
    ("plans_brand.evidence_file", "GET"): 200,
}
#: Routes with no id of a plan or case in them: no "other" to be refused.
NO_TARGET = {("plans.plan_list", "GET")}


def plan_routes() -> list[tuple[str, str, str]]:
    app = create_app(make_config("sqlite://"))
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0].split("_")[0] == "plans"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


ROUTES = plan_routes()


def test_every_route_is_in_the_matrix():
    assert {(endpoint, method) for endpoint, method, _rule in ROUTES} == set(ALLOWED)


def expected(endpoint: str, method: str, role: Role | None, own: bool) -> int:
    if role is None:
        return 302  # to the login page
    allowed = ALLOWED[(endpoint, method)]
    blueprint = endpoint.split(".")[0]
    if blueprint == "plans":
        if role not in (Role.ADMIN, Role.CASEWORKER):
            return 403
        if role == Role.CASEWORKER and not own and (endpoint, method) not in NO_TARGET:
            return 404  # another CSO's plan or case: not found
        return allowed
    if blueprint == "plans_portal":
        if role == Role.ADMIN or (role in (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF) and own):
            return allowed
        return 403
    if role != Role.BRAND:
        return 403
    return allowed if own else 404  # a plan of another brand's supplier: not found


def scene(role: Role | None, own: bool) -> dict:
    """A plan under way of an organisation, verified by a CSO, with a step for each action;
    ``own``: the reader's organisation (or CSO, or the brand's supplier)."""
    cso = network_cso() if own else CsoFactory()
    if role == Role.EMPLOYER_STAFF or role == Role.BRAND:
        target = OrganisationFactory()
    else:
        target = AgencyFactory()
    brand = BuyerFactory()
    employer = target if target.kind == "employer" else OrganisationFactory()
    if target.kind == "agency":
        OrganisationLinkFactory(kind="recruits_for", source=target, target=employer)
    OrganisationLinkFactory(kind="buys_from", source=brand, target=employer)
    case = referred(CaseFactory(organisation=target, owner=cso))
    plan = PlanFactory(organisation=target, verifier=cso, cases=[case])
    items = {
        "progress": PlanItemFactory(plan=plan, status=ItemStatus.PLANNED),
        "verify": PlanItemFactory(plan=plan, status=ItemStatus.TRAINING_DONE),
        "send_back": PlanItemFactory(plan=plan, status=ItemStatus.TRAINING_DONE),
        "evidence_file": PlanItemFactory(
            plan=plan,
            status=ItemStatus.VERIFIED,
            evidence_key=files.store(PDF),
            evidence_type="application/pdf",
        ),
    }
    # The reader's own organisation: the target (its staff), the buyer (brands).
    if role in ORG_ROLE_KINDS:
        if own:
            organisation = brand if role == Role.BRAND else target
        else:
            organisation = (
                BuyerFactory()
                if role == Role.BRAND
                else OrganisationFactory(kind=ORG_ROLE_KINDS[role])
            )
    else:
        organisation = None
    return {"target": target, "plan": plan, "case": case, "items": items,
            "organisation": organisation}  # fmt: skip


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def url_of(endpoint: str, rule: str, found: dict) -> str:
    action = endpoint.split(".")[1]

    def value(match: re.Match) -> str:
        converter, options, name = match.groups()
        if converter == "any":
            return options.split(",")[0].strip()
        if name == "org_id":
            return str(found["target"].id)
        if name == "plan_id":
            return found["plan"].public_id
        if name == "item_id":
            return found["items"].get(action, found["items"]["progress"]).public_id
        raise AssertionError(f"{rule}: no value for {name}")

    url = _ARGUMENT.sub(value, rule)
    if endpoint == "plans.new":
        url += f"?case={found['case'].id}"
    return url


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_route_access(client, user_for, role, own):
    found = scene(role, own)
    if role is not None:
        login(client, user_for(role, found["organisation"]))
    wrong = {}
    for endpoint, method, rule in ROUTES:
        url = url_of(endpoint, rule, found)
        response = client.open(url, method=method, data={})
        want = expected(endpoint, method, role, own)
        if response.status_code != want:
            wrong[f"{method} {url} ({endpoint})"] = (response.status_code, want)
    assert wrong == {}
