"""The quarterly figures from the database: suppression, boundaries, medians, money, and
what public pages may count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from goldendreams.core.base import today
from goldendreams.trends import queries
from goldendreams.trends.figures import Money, Quarter
from tests.collective.factories import InstalmentFactory, collective_with_case
from tests.factories import BuyerFactory, OrganisationFactory, OrganisationLinkFactory
from tests.trends.factories import case_at, cases_at, last_quarter, paid, problem_review


def figures_of(org, quarter: Quarter, public: bool = True):
    found = queries.quarterly([org.id], public=public)
    return next(f for f in found if f.quarter == quarter)


def test_two_cases_are_fewer_than_three_and_three_are_shown(app):
    quarter = last_quarter()
    two, three = OrganisationFactory(), OrganisationFactory()
    cases_at(two, 2, quarter.first + timedelta(days=3))
    cases_at(three, 3, quarter.first + timedelta(days=3))
    assert figures_of(two, quarter).opened is None
    assert figures_of(three, quarter).opened == 3


def test_a_case_counts_in_the_quarter_of_its_day(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    cases_at(org, 3, quarter.first)  # the first day
    cases_at(org, 3, quarter.last)  # the last day
    cases_at(org, 2, quarter.first - timedelta(days=1))  # the day before: the quarter before
    found = {f.quarter: f for f in queries.quarterly([org.id], public=True)}
    assert found[quarter].opened == 6
    assert found[quarter.previous()].opened is None
    assert len(found) == 8 and max(found) == Quarter.of(today())


def test_median_days_of_the_cases_resolved_in_the_quarter(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    fixed = quarter.first + timedelta(days=40)
    for days in (10, 20, 40):
        case_at(org, fixed - timedelta(days=days), resolved=fixed)
    figures = figures_of(org, quarter)
    assert figures.resolved == 3
    assert figures.median_days == 20
    case_at(org, fixed - timedelta(days=30), resolved=fixed)
    assert figures_of(org, quarter).median_days == 25


def test_no_median_from_two_cases(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    for days in (5, 9):
        case_at(org, quarter.first, resolved=quarter.first + timedelta(days=days))
    assert figures_of(org, quarter).median_days is None


def test_share_confirmed_by_workers_counts_every_resolved_outcome(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    day = quarter.first + timedelta(days=20)
    cases_at(org, 3, quarter.first, resolved=day, outcome="resolved_confirmed")
    cases_at(org, 2, quarter.first, resolved=day, outcome="resolved_unconfirmed")
    assert figures_of(org, quarter).confirmed_share is None  # two did not: hidden
    case_at(org, quarter.first, resolved=day, outcome="resolved_verified")
    case_at(org, quarter.first, resolved=day, outcome="no_basis")  # not a fix: not counted
    assert figures_of(org, quarter).confirmed_share == 0.5


def test_money_per_currency_rounded_shared_steps_only(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    case = case_at(org, quarter.first)
    day = quarter.first + timedelta(days=10)
    paid(case, "12600", "THB", day)
    paid(case, "900", "THB", day + timedelta(days=1))
    paid(case, "149", "MYR", day)
    paid(case, "50000", "THB", day, shared=False)  # an internal note of an amount
    assert figures_of(org, quarter, public=False).money == [
        Money("MYR", Decimal(100)),
        Money("THB", Decimal(14000)),
    ]


def test_public_money_needs_three_cases_that_paid(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    day = quarter.first + timedelta(days=10)
    first, second, third = cases_at(org, 3, quarter.first)
    paid(first, "20000", "THB", day)
    paid(first, "20000", "THB", day + timedelta(days=1))  # one case paying twice is one
    paid(second, "9000", "THB", day)
    assert figures_of(org, quarter).money == []
    assert figures_of(org, quarter, public=False).money == [Money("THB", Decimal(49000))]
    paid(third, "1000", "THB", day)
    assert figures_of(org, quarter).money == [Money("THB", Decimal(50000))]


def test_collective_repayments_count_as_money_returned(app):
    """Confirmed instalments of a collective case the organisation was told of add to its
    money returned, in the quarter they were paid; the public total needs 3 cases' steps
    (a collective's count of payers is not known)."""
    quarter = last_quarter()
    collective = collective_with_case()
    org = collective.organisation
    day = quarter.first + timedelta(days=5)
    for amount, state in (("30000", "confirmed"), ("5000", "reported")):
        InstalmentFactory(
            collective=collective, due_on=day, state=state, amount=Decimal(amount),
            amount_paid=Decimal(amount), paid_on=day,
        )  # fmt: skip
    InstalmentFactory(  # paid before the quarters shown: not counted
        collective=collective, due_on=day, state="confirmed", amount=Decimal("7000"),
        amount_paid=Decimal("7000"), paid_on=quarter.first - timedelta(days=400),
    )  # fmt: skip
    assert figures_of(org, quarter, public=False).money == [Money("THB", Decimal(30000))]
    assert figures_of(org, quarter).money == []  # public: we cannot tell how many paid
    untold = collective_with_case(shared=False)
    InstalmentFactory(
        collective=untold, due_on=day, state="confirmed", amount=Decimal("9000"),
        amount_paid=Decimal("9000"), paid_on=day,
    )  # fmt: skip
    assert figures_of(untold.organisation, quarter, public=False).money == []


def _collective_paid(org, covered: int, amount: str, day) -> None:
    """A collective case at ``org`` covering ``covered`` workers, told to it, with one
    instalment paid and confirmed on ``day``."""
    collective = collective_with_case(organisation=org, workers_covered=covered)
    InstalmentFactory(
        collective=collective, due_on=day, state="confirmed", amount=Decimal(amount),
        amount_paid=Decimal(amount), paid_on=day, confirmed_on=day,
    )  # fmt: skip


def test_a_collective_of_two_workers_adds_nothing_for_brands_or_the_public(app):
    """Brand and public figures count collective payments by collective's own rules
    (3 workers covered or more): 2 workers' payment would tell what each got. The
    organisation's own portal still counts it."""
    quarter = last_quarter()
    brand = BuyerFactory()
    org = OrganisationFactory()
    OrganisationLinkFactory(source=brand, target=org, kind="buys_from")
    day = quarter.first + timedelta(days=5)
    for case in cases_at(org, 3, day):  # 3 cases paid: the public total may show
        paid(case, "10000", "THB", day)
    _collective_paid(org, 2, "40000", day)
    assert figures_of(org, quarter, public=False).money == [Money("THB", Decimal(70000))]
    assert figures_of(org, quarter).money == [Money("THB", Decimal(30000))]
    trend = next(f for f in queries.brand_trends(brand.id) if f.quarter == quarter)
    assert trend.money == [Money("THB", Decimal(30000))]
    [row] = queries.supplier_comparison(brand.id)
    assert row.money == [Money("THB", Decimal(30000))]
    # A collective of 3 workers, confirmed before today, counts everywhere.
    _collective_paid(org, 3, "5000", day)
    assert figures_of(org, quarter).money == [Money("THB", Decimal(35000))]
    trend = next(f for f in queries.brand_trends(brand.id) if f.quarter == quarter)
    assert trend.money == [Money("THB", Decimal(35000))]
    [row] = queries.supplier_comparison(brand.id)
    assert row.money == [Money("THB", Decimal(35000))]


def test_public_figures_count_only_cases_referred_to_the_organisation(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    day = quarter.first + timedelta(days=5)
    cases_at(org, 4, day, shared=False)
    assert figures_of(org, quarter).opened is None
    assert figures_of(org, quarter, public=False).opened is None
    cases_at(org, 3, day)
    assert figures_of(org, quarter).opened == 3


def test_public_figures_leave_out_today(app):
    org = OrganisationFactory()
    cases_at(org, 3, today())
    current = Quarter.of(today())
    assert figures_of(org, current, public=True).opened is None
    assert figures_of(org, current, public=False).opened == 3


def test_issues_reported_are_published_reviews_that_report_a_problem(app):
    quarter = last_quarter()
    org = OrganisationFactory()
    day = quarter.first + timedelta(days=2)
    problem_review(org, day)
    problem_review(org, day, documents_holder="employer")
    problem_review(org, day, wages_on_time="no")
    problem_review(org, day, wages_on_time="yes", fees_paid="no")  # no problem
    assert figures_of(org, quarter).issues_reported == 3


def test_brand_trends_and_supplier_comparison(app):
    quarter = last_quarter()
    brand = BuyerFactory()
    big, small, elsewhere = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    OrganisationLinkFactory(source=brand, target=big, kind="buys_from")
    OrganisationLinkFactory(source=brand, target=small, kind="buys_from")
    day = quarter.first + timedelta(days=5)
    fixed = day + timedelta(days=12)
    cases_at(big, 5, day, resolved=fixed, outcome="resolved_confirmed")
    cases_at(small, 2, day)
    cases_at(elsewhere, 9, day)
    paid(case_at(big, day), "3000", "THB", fixed)
    trend = next(f for f in queries.brand_trends(brand.id) if f.quarter == quarter)
    assert trend.opened == 8  # 6 + 2: the other employer's cases are not the brand's
    rows = {row.organisation_id: row for row in queries.supplier_comparison(brand.id)}
    assert set(rows) == {big.id, small.id}
    # 6 and 2: hiding the 2 alone would let it be read from the chain's total.
    assert rows[big.id].opened is None and rows[small.id].opened is None
    assert rows[big.id].median_days == 12
    assert rows[big.id].confirmed_share == 1
    assert rows[big.id].money == [Money("THB", Decimal(3000))]
    assert rows[small.id].median_days is None and rows[small.id].money == []


def test_a_brand_without_suppliers_compares_nothing(app):
    assert queries.supplier_comparison(BuyerFactory().id) == []
