from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs import services
from goldendreams.jobs.models import Application, Job
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    BuyerFactory,
    JobFactory,
    JobFlagFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
    job_fields,
)


def recruited_employer():
    """A new employer that every agency made so far recruits for (agencies only post jobs
    for employers they are linked to)."""
    employer = OrganisationFactory()
    for source in db.session.scalars(select(Organisation).filter_by(kind="agency")):
        OrganisationLinkFactory(source=source, target=employer)
    return employer


def fields(**overrides) -> dict:
    return job_fields(**{"employer_id": recruited_employer().id, **overrides})


TEXTS = {"en": ("Shrimp peeler", "Peeling shrimp in a clean factory."), "my": ("", "")}
WORKER_FEE = [
    {"kind": "passport", "amount": Decimal(45000), "currency": "MMK", "paid_by": "worker"}
]
EMPLOYER_FEE = [{"kind": "visa", "amount": Decimal(2000), "currency": "THB", "paid_by": "employer"}]


def agency(**kwargs):
    kwargs.setdefault("licence_expiry", today() + timedelta(days=365))
    return AgencyFactory(**kwargs)


def test_save_computes_monthly_pay_and_employer_pays(app):
    job = services.save_job(agency(), None, fields(), TEXTS, EMPLOYER_FEE)
    assert job.status == "draft" and job.employer_pays
    assert job.monthly_salary == Decimal(10400)  # 400 a day x 26 working days (1 day off)
    assert [t.locale for t in job.texts] == ["en"]  # empty languages are dropped
    job = services.save_job(job.agency, None, fields(), TEXTS, EMPLOYER_FEE + WORKER_FEE, job)
    assert not job.employer_pays and job.worker_fees() == {"MMK": Decimal(45000)}


@pytest.mark.parametrize(
    "change",
    [
        {"salary_amount": Decimal("-1")},
        {"salary_amount": Decimal("0")},
        {"salary_amount": Decimal("5000000"), "salary_period": "month"},
        {"salary_currency": "EUR"},
        {"destination_country": "SG"},
        {"positions": 0},
        {"hours_per_day": Decimal("20")},
        {"rest_days_per_week": 8},
        {"age_min": 40, "age_max": 20},
        {"languages": ["fr"]},
        {"recruiting_from": ["US"]},
        {"sector": "mining"},
        {"gender": "robots"},
    ],
    ids=str,
)
def test_bad_terms_are_refused(app, change):
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(**change), TEXTS, [])
    db.session.rollback()
    assert db.session.scalar(select(Job.id)) is None


@pytest.mark.parametrize(
    "fees",
    [
        [{"kind": "passport", "amount": Decimal(1), "currency": "BTC", "paid_by": "worker"}],
        [{"kind": "bribe", "amount": Decimal(1), "currency": "THB", "paid_by": "worker"}],
        [{"kind": "visa", "amount": Decimal(-5), "currency": "THB", "paid_by": "worker"}],
        [{"kind": "visa", "amount": None, "currency": "THB", "paid_by": "worker"}],
        [{"kind": "visa", "amount": Decimal(5), "currency": "THB", "paid_by": "nobody"}],
    ],
)
def test_bad_fee_lines_are_refused(app, fees):
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(), TEXTS, fees)


def test_texts_are_needed_and_complete(app):
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(), {"en": ("", "")}, [])
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(), {"en": ("Title only", "")}, [])


def test_only_agencies_post_and_only_their_own_jobs(app):
    with pytest.raises(services.JobError):
        services.save_job(BuyerFactory(), None, fields(), TEXTS, [])
    job = services.save_job(agency(), None, fields(), TEXTS, [])
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(), TEXTS, [], job)
    with pytest.raises(services.JobError):
        services.save_job(job.agency, None, fields(employer_id=agency().id), TEXTS, [], job)


