import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from goldendreams.cases import queries, services, taxonomy
from goldendreams.cases.models import IssueCategory
from goldendreams.core import tracking
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    ReviewFactory,
    UserFactory,
    consent_to_refer,
    referred,
)


@pytest.fixture
def staff(app):
    taxonomy.load()
    return {role: UserFactory(role=role) for role in ("admin", "moderator", "caseworker")}


def test_taxonomy_is_seeded_once_in_six_languages(app):
    assert taxonomy.load() == 20
    assert taxonomy.load() == 0
    categories = taxonomy.current()
    assert len(categories) == 20
    assert {c.group for c in categories} == {"ilo", "fees", "dhaka", "other"}
    for category in categories:
        assert set(category.names) == {"en", "my", "km", "th", "lo", "ne"}
        assert all(category.names.values())


def test_review_answers_suggest_categories(app):
    review = ReviewFactory(fees_paid="yes", documents_holder="employer", free_to_leave="no",
                           forced_overtime="yes", job_as_promised="yes")  # fmt: skip
    assert taxonomy.suggested_codes(review) == {"FEE-01", "ILO-07", "ILO-03", "ILO-11"}


def test_moderator_opens_a_case_from_a_review(app, staff):
    review = ReviewFactory(status="pending")
    case = services.open_from_review(review, staff["moderator"], ["FEE-01"], "medium", 3)
    # Random, not a sequence: a brand seeing two references learns nothing of the cases
    # opened between them.
    assert re.fullmatch(rf"ILM-{today().year}-[{tracking.ALPHABET}]{{8}}", case.reference)
    other = services.open_from_review(ReviewFactory(), staff["moderator"], ["FEE-01"], "low", 1)
    assert other.reference[-8:] != case.reference[-8:]
    assert (case.status, case.source, case.review_id) == ("new", "review", review.id)
    with pytest.raises(services.CaseError):
        services.open_from_review(review, staff["moderator"], ["FEE-01"], "medium", 3)
    with pytest.raises(services.CaseError):
        services.open_from_review(
            PublishedReviewFactory(), UserFactory(role="agency_staff"), ["FEE-01"], "low", 1
        )


def test_caseworker_opens_a_case_from_a_review(app, staff):
    case = services.open_from_review(
        PublishedReviewFactory(), staff["caseworker"], ["FEE-01"], "low", 1
    )
    assert (case.status, case.source) == ("new", "review")


def test_violence_or_restricted_movement_is_urgent(app, staff):
    case = services.open_hotline_case(
        staff["caseworker"], OrganisationFactory(), "hotline", ["ILO-05"], "low", 1,
        "A supervisor hit a worker.", None,
    )  # fmt: skip
    assert case.severity == "urgent"


@pytest.mark.parametrize(
    ("args", "role"),
    [
        ((["FEE-01"], "medium", 1, "", None), "caseworker"),  # no summary
        (([], "medium", 1, "Summary", None), "caseworker"),  # no category
        ((["NOPE-1"], "medium", 1, "Summary", None), "caseworker"),
        ((["FEE-01"], "extreme", 1, "Summary", None), "caseworker"),
        ((["FEE-01"], "medium", 0, "Summary", None), "caseworker"),
        ((["FEE-01"], "medium", 1, "Summary", None), "moderator"),  # not a caseworker
    ],
)
def test_bad_hotline_cases_are_refused(app, staff, args, role):
    with pytest.raises(services.CaseError):
        services.open_hotline_case(staff[role], OrganisationFactory(), "hotline", *args)


def test_cases_are_about_employers_and_agencies_only(app, staff):
    with pytest.raises(services.CaseError):
        services.open_hotline_case(
            staff["caseworker"], BuyerFactory(), "hotline", ["FEE-01"], "low", 1, "x", None
        )


