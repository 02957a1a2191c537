"""Collective cases' rules: who starts and groups, beneficiary lines, the schedule's
states (due → reported by the organisation → confirmed by the CSO), totals, reminders."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.collective import queries, services, tasks
from goldendreams.collective.models import Beneficiary, CollectiveCase, Instalment
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.collective.factories import (
    CollectiveFactory,
    InstalmentFactory,
    MemberFactory,
    collective_with_case,
)
from tests.factories import CaseFactory, CsoFactory, OrganisationFactory, UserFactory, network_cso
from tests.mailbox import text_of


@pytest.fixture
def caseworker(app):
    taxonomy.load()
    return UserFactory(role="caseworker")


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action))


def test_a_caseworker_starts_a_collective_case_from_their_case(caseworker):
    case = CaseFactory()
    collective = services.start(caseworker, case, "dormitory", "Dormitory B", 40)
    assert re.fullmatch(r"ILM-C-\d{4}-[A-Z0-9]{8}", collective.reference)
    assert collective.owner_id == case.owner_id
    assert collective.organisation_id == case.organisation_id
    assert collective.cases == [case] and collective.is_open
    assert queries.covered_cases(case) == [case]
    assert audits("collective.start") == 1


def test_another_csos_caseworker_cannot_start_one(caseworker):
    other = UserFactory(role="caseworker", organisation=CsoFactory())
    with pytest.raises(services.CollectiveError):
        services.start(other, CaseFactory(), "dormitory", None, 10)
    assert db.session.scalar(select(func.count(CollectiveCase.id))) == 0


@pytest.mark.parametrize(
    ("grouping", "workers"),
    [("kitchen", 10), ("dormitory", 0), ("dormitory", 100_001), ("dormitory", True)],
)
def test_bad_input_starts_nothing(caseworker, grouping, workers):
    with pytest.raises(services.CollectiveError):
        services.start(caseworker, CaseFactory(), grouping, None, workers)
    assert db.session.scalar(select(func.count(CollectiveCase.id))) == 0


def test_cases_of_the_same_cso_and_organisation_are_grouped_once(caseworker):
    first = CaseFactory()
    collective = services.start(caseworker, first, "production_line", None, 30)
    second = CaseFactory(organisation=first.organisation)
    services.add_case(caseworker, collective, second)
    assert {c.id for c in queries.covered_cases(second)} == {first.id, second.id}
    # A case belongs to one collective at most.
    other = services.start(
        caseworker, CaseFactory(organisation=first.organisation), "other", None, 3
    )
    with pytest.raises(services.CollectiveError):
        services.add_case(caseworker, other, second)
    # Another organisation's case, or another CSO's, does not join.
    with pytest.raises(services.CollectiveError):
        services.add_case(caseworker, collective, CaseFactory())
    with pytest.raises(services.CollectiveError):
        services.add_case(
            caseworker, collective, CaseFactory(organisation=first.organisation, owner=CsoFactory())
        )
    assert audits("collective.add_case") == 1


def test_removing_a_case_is_audited_and_the_last_case_stays(caseworker):
    collective = collective_with_case()
    second = MemberFactory(collective=collective).case
    services.remove_case(caseworker, collective, second)
    assert queries.collective_of(second) is None
    assert audits("collective.remove_case") == 1
    with pytest.raises(services.CollectiveError):
        services.remove_case(caseworker, collective, collective.cases[0])


def test_beneficiary_lines_are_checked_and_stored_encrypted(caseworker):
    collective = CollectiveFactory()
    line = services.add_beneficiary(
        caseworker, collective, "Ma Hnin Wai", Decimal("18000"), Decimal("9000"), "THB",
        today(), "mobile_money",
    )  # fmt: skip
    stored = db.session.execute(
        select(Beneficiary.__table__.c.label).where(Beneficiary.__table__.c.id == line.id)
    ).scalar()
    assert line.label == "Ma Hnin Wai"
    raw = (
        db.session.connection()
        .exec_driver_sql("SELECT label FROM collective_beneficiaries")
        .scalar()
    )
    assert "Hnin" not in raw and stored == "Ma Hnin Wai"
    bad = [
        ("", Decimal("1"), None, "THB", None, None),  # no label
        ("A", Decimal("0"), None, "THB", None, None),  # nothing owed
        ("A", Decimal(10**9), None, "THB", None, None),  # too much
        ("A", Decimal("NaN"), None, "THB", None, None),
        ("A", Decimal("10"), None, "EUR", None, None),  # currency not in the list
        ("A", Decimal("10"), Decimal("5"), "THB", None, None),  # paid: when and how?
        ("A", Decimal("10"), Decimal("5"), "THB", today() + timedelta(days=1), "cash"),
        ("A", Decimal("10"), Decimal("5"), "THB", today(), "cheque"),
    ]
    for values in bad:
        with pytest.raises(services.CollectiveError):
            services.add_beneficiary(caseworker, collective, *values)
    assert db.session.scalar(select(func.count(Beneficiary.id))) == 1


def test_nobody_outside_the_cso_changes_lines(caseworker):
    collective = CollectiveFactory()
    for role in ("caseworker", "employer_staff", "brand", "moderator"):
        org = CsoFactory() if role == "caseworker" else collective.organisation
        user = UserFactory(role=role, organisation=org if role != "moderator" else None)
        with pytest.raises(services.CollectiveError):
            services.add_beneficiary(user, collective, "X", Decimal("1"), None, "THB", None, None)


def test_the_organisation_reports_and_the_caseworker_confirms(caseworker, mailbox):
    collective = collective_with_case()
    staff = UserFactory(role="employer_staff", organisation=collective.organisation)
    instalment = services.add_instalment(
        caseworker, collective, today() + timedelta(days=30), Decimal("60000"), "THB"
    )
    services.report_payment(staff, instalment, Decimal("60000"), today())
    assert instalment.state == "reported"
    assert queries.schedule_totals(collective)["paid"] == {}  # not confirmed: not counted
    # The CSO's caseworkers hear (the other caseworker too), with no worker's details.
    mails = [m for m in mailbox.messages if "payment to check" in m["Subject"]]
    assert mails and all("Hnin" not in text_of(m) for m in mails)
    services.confirm_payment(caseworker, instalment, Decimal("59000"), today())
    assert instalment.state == "confirmed"
    assert queries.schedule_totals(collective)["paid"] == {"THB": Decimal("59000.00")}
    assert queries.schedule_totals(collective)["left"] == {"THB": Decimal("1000.00")}
    assert queries.organisation_totals(collective.organisation_id) == {"THB": Decimal("59000")}
    with pytest.raises(services.CollectiveError):  # confirmed once
        services.confirm_payment(caseworker, instalment, Decimal("1"), today())


def test_only_the_organisations_staff_report_and_only_once_told(caseworker):
    collective = collective_with_case(shared=False)
    staff = UserFactory(role="employer_staff", organisation=collective.organisation)
    instalment = InstalmentFactory(collective=collective)
    with pytest.raises(services.CollectiveError):  # not told of any of its cases yet
        services.report_payment(staff, instalment, Decimal("10"), today())
    other = UserFactory(role="employer_staff", organisation=OrganisationFactory())
    for user in (other, caseworker):
        with pytest.raises(services.CollectiveError):
            services.report_payment(user, instalment, Decimal("10"), today())
    assert instalment.state == "due"


def test_a_rejected_report_is_due_again(caseworker):
    collective = collective_with_case()
    staff = UserFactory(role="employer_staff", organisation=collective.organisation)
    instalment = InstalmentFactory(collective=collective)
    services.report_payment(staff, instalment, Decimal("50000"), today())
    services.reject_report(caseworker, instalment)
    assert instalment.state == "due" and instalment.paid_on is None
    assert audits("collective.reject_report") == 1


def test_overdue_instalments_are_reminded_once(caseworker, mailbox):
    collective = collective_with_case()
    UserFactory(role="employer_staff", organisation=collective.organisation)
    late = InstalmentFactory(collective=collective, due_on=today() - timedelta(days=1))
    InstalmentFactory(collective=collective, due_on=today())  # due today: not late yet
    hidden = collective_with_case(shared=False)
    UserFactory(role="employer_staff", organisation=hidden.organisation)
    InstalmentFactory(collective=hidden, due_on=today() - timedelta(days=5))
    assert queries.is_overdue(late) and queries.overdue_count(collective) == 1
    mailbox.clear()
    assert tasks.remind_overdue_instalments.call_local() == 1
    assert len(mailbox.messages) == 1
    assert tasks.remind_overdue_instalments.call_local() == 0


def test_paid_between_counts_confirmed_payments_by_currency(caseworker):
    collective = collective_with_case()
    day = today() - timedelta(days=10)
    InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal("100"),
                      paid_on=day, confirmed_on=day)  # fmt: skip
    InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal("7"),
                      currency="USD", paid_on=day, confirmed_on=day)  # fmt: skip
    InstalmentFactory(collective=collective, state="reported", amount_paid=Decimal("999"),
                      paid_on=day)  # fmt: skip
    InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal("50"),
                      paid_on=day - timedelta(days=40), confirmed_on=day)  # fmt: skip
    hidden = collective_with_case(shared=False)
    InstalmentFactory(collective=hidden, state="confirmed", amount_paid=Decimal("5"),
                      paid_on=day, confirmed_on=day)  # fmt: skip
    first, last = day - timedelta(days=1), day
    org = collective.organisation_id
    exact = {"THB": Decimal(100), "USD": Decimal(7)}
    assert queries.paid_between([org], first, last, published=False) == exact
    assert queries.paid_between(None, first, last, published=False) == exact
    assert queries.paid_between([hidden.organisation_id], first, last, published=False) == {}


def test_published_payments_follow_the_brand_and_public_rules(caseworker):
    """``published=True`` (brand and public trends) counts what ``_published`` allows: 3
    workers covered or more, told to the organisation, paid and confirmed before today."""
    day = today() - timedelta(days=10)
    first, last = day, today()

    def paid(collective, amount: str, on=day, confirmed=day) -> None:
        InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal(amount),
                          paid_on=on, confirmed_on=confirmed)  # fmt: skip

    three = collective_with_case(workers_covered=3)
    paid(three, "100")
    paid(three, "20", on=today(), confirmed=today())  # today: not yet
    paid(three, "3", confirmed=today())  # confirmed today: not yet
    two = collective_with_case(workers_covered=2)
    paid(two, "5000")
    untold = collective_with_case(shared=False)
    paid(untold, "9000")
    ids = [three.organisation_id, two.organisation_id, untold.organisation_id]
    assert queries.paid_between(ids, first, last, published=True) == {"THB": Decimal(100)}
    assert queries.paid_between(ids, first, last, published=False) == {"THB": Decimal(5123)}
    rows = queries.paid_by_day(ids, first, last, published=True)
    assert rows == [(day, "THB", Decimal(100))]
    assert queries.paid_by_day([two.organisation_id], first, last, published=True) == []


def test_a_closed_collective_changes_no_more(caseworker):
    collective = collective_with_case()
    services.set_status(caseworker, collective, close=True)
    with pytest.raises(services.CollectiveError):
        services.add_instalment(caseworker, collective, today(), Decimal("1"), "THB")
    services.set_status(caseworker, collective, close=False)
    assert collective.is_open and collective.closed_on is None


def test_removing_an_instalment_only_while_due(caseworker):
    collective = collective_with_case()
    due = InstalmentFactory(collective=collective)
    paid = InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal(1),
                             paid_on=today(), confirmed_on=today())  # fmt: skip
    services.remove_instalment(caseworker, due)
    with pytest.raises(services.CollectiveError):
        services.remove_instalment(caseworker, paid)
    assert db.session.scalar(select(func.count(Instalment.id))) == 1


def test_covered_cases_of_a_case_alone_is_itself(caseworker):
    case = CaseFactory()
    assert queries.covered_cases(case) == [case]
    assert network_cso().id == case.owner_id