def test_submit_publish_and_edit_sends_back_for_vetting(app):
    job = services.save_job(agency(), None, fields(), TEXTS, WORKER_FEE)
    checks = {c["code"]: c["result"] for c in services.submit_job(job, None)}
    assert checks == {
        "required": "pass", "deadline": "pass", "licence": "pass",
        "minimum_wage": "pass", "worker_fees": "warn",
    }  # fmt: skip
    services.publish_job(job, UserFactory())
    assert job.status == "published" and job.published_on == today()
    services.save_job(job.agency, None, fields(positions=20), TEXTS, WORKER_FEE, job)
    assert job.status == "submitted" and job.checks
    actions = db.session.scalars(select(AuditLog.action).filter_by(target_type="job"))
    assert list(actions) == ["job.create", "job.submit", "job.publish", "job.update"]


def test_incomplete_or_past_jobs_cannot_be_submitted(app):
    job = services.save_job(agency(), None, fields(deadline=today() - timedelta(days=1)), TEXTS, [])
    with pytest.raises(services.JobError):
        services.submit_job(job, None)
    job = services.save_job(job.agency, None, fields(positions=None), TEXTS, [], job)
    with pytest.raises(services.JobError):
        services.submit_job(job, None)
    assert job.status == "draft"


@pytest.mark.parametrize(
    ("overrides", "agency_kwargs"),
    [
        ({"salary_amount": Decimal("300")}, {}),  # below 372 a day in Samut Sakhon
        ({"salary_currency": "USD"}, {}),
        ({}, {"licence_status": "suspended"}),
        (
            {"deadline": today() + timedelta(days=200)},
            {"licence_expiry": today() + timedelta(days=100)},
        ),
    ],
    ids=["low-wage", "wrong-currency", "suspended", "licence-ends-first"],
)
def test_failed_checks_block_publishing(app, overrides, agency_kwargs):
    job = services.save_job(agency(**agency_kwargs), None, fields(**overrides), TEXTS, [])
    services.submit_job(job, None)
    with pytest.raises(services.JobError):
        services.publish_job(job, None)
    assert job.status == "submitted"
    services.reject_job(job, None, "low_wage")
    assert job.status == "rejected" and job.decision_reason == "low_wage"


def test_reject_needs_a_reason(app):
    job = JobFactory(status="submitted")
    with pytest.raises(services.JobError):
        services.reject_job(job, None, "because")
    with pytest.raises(services.JobError):
        services.reject_job(job, None, "other", "")


def test_close_and_copy(app):
    job = JobFactory()
    services.close_job(job, None)
    assert job.status == "closed" and not services.is_open(job)
    with pytest.raises(services.JobError):
        services.save_job(job.agency, None, fields(), TEXTS, [], job)
    copy = services.copy_job(job, None)
    assert copy.status == "draft" and copy.deadline is None and copy.id != job.id
    assert [t.title for t in copy.texts] == [t.title for t in job.texts]


def test_apply_gives_a_code_and_allows_one_application_per_phone(app):
    job = JobFactory()
    application, code = services.apply(job, "Ma Hla", "+95 9 450 111 222", "MM", "", "my", True)
    assert services.find_application_by_code(code) == application
    assert code not in str(db.session.execute(select(Application.__table__)).one())
    for same_phone in ("+95-9-450-111-222", "၀၀၉၅ ၉ ၄၅၀ ၁၁၁ ၂၂၂", "0095 9450111222"):
        with pytest.raises(services.JobError, match="check it with your code"):
            services.apply(job, "Again", same_phone, "MM", None, "my", True)
    services.apply(JobFactory(), "Ma Hla", "+95 9 450 111 222", "MM", None, "my", True)


def test_different_people_are_never_taken_for_one(app):
    job = JobFactory()
    services.apply(job, "Myanmar number", "+95 9 1234 5678", "MM", None, "my", True)
    services.apply(job, "Thai number", "091 234 5678", "MM", None, "my", True)
    assert len(db.session.scalars(select(Application)).all()) == 2