def test_workflow_and_who_may_move(app, staff):
    case = CaseFactory()
    employer_staff = UserFactory(role="employer_staff", organisation=case.organisation)
    with pytest.raises(services.CaseError):
        services.move(case, staff["moderator"], "triaged")
    with pytest.raises(services.CaseError):
        services.move(case, employer_staff, "triaged")
    with pytest.raises(services.CaseError):
        services.move(case, staff["caseworker"], "resolved")  # skips steps
    services.move(case, staff["caseworker"], "triaged")
    consent_to_refer(case)
    services.move(case, staff["caseworker"], "referred")
    assert case.shared_with_organisation
    with pytest.raises(services.CaseError):
        services.move(case, staff["caseworker"], "resolved")  # not from "referred"
    case = CaseFactory(status="in_remediation")
    with pytest.raises(services.CaseError):
        services.move(case, staff["caseworker"], "resolved")  # nothing recorded yet


def test_organisation_records_remediation_and_worker_confirms(app, staff):
    case = referred(CaseFactory(status="referred"))
    own = UserFactory(role="employer_staff", organisation=case.organisation)
    other = UserFactory(role="employer_staff", organisation=OrganisationFactory())
    with pytest.raises(services.CaseError):
        services.record_remediation(case, other, "fee_repayment", Decimal(1), "THB", 1, None)
    services.acknowledge(case, own)
    services.record_remediation(case, own, "fee_repayment", Decimal(20000), "THB", 12, "Paid")
    assert case.status == "in_remediation"
    assert services.can_answer(case)
    services.worker_answer(case, "yes", "Thank you, I got my money.")
    services.move(case, staff["caseworker"], "resolved")
    services.close_resolved(case, staff["caseworker"])
    assert (case.status, case.outcome) == ("closed", "resolved_confirmed")
    assert case.worker_comment == "Thank you, I got my money."
    # No trace of when the worker acted: no event (after the factory's referral), no audit.
    assert [e for e in case.events[1:] if e.actor_id is None and not e.by_organisation] == []
    entries = db.session.scalars(select(AuditLog.action).filter_by(target_type="case")).all()
    assert entries == ["case.acknowledge", "case.remediation", "case.move", "case.close"]


@pytest.mark.parametrize("answer", ["partly", "no", None])
def test_without_a_yes_the_outcome_says_not_confirmed(app, staff, answer):
    case = CaseFactory(status="referred")
    services.record_remediation(case, staff["caseworker"], "back_pay", None, None, None, None)
    if answer:
        services.worker_answer(case, answer, None)
    services.move(case, staff["caseworker"], "resolved")
    services.close_resolved(case, staff["caseworker"])
    assert case.outcome == "resolved_unconfirmed"


@pytest.mark.parametrize(
    ("amount", "currency", "workers", "kind"),
    [
        (Decimal(-5), "THB", None, "fee_repayment"),
        (Decimal(5), None, None, "fee_repayment"),
        (Decimal(5), "EUR", None, "fee_repayment"),
        (None, None, 0, "fee_repayment"),
        (None, None, None, "bribe"),
    ],
)
def test_bad_remediation_is_refused(app, staff, amount, currency, workers, kind):
    case = CaseFactory(status="referred")
    with pytest.raises(services.CaseError):
        services.record_remediation(
            case, staff["caseworker"], kind, amount, currency, workers, None
        )


def test_closing_without_basis_or_outside(app, staff):
    case = CaseFactory()
    services.move(case, staff["caseworker"], "no_basis")
    assert (case.status, case.outcome, case.closed_on) == ("no_basis", "no_basis", today())
    case = CaseFactory(status="in_remediation")
    services.move(case, staff["admin"], "referred_out")
    assert case.outcome == "referred_out"


def test_deadlines_and_overdue(app):
    case = CaseFactory(status="referred", stage_since=today() - timedelta(days=20))
    assert services.due_on(case) == case.stage_since + timedelta(days=14)
    assert services.is_overdue(case)
    assert not services.is_overdue(CaseFactory(status="referred"))
    assert services.due_on(CaseFactory(status="closed")) is None


