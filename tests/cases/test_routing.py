"""The network's routing rules: which CSO a new case goes to, and the admins' page for them."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from goldendreams.cases import routing, services, taxonomy
from goldendreams.cases.models import RoutingRule
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.factories import (
    CsoFactory,
    OrganisationFactory,
    ReviewFactory,
    RoutingRuleFactory,
    UserFactory,
    network_cso,
)


@pytest.fixture
def csos(app):
    """The default CSO, one for Burmese speakers from Myanmar, one for Malaysian workplaces,
    and one for Nepali speakers (whatever their country)."""
    return {
        "default": network_cso(),
        "myanmar": RoutingRuleFactory(worker_country="MM", worker_language="my").cso,
        "malaysia": RoutingRuleFactory(organisation_country="MY").cso,
        "nepali": RoutingRuleFactory(worker_language="ne").cso,
    }


def test_the_most_specific_rule_wins(csos):
    thai_employer, malaysian_employer = (
        OrganisationFactory(country="TH"),
        OrganisationFactory(country="MY"),
    )
    assert routing.route(thai_employer, "MM", "my") == csos["myanmar"]
    # Worker facts outrank the workplace's country.
    assert routing.route(malaysian_employer, "MM", "my") == csos["myanmar"]
    assert routing.route(malaysian_employer, "NP", "ne") == csos["nepali"]
    assert routing.route(malaysian_employer, "KH", "km") == csos["malaysia"]
    assert routing.route(malaysian_employer) == csos["malaysia"]
    # A rule needs all its conditions: Burmese alone is not "from Myanmar and Burmese".
    assert routing.route(thai_employer, None, "my") == csos["default"]
    assert routing.route(thai_employer) == csos["default"]


def test_without_any_rule_a_case_cannot_be_opened_and_says_why(app):
    taxonomy.load()
    review = ReviewFactory()
    with pytest.raises(services.CaseError, match="default rule"):
        services.open_from_review(review, UserFactory(role="moderator"), ["FEE-01"], "low", 1)


def test_a_case_from_a_review_follows_the_rules_and_a_logged_case_stays_with_its_cso(csos):
    taxonomy.load()
    moderator = UserFactory(role="moderator")
    review = ReviewFactory(language="ne")
    case = services.open_from_review(review, moderator, ["FEE-01"], "low", 1)
    assert case.owner == csos["nepali"] and case.worker_language == "ne"
    # A caseworker of the Myanmar CSO logs a call about a Malaysian employer: theirs to run.
    caseworker = UserFactory(role="caseworker", organisation=csos["myanmar"])
    logged = services.open_hotline_case(
        caseworker, OrganisationFactory(country="MY"), "hotline", ["FEE-01"], "low", 1,
        "Fees", None, "KH", "km",
    )  # fmt: skip
    assert logged.owner == csos["myanmar"]
    # An admin logs one for the network: the rules choose.
    admin_logged = services.open_hotline_case(
        UserFactory(role="admin"), OrganisationFactory(country="MY"), "hotline", ["FEE-01"],
        "low", 1, "Fees", None, "KH", "km",
    )  # fmt: skip
    assert admin_logged.owner == csos["malaysia"]
    entry = db.session.scalar(select(AuditLog).filter_by(action="case.open", target_id=case.id))
    assert entry.detail["owner_id"] == csos["nepali"].id


@pytest.mark.parametrize(
    ("country", "language"), [("XX", None), (None, "xx"), ("mm", None)], ids=str
)
def test_unknown_worker_facts_are_refused(csos, country, language):
    taxonomy.load()
    with pytest.raises(services.CaseError):
        services.open_hotline_case(
            UserFactory(role="admin"), OrganisationFactory(), "hotline", ["FEE-01"], "low", 1,
            "Fees", None, country, language,
        )  # fmt: skip


def test_rules_are_kept_by_admins_with_clear_refusals(csos):
    admin = UserFactory(role="admin")
    new_cso = CsoFactory()
    rule = routing.add_rule(admin, new_cso, "LA", "lo", "")
    assert (rule.worker_country, rule.worker_language, rule.organisation_country) == (
        "LA", "lo", None,
    )  # fmt: skip
    with pytest.raises(routing.RoutingError, match="exists already"):
        routing.add_rule(admin, csos["default"], "LA", "lo", None)
    with pytest.raises(routing.RoutingError):
        routing.add_rule(admin, OrganisationFactory(), None, None, "TH")  # an employer
    with pytest.raises(routing.RoutingError):
        routing.add_rule(admin, new_cso, "ZZ", None, None)
    default = next(r for r in routing.rules() if routing.is_catch_all(r))
    with pytest.raises(routing.RoutingError, match="default"):
        routing.remove_rule(admin, default)
    routing.change_rule(admin, default, new_cso)
    assert routing.route(OrganisationFactory(country="TH")) == new_cso
    routing.remove_rule(admin, rule)
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.target_type == "routing_rule").order_by(AuditLog.id)
    ).all()
    assert actions == ["routing.add", "routing.change", "routing.remove"]


def test_the_admins_page_adds_changes_and_removes_rules(client, login_as, csos):
    login_as(Role.ADMIN)
    page = client.get("/staff/routing/").get_data(as_text=True)
    assert escape(csos["myanmar"].name) in page and "Default: every other case" in page
    new_cso = CsoFactory()
    response = client.post(
        "/staff/routing/",
        data={"worker_country": "KH", "worker_language": "", "organisation_country": "",
              "cso_id": str(new_cso.id)},
    )  # fmt: skip
    assert response.status_code == 302
    rule = db.session.scalar(select(RoutingRule).filter_by(worker_country="KH"))
    assert rule.cso == new_cso and rule.worker_language is None
    # The same conditions again: the page, with the reason, and nothing added.
    response = client.post(
        "/staff/routing/",
        data={"worker_country": "KH", "cso_id": str(csos["default"].id)},
    )
    assert response.status_code == 400
    assert "exists already" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(RoutingRule)) == 5
    # A CSO that does not exist, or an employer: refused.
    employer = OrganisationFactory()
    for cso_id in (str(employer.id), "999999", "x"):
        response = client.post("/staff/routing/", data={"worker_country": "LA", "cso_id": cso_id})
        assert response.status_code == 400
    response = client.post(
        f"/staff/routing/{rule.id}/change", data={f"rule{rule.id}-cso_id": str(csos["nepali"].id)}
    )
    db.session.refresh(rule)
    assert response.status_code == 302 and rule.cso == csos["nepali"]
    rule_id = rule.id
    assert client.post(f"/staff/routing/{rule_id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(RoutingRule, rule_id) is None
    default = next(r for r in routing.rules() if routing.is_catch_all(r))
    response = client.post(f"/staff/routing/{default.id}/remove", follow_redirects=True)
    assert "New cases need a default" in response.get_data(as_text=True)


def test_only_admins_keep_the_rules(client, login_as, csos):
    login_as(Role.CASEWORKER)
    assert client.get("/staff/routing/").status_code == 403
    rule = db.session.scalars(select(RoutingRule)).first()
    assert client.post(f"/staff/routing/{rule.id}/remove").status_code == 403
    assert db.session.get(RoutingRule, rule.id) is not None


def test_a_caseworker_opening_a_reviews_case_does_not_take_it_for_their_cso(csos):
    """A review's case goes where the rules say, whoever opens it."""
    taxonomy.load()
    caseworker = UserFactory(role="caseworker", organisation=csos["malaysia"])
    review = ReviewFactory(language="ne")
    case = services.open_from_review(review, caseworker, ["FEE-01"], "low", 1)
    assert case.owner == csos["nepali"]