@pytest.mark.parametrize(
    "args",
    [
        ("", "0812345678", "MM", None, "my", True),
        ("Name", "12", "MM", None, "my", True),
        ("Name", "0812345678", "US", None, "my", True),
        ("Name", "0812345678", "MM", None, "fr", True),
        ("Name", "0812345678", "MM", None, "my", False),
    ],
)
def test_bad_applications_are_refused(app, args):
    with pytest.raises(services.JobError):
        services.apply(JobFactory(), *args)


def test_closed_and_expired_jobs_take_no_applications(app):
    for job in (JobFactory(status="closed"), JobFactory(deadline=today() - timedelta(days=1))):
        with pytest.raises(services.JobError):
            services.apply(job, "Name", "0812345678", "MM", None, "my", True)


def test_pipeline_moves_by_own_agency_staff_only(app):
    application = ApplicationFactory()
    own = UserFactory(role="agency_staff", organisation=application.job.agency)
    other = UserFactory(role="agency_staff", organisation=agency())
    with pytest.raises(services.JobError):
        services.move_application(application, other, "shortlisted", None)
    with pytest.raises(services.JobError):
        services.move_application(application, own, "promoted", None)
    services.move_application(application, own, "interview", "Come on Monday at 9.")
    assert (application.status, application.message) == ("interview", "Come on Monday at 9.")


def test_purge_removes_personal_data_after_retention(app):
    old = JobFactory(status="closed", deadline=today() - timedelta(days=300))
    old.closed_on = today() - timedelta(days=200)
    recent = JobFactory(status="closed", deadline=today() - timedelta(days=10))
    recent.closed_on = today() - timedelta(days=10)
    gone = ApplicationFactory(job=old, origin_region="Mawlamyine", status="hired")
    kept = ApplicationFactory(job=recent)
    assert services.purge(180) == 1
    assert (gone.name, gone.phone, gone.phone_key, gone.origin_region) == (None, None, None, None)
    assert (gone.status, gone.origin_country, gone.purged_on) == ("hired", "MM", today())
    assert kept.name == "Ma Hla"
    assert services.purge(180) == 0


def test_purge_command(app):
    old = JobFactory(deadline=today() - timedelta(days=400))
    ApplicationFactory(job=old)
    result = app.test_cli_runner().invoke(args=["purge", "--days", "30"])
    assert result.exit_code == 0 and "1 application" in result.output


def test_job_flags(app):
    flag = JobFlagFactory()
    services.decide_job_flag(flag, None, uphold=True)
    assert flag.job.status == "rejected" and flag.job.decision_reason == "not_real"
    with pytest.raises(services.JobError):
        services.flag_job(flag.job, "scam", None)  # not published any more


def test_only_published_jobs_can_be_closed(app):
    for status in ("draft", "submitted", "rejected"):
        with pytest.raises(services.JobError):
            services.close_job(JobFactory(status=status), None)


def test_changing_a_sent_job_takes_it_back_to_draft(app):
    job = services.save_job(agency(), None, fields(), TEXTS, EMPLOYER_FEE)
    services.submit_job(job, None)
    services.save_job(job.agency, None, fields(), TEXTS, EMPLOYER_FEE + WORKER_FEE, job)
    assert job.status == "draft" and job.checks == []
    with pytest.raises(services.JobError):
        services.publish_job(job, None)


def test_upheld_reports_never_pass_the_readers_note_to_the_agency(app):
    flag = JobFlagFactory(reason="other", note="I am Aung Aung, call me on 09 111 222 333")
    services.decide_job_flag(flag, None, uphold=True)
    assert flag.job.status == "rejected" and flag.job.decision_note is None


def test_province_must_be_known_for_the_country(app):
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(province="bangkok "), TEXTS, [])
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(province="Johor"), TEXTS, [])  # Malaysia


def test_a_province_without_its_own_rate_is_a_warning(app):
    job = services.save_job(agency(), None, fields(province="Lop Buri"), TEXTS, EMPLOYER_FEE)
    checks = {c["code"]: c["result"] for c in services.submit_job(job, None)}
    assert checks["minimum_wage"] == "warn"