def test_assign_only_to_caseworkers(app, staff):
    case = CaseFactory()
    with pytest.raises(services.CaseError):
        services.assign(case, staff["caseworker"], staff["moderator"])
    services.assign(case, staff["caseworker"], staff["caseworker"])
    assert case.assignee_id == staff["caseworker"].id


def test_suppression_rule():
    assert [queries.suppressed(n) for n in (0, 1, 2, 3, 10)] == [None, None, None, 3, 10]


def test_public_metrics_and_records_hide_small_numbers(app):
    from tests.factories import referred

    org = AgencyFactory()
    earlier = today() - timedelta(days=5)
    closed = {"status": "closed", "resolved_on": earlier, "closed_on": earlier,
              "outcome": "resolved_confirmed",
              "opened_on": earlier - timedelta(days=10)}  # fmt: skip
    for _ in range(2):
        referred(CaseFactory(organisation=org, **closed), days_ago=6)
    CaseFactory(organisation=org)  # never referred: not counted anywhere public
    record = queries.remediation_record(org.id)
    assert record == {"reported": None, "resolved": None, "confirmed": None, "median_days": None}
    referred(CaseFactory(organisation=org, **closed), days_ago=6)
    record = queries.remediation_record(org.id)
    assert (record["reported"], record["resolved"], record["confirmed"]) == (3, 3, 3)
    assert record["median_days"] == 10
    metrics = queries.public_metrics("en")
    assert metrics["cases"] == 3 and metrics["closed"] == 3
    assert metrics["workers_covered"] is None


def test_public_figures_change_once_a_day_not_with_each_step(app):
    """A case referred, resolved or closed today, and a review published today, count from
    tomorrow: polling the figures dates nothing to the minute."""
    from tests.factories import referred

    org = AgencyFactory()
    earlier = today() - timedelta(days=3)
    for _ in range(3):
        referred(CaseFactory(organisation=org, status="closed", resolved_on=earlier,
                             closed_on=earlier, opened_on=earlier), days_ago=3)  # fmt: skip
        PublishedReviewFactory(published_on=earlier, written_on=earlier)
    before = queries.public_metrics("en")
    assert before["cases"] == 3 and before["closed"] == 3
    month = earlier.strftime("%Y-%m")
    assert dict(before["reviews_by_month"]) == {month: 3}
    referred(CaseFactory(organisation=org, status="closed", resolved_on=today(),
                         closed_on=today(), opened_on=earlier))  # fmt: skip
    PublishedReviewFactory(published_on=today(), written_on=earlier)
    ReviewFactory(written_on=earlier)  # waiting for a moderator: never counted
    ReviewFactory(written_on=earlier, status="rejected")
    assert queries.public_metrics("en") == before
    assert queries.remediation_record(org.id)["reported"] == 3
    tomorrow = queries.public_metrics("en", as_of=today() + timedelta(days=1))
    assert (tomorrow["cases"], tomorrow["closed"]) == (4, 4)
    assert dict(tomorrow["reviews_by_month"]) == {month: 4}


def test_brand_sees_only_its_suppliers_referred_cases(app):
    from tests.factories import OrganisationLinkFactory, referred

    brand, supplier, other = BuyerFactory(), OrganisationFactory(), OrganisationFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=supplier)
    mine = referred(CaseFactory(organisation=supplier))
    CaseFactory(organisation=supplier)  # not referred yet: the supplier does not know
    referred(CaseFactory(organisation=other))
    assert queries.cases_of_suppliers(brand.id) == [mine]
    figures = queries.dashboard([mine], "en", services.is_overdue)
    assert figures["total"] is None and figures["by_employer"] == [(supplier.name, None)]


