import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs.models import Application, Job, JobFlag
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    FeeLineFactory,
    JobFactory,
    JobTextFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_list_shows_open_jobs_only(client):
    JobFactory(texts=[], status="published")
    open_job = JobFactory()
    JobFactory(status="submitted")
    JobFactory(status="closed")
    JobFactory(deadline=today() - timedelta(days=1))
    page = text(client.get("/jobs/"))
    assert f"/jobs/{open_job.id}" in page
    assert len(re.findall(r'href="/jobs/\d+"', page)) == 2  # the two published, open jobs


def test_filters_and_sort(client):
    cheap = JobFactory(monthly_salary=Decimal(9000), employer_pays=False, recruiting_from=["KH"])
    rich = JobFactory(monthly_salary=Decimal(15000), languages=["ne"])
    FeeLineFactory(job=cheap)
    malaysia = JobFactory(destination_country="MY", province="Johor", salary_currency="MYR")

    def ids(query):
        return [
            int(i) for i in re.findall(r'href="/jobs/(\d+)"', text(client.get(f"/jobs/?{query}")))
        ]

    assert ids("country=MY") == [malaysia.id]
    assert ids("employer_pays=y&country=TH") == [rich.id]
    assert ids("min_salary=10000&country=TH") == [rich.id]
    assert ids("recruiting_from=KH") == [cheap.id]
    assert ids("language=ne") == [rich.id]
    assert ids("sort=salary&country=TH") == [rich.id, cheap.id]
    no_country = text(client.get("/jobs/?sort=salary&min_salary=10000"))
    assert "Choose a country to compare pay." in no_country
    assert len(re.findall(r'href="/jobs/(\d+)"', no_country)) == 3  # nothing compared
    assert client.get("/jobs/?min_salary=lots&country=<b>").status_code == 200


def test_job_page_shows_fees_terms_and_months_of_pay(client):
    job = JobFactory(employer_pays=False, monthly_salary=Decimal(12000))
    FeeLineFactory(job=job, kind="recruitment", amount=Decimal(18000), currency="THB")
    FeeLineFactory(job=job, kind="visa", amount=Decimal(2000), currency="THB", paid_by="employer")
    page = text(client.get(f"/jobs/{job.id}"))
    assert "You pay:" in page and "THB18,000" in page
    assert "1.5 months of pay" in page
    assert "Employer pays" in page and "Recruitment or service fee" in page
    assert job.agency.name in page and "Licence valid" in page


def test_employer_pays_badge(client):
    job = JobFactory()
    FeeLineFactory(job=job, paid_by="employer")
    page = text(client.get(f"/jobs/{job.id}"))
    assert "Employer Pays" in page and "You pay:" not in page


def test_closed_job_page_says_so(client):
    job = JobFactory(deadline=today() - timedelta(days=2))
    page = text(client.get(f"/jobs/{job.id}"))
    assert "This job is closed." in page and f"/jobs/{job.id}/apply" not in page
    assert client.get(f"/jobs/{job.id}/apply").status_code == 302
    assert client.get(f"/jobs/{JobFactory(status='draft').id}").status_code == 404


def test_job_in_the_readers_language_or_another_with_a_notice(client):
    job = JobFactory()  # its first text is English
    JobTextFactory(job=job, locale="my", title="ငါးစက်ရုံ")
    client.set_cookie("gd_lang", "my")
    assert "ငါးစက်ရုံ" in text(client.get(f"/jobs/{job.id}"))
    client.set_cookie("gd_lang", "km")
    page = text(client.get(f"/jobs/{job.id}"))
    assert "Factory worker" in page and 'class="notice"' in page  # English before Burmese


def test_html_in_a_description_is_escaped(client):
    job = JobFactory(texts=[])
    JobTextFactory(job=job, locale="en", title="<b>Big</b>", description="<script>x()</script>")
    page = text(client.get(f"/jobs/{job.id}"))
    assert "<script>x()" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page


def test_applying_and_checking(client):
    job = JobFactory()
    form = {"name": "Ko Min", "phone": "09 450 333 444", "origin_country": "MM", "language": "my",
            "consent": "y"}  # fmt: skip
    page = text(client.post(f"/jobs/{job.id}/apply", data=form))
    code = re.search(r'class="code" translate="no">([^<]+)<', page).group(1)
    again = text(client.post(f"/jobs/{job.id}/apply", data=form))
    assert "If you applied for this job before" in again
    assert "Ko Min" in again  # what was typed is kept
    status = text(client.post("/check", data={"code": code}))
    assert "Received" in status


def test_apply_needs_consent_and_a_phone(client):
    job = JobFactory()
    form = {"name": "X", "phone": "", "origin_country": "MM", "language": "my"}
    page = text(client.post(f"/jobs/{job.id}/apply", data=form))
    assert "Please agree" in page and "Write a phone number we can call." in page
    assert db.session.scalar(select(Application.id)) is None


def test_applying_is_rate_limited(client):
    job = JobFactory()
    codes = [
        client.post(f"/jobs/{job.id}/apply", data={"name": "N", "phone": f"0812345{n:03d}",
                    "origin_country": "MM", "language": "my", "consent": "y"}).status_code
        for n in range(11)
    ]  # fmt: skip
    assert codes == [200] * 10 + [429]


def test_reporting_a_job(client):
    job = JobFactory()
    assert client.post(f"/jobs/{job.id}/report", data={"reason": "scam"}).status_code == 302
    assert db.session.scalars(select(JobFlag)).one().reason == "scam"
    assert job.status == "published"