@pytest.mark.parametrize(
    ("pay", "period", "rest_days", "result"),
    [
        ("66", "day", 1, "pass"),  # 66 x 26 days = 1,716 >= 1,700
        ("66", "day", 2, "fail"),  # 66 x 21.67 days = 1,430
        ("1700", "month", 2, "pass"),
        ("1699", "month", 1, "fail"),
    ],
)
def test_malaysian_minimum_counts_the_days_worked(app, pay, period, rest_days, result):
    job = services.save_job(
        agency(), None,
        fields(destination_country="MY", province="Johor", salary_currency="MYR",
               salary_amount=Decimal(pay), salary_period=period, rest_days_per_week=rest_days),
        TEXTS, EMPLOYER_FEE,
    )  # fmt: skip
    checks = {c["code"]: c["result"] for c in services.submit_job(job, None)}
    assert checks["minimum_wage"] == result


@pytest.mark.parametrize(
    ("pay", "result"), [("9700", "fail"), ("11100", "fail"), ("11160", "pass")]
)
def test_thai_monthly_pay_is_held_to_the_daily_minimum_for_every_day(app, pay, result):
    """Thai law pays a monthly worker for all 30 days, rest days included: 372 a day is
    11,160 a month. (Counting only the 26 working days would pass 9,700 an underpayment.)"""
    job = services.save_job(
        agency(), None, fields(salary_amount=Decimal(pay), salary_period="month"), TEXTS, []
    )
    checks = {c["code"]: c for c in services.submit_job(job, None)}
    assert checks["minimum_wage"]["result"] == result
    assert checks["minimum_wage"]["minimum"] == "11160.00"
    assert checks["minimum_wage"]["period"] == "month"


def test_deadline_at_most_a_year_ahead(app):
    with pytest.raises(services.JobError):
        services.save_job(agency(), None, fields(deadline=today() + timedelta(days=400)), TEXTS, [])


def test_employer_pays_needs_declared_costs(app):
    job = services.save_job(agency(), None, fields(), TEXTS, [])
    assert not job.employer_pays
    zero = [{"kind": "visa", "amount": Decimal(0), "currency": "THB", "paid_by": "worker"}]
    job = services.save_job(job.agency, None, fields(), TEXTS, EMPLOYER_FEE + zero, job)
    assert job.employer_pays and job.worker_fees() == {}


def test_months_of_pay_only_in_one_currency(app):
    thb = [{"kind": "visa", "amount": Decimal(100), "currency": "THB", "paid_by": "worker"}]
    job = services.save_job(agency(), None, fields(), TEXTS, [*WORKER_FEE, *thb])
    assert job.months_of_pay() is None  # MMK and THB: no exchange rate, no figure
    job = services.save_job(job.agency, None, fields(), TEXTS, thb, job)
    assert job.months_of_pay() == Decimal("0.1")


def test_unknown_licence_expiry_is_a_warning(app):
    job = services.save_job(agency(licence_expiry=None), None, fields(), TEXTS, EMPLOYER_FEE)
    checks = {c["code"]: c["result"] for c in services.submit_job(job, None)}
    assert checks["licence"] == "warn"


def test_a_job_stops_when_its_agency_loses_its_licence(app):
    from goldendreams.jobs import queries

    job = JobFactory()
    assert services.is_open(job)
    job.agency.licence_status = "suspended"
    db.session.commit()
    assert not services.is_open(job)
    assert db.session.scalars(queries.open_jobs()).all() == []
    with pytest.raises(services.JobError):
        services.apply(job, "Name", "0812345678", "MM", None, "my", True)


def test_purge_covers_jobs_taken_down_and_made_drafts(app):
    job = JobFactory()
    application = ApplicationFactory(job=job)
    services.reject_job(job, None, "misleading")
    services.save_job(job.agency, None, fields(deadline=None), TEXTS, [], job)
    job.closed_on = today() - timedelta(days=200)
    db.session.commit()
    assert services.purge(180) == 1 and application.name is None


def test_admins_can_move_applications(app):
    application = ApplicationFactory()
    services.move_application(application, UserFactory(role="admin"), "offered", None)
    assert application.status == "offered"