def test_brand_figures_under_the_minimum_are_suppressed(app):
    """Medians, shares and counts built on fewer than 3 cases are hidden on the brand
    dashboard as on public pages."""
    opened = today() - timedelta(days=30)
    fixed = [
        CaseFactory(opened_on=opened, resolved_on=opened + timedelta(days=days),
                    outcome="resolved_confirmed", status="closed")
        for days in (4, 10)
    ]  # fmt: skip
    figures = queries.dashboard(fixed, "en", services.is_overdue)
    assert figures["median_days"] is None and figures["confirmed_share"] is None
    assert figures["total"] is None
    third = CaseFactory(opened_on=opened, resolved_on=opened + timedelta(days=20),
                        outcome="resolved_unconfirmed", status="closed")  # fmt: skip
    figures = queries.dashboard([*fixed, third], "en", services.is_overdue)
    assert figures["median_days"] == 10 and figures["total"] == 3
    assert figures["confirmed_share"] == 2 / 3


def test_taxonomy_versions_stay_apart(app):
    taxonomy.load()
    db.session.add(IssueCategory(code="FEE-01", version=2, group="fees", names={"en": "Fees v2"}))
    db.session.commit()
    assert [c.names["en"] for c in taxonomy.current()] == ["Fees v2"]


def test_a_withdrawn_review_cannot_become_a_case(app, staff):
    review = ReviewFactory(status="withdrawn")
    with pytest.raises(services.CaseError):
        services.open_from_review(review, staff["moderator"], ["FEE-01"], "low", 1)


def test_steps_before_the_referral_stay_internal(app, staff):
    case = CaseFactory()
    services.move(case, staff["caseworker"], "triaged")
    consent_to_refer(case)
    services.move(case, staff["caseworker"], "referred")
    assert [(e.status_to, e.shared) for e in case.events] == [
        ("triaged", False),
        ("referred", True),
    ]


def test_the_worker_may_change_the_answer_until_closed(app, staff):
    case = CaseFactory(status="referred")
    services.record_remediation(case, staff["caseworker"], "fee_repayment", None, None, None, None)
    services.worker_answer(case, "no", None)
    services.worker_answer(case, "yes", "Now I got all of it back.")
    services.move(case, staff["caseworker"], "resolved")
    services.close_resolved(case, staff["caseworker"])
    assert case.outcome == "resolved_confirmed"
    with pytest.raises(services.CaseError):
        services.worker_answer(case, "no", None)


def test_hidden_cells_take_others_with_them_until_their_sum_tells_nothing():
    """The total is shown: hidden cells must be at least two and sum to 6 or more, or the
    total minus the cells shown would give each one away."""
    rows = [("MY", 1), ("TH", 5), ("LA", 4), ("KH", 20)]
    assert queries.suppressed_rows(rows) == [("MY", None), ("TH", None), ("LA", None), ("KH", 20)]
    assert queries.suppressed_rows([("TH", 7)]) == [("TH", 7)]
    assert queries.suppressed_rows([("TH", 7), ("MY", 9)]) == [("TH", 7), ("MY", 9)]
    # Two cells of 1 beside a big one: 12 - 10 = 2 would say "1 and 1".
    assert queries.suppressed_rows([("Big", 10), ("S1", 1), ("S2", 1)]) == [
        ("Big", None), ("S1", None), ("S2", None)
    ]  # fmt: skip
    assert queries.suppressed_rows([("A", 1), ("B", 2), ("C", 9), ("D", 30)]) == [
        ("A", None), ("B", None), ("C", None), ("D", 30)
    ]  # fmt: skip


def test_workers_covered_counts_each_case_once(app, staff):
    from tests.factories import referred

    case = referred(CaseFactory(status="referred", workers_affected=30))
    for _ in range(2):
        services.record_remediation(case, staff["caseworker"], "back_pay", None, None, 30, None)
    for _ in range(2):
        other = referred(CaseFactory(status="referred", workers_affected=5))
        services.record_remediation(other, staff["caseworker"], "back_pay", None, None, 9, None)
    tomorrow = today() + timedelta(days=1)
    assert queries.public_metrics("en", as_of=tomorrow)["workers_covered"] == 40  # not 78