def job_form(employer_id, **overrides) -> dict:
    data = {
        "employer_id": str(employer_id), "sector": "seafood", "destination_country": "TH",
        "province": "Samut Sakhon", "positions": "10", "salary_amount": "400",
        "salary_currency": "THB", "salary_period": "day", "hours_per_day": "8",
        "rest_days_per_week": "1", "contract_months": "24", "gender": "any",
        "deadline": (today() + timedelta(days=30)).isoformat(),
        "texts-en-title": "Packer", "texts-en-description": "Packing fish.",
        "fees-0-kind": "passport", "fees-0-amount": "3000", "fees-0-currency": "THB",
        "fees-0-paid_by": "worker",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_agency_posts_a_job_from_its_portal(client, login_as):
    agency = AgencyFactory(licence_expiry=None)
    login_as(Role.AGENCY_STAFF, organisation=agency)
    employer = OrganisationLinkFactory(source=agency).target
    response = client.post(f"/portal/{agency.id}/jobs/new", data=job_form(employer.id))
    assert response.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert job.worker_fees() == {"THB": Decimal(3000)}
    edit = text(client.get(f"/portal/{agency.id}/jobs/{job.id}/edit"))
    assert 'value="Packer"' in edit
    assert 'value="3000.00"' in edit or 'value="3000"' in edit
    client.post(f"/portal/{agency.id}/jobs/{job.id}/submit")
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "submitted"


def test_bad_job_form_keeps_input(client, login_as):
    agency = AgencyFactory()
    login_as(Role.AGENCY_STAFF, organisation=agency)
    page = text(client.post(f"/portal/{agency.id}/jobs/new",
                            data=job_form(OrganisationFactory().id, salary_amount="-5",
                                          **{"texts-en-title": "Kept title"})))  # fmt: skip
    assert "A number is out of range." in page and 'value="Kept title"' in page
    assert db.session.scalar(select(Job.id)) is None


def test_agencies_cannot_see_each_others_jobs(client, login_as):
    mine, theirs = AgencyFactory(), AgencyFactory()
    draft = JobFactory(agency=theirs, status="draft")
    login_as(Role.AGENCY_STAFF, organisation=mine)
    assert client.get(f"/portal/{theirs.id}/jobs/").status_code == 403
    assert client.get(f"/portal/{mine.id}/jobs/{draft.id}").status_code == 404
    assert client.get(f"/portal/{mine.id}/jobs/{draft.id}/edit").status_code == 404
    assert client.post(f"/portal/{mine.id}/jobs/{draft.id}/close").status_code == 404
    assert client.get(f"/portal/{mine.id}/jobs/{draft.id}/applications").status_code == 404
    assert client.get(f"/jobs/{draft.id}").status_code == 404


def test_pipeline_and_csv(client, login_as):
    application = ApplicationFactory(name="=HYPERLINK(1)", phone="+66 81 234 5678")
    job = application.job
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    base = f"/portal/{job.agency_id}/jobs/{job.id}/applications"
    client.post(
        f"{base}/{application.public_id}", data={"status": "shortlisted", "message": "Call us"}
    )
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "shortlisted"
    csv = text(client.get(f"{job.agency_id and base}.csv"))
    assert "'=HYPERLINK(1)" in csv and "shortlisted" in csv


def test_agency_page_lists_its_open_jobs(client):
    job = JobFactory()
    JobFactory(agency=job.agency, status="draft", texts=[])
    page = text(client.get(f"/organisations/{job.agency_id}"))
    assert "Open jobs" in page and f"/jobs/{job.id}" in page
    assert len(re.findall(r'href="/jobs/\d+"', page)) == 1


def test_drafts_never_show(client):
    job = JobFactory(status="draft")
    assert client.get(f"/jobs/{job.id}").status_code == 404


def test_every_application_attempt_counts(client):
    job = JobFactory()
    form = {"name": "N", "phone": "0812345678", "origin_country": "MM", "language": "my",
            "consent": "y"}  # fmt: skip
    codes = [client.post(f"/jobs/{job.id}/apply", data=form).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]


def test_absurd_page_numbers_are_404(client):
    for url in ("/jobs/?page=99999999999999999999", "/directory/?page=99999999999"):
        assert client.get(url).status_code == 404


def test_agency_cannot_reach_another_agencys_job_through_its_own_address(client, login_as):
    mine, theirs = AgencyFactory(), AgencyFactory()
    job = JobFactory(agency=theirs)
    application = ApplicationFactory(job=job)
    login_as(Role.AGENCY_STAFF, organisation=mine)
    base = f"/portal/{mine.id}/jobs/{job.id}"
    moved = client.post(f"{base}/applications/{application.public_id}", data={"status": "hired"})
    assert moved.status_code == 404
    assert client.get(f"{base}/applications.csv").status_code == 404
    assert client.post(f"{base}/copy").status_code == 404
    assert client.post(f"{base}/submit").status_code == 404
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "received"


def test_moderator_sees_every_term(client, login_as):
    job = JobFactory(status="submitted", skills="Call 0812345678 to pay the deposit first")
    login_as(Role.MODERATOR)
    page = text(client.get(f"/moderation/jobs/{job.id}"))
    assert "Call 0812345678 to pay the deposit first" in page and "Days off a week" in page


def test_a_reader_without_their_language_gets_english_first(client):
    job = JobFactory(texts=[])
    JobTextFactory(job=job, locale="my", title="ငါးစက်ရုံ")
    JobTextFactory(job=job, locale="en", title="Fish factory")
    client.set_cookie("gd_lang", "th")
    assert '<h1 lang="en">Fish factory</h1>' in text(client.get(f"/jobs/{job.id}"))
