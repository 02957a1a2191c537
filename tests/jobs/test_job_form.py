"""The agency's job form: only employers it recruits for, provinces of the chosen country,
and who pays each cost chosen on purpose (browser findings 7, 8, 9)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs import services
from goldendreams.jobs.models import Job
from tests.factories import (
    AgencyFactory,
    JobFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
)
from tests.jobs.test_fee_checks import TEXTS, fields
from tests.jobs.test_views import job_form


def page(response) -> str:
    return response.get_data(as_text=True)


def options(html: str, name: str) -> list[str]:
    select_html = re.search(rf'<select [^>]*id="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(1))


@pytest.fixture
def agency(login_as):
    agency = AgencyFactory(licence_expiry=None)
    login_as(Role.AGENCY_STAFF, organisation=agency)
    return agency


# --- 8: employers the agency recruits for --------------------------------------------------


def test_the_form_lists_only_employers_the_agency_recruits_for(client, agency):
    mine = OrganisationLinkFactory(source=agency).target
    other = OrganisationLinkFactory().target  # another agency's employer
    unlinked = OrganisationFactory()
    html = page(client.get(f"/portal/{agency.id}/jobs/new"))
    assert options(html, "employer_id") == ["0", str(mine.id)]
    assert other.name not in html and unlinked.name not in html
    assert "no employers listed yet" not in html


def test_another_employer_is_refused_by_the_server(client, agency):
    OrganisationLinkFactory(source=agency)
    unlinked = OrganisationFactory()
    html = page(client.post(f"/portal/{agency.id}/jobs/new", data=job_form(unlinked.id)))
    assert "Choose an answer from the list." in html
    assert db.session.scalar(select(Job.id)) is None
    with pytest.raises(services.JobError, match="recruits for"):
        services.save_job(agency, None, fields(unlinked), TEXTS, [])


def test_without_linked_employers_the_form_says_what_to_do(client, agency):
    OrganisationFactory()
    html = page(client.get(f"/portal/{agency.id}/jobs/new"))
    assert "Your agency has no employers listed yet. Ask our team to add" in html
    assert options(html, "employer_id") == ["0"]


def test_a_job_keeps_its_employer_after_the_link_is_removed(client, agency):
    job = JobFactory(agency=agency, status="draft")  # its employer is not linked
    html = page(client.get(f"/portal/{agency.id}/jobs/{job.id}/edit"))
    assert str(job.employer_id) in options(html, "employer_id")
    saved = services.save_job(agency, None, fields(job.employer), TEXTS, [], job)
    assert saved.employer_id == job.employer_id


# --- 9: who pays -----------------------------------------------------------------------------


def test_who_pays_has_no_default(client, agency):
    html = page(client.get(f"/portal/{agency.id}/jobs/new"))
    payer = re.search(r'<select id="fees-0-paid_by"[^>]*>(.*?)</select>', html).group(1)
    assert payer.startswith('<option value="">') and "selected" not in payer


def test_a_fee_without_a_payer_is_refused_with_a_clear_error(client, agency):
    employer = OrganisationLinkFactory(source=agency).target
    data = job_form(employer.id)
    del data["fees-0-paid_by"]
    html = page(client.post(f"/portal/{agency.id}/jobs/new", data=data))
    assert "Choose who pays this cost." in html
    assert db.session.scalar(select(Job.id)) is None
    data["fees-0-paid_by"] = ""
    html = page(client.post(f"/portal/{agency.id}/jobs/new", data=data))
    assert "Choose who pays this cost." in html
    assert db.session.scalar(select(Job.id)) is None
    data["fees-0-paid_by"] = "employer"
    assert client.post(f"/portal/{agency.id}/jobs/new", data=data).status_code == 302
    assert db.session.scalars(select(Job)).one().employer_pays


# --- 7: provinces narrowed by country, without JavaScript -----------------------------------


def test_the_job_form_lists_the_chosen_countrys_provinces_only(client, agency):
    blank = page(client.get(f"/portal/{agency.id}/jobs/new"))
    assert '<optgroup label="Thailand">' in blank and '<optgroup label="Malaysia">' in blank
    employer = OrganisationLinkFactory(source=agency).target
    sent_back = page(
        client.post(
            f"/portal/{agency.id}/jobs/new",
            data=job_form(employer.id, destination_country="MY", province="Bangkok"),
        )
    )
    provinces = options(sent_back, "province")
    assert "Johor" in provinces and "Bangkok" not in provinces and "<optgroup" not in sent_back
    assert db.session.scalar(select(Job.id)) is None
    job = JobFactory(agency=agency, status="draft", destination_country="MY", province="Johor")
    edit = page(client.get(f"/portal/{agency.id}/jobs/{job.id}/edit"))
    assert "Johor" in options(edit, "province") and "Bangkok" not in options(edit, "province")


def test_the_job_filter_lists_the_chosen_countrys_provinces_only(client):
    JobFactory(destination_country="TH", province="Samut Sakhon")
    JobFactory(destination_country="MY", province="Johor", salary_currency="MYR")
    everything = page(client.get("/jobs/"))
    assert '<optgroup label="Thailand">' in everything
    assert re.search(r'<optgroup label="Malaysia">\s*<option value="Johor">', everything)
    malaysia = page(client.get("/jobs/?country=MY"))
    assert options(malaysia, "province") == ["", "Johor"]
    # A province of another country is not applied (and says so).
    mixed = page(client.get("/jobs/?country=MY&province=Samut+Sakhon"))
    assert "Choose an answer from the list." in mixed
    assert len(re.findall(r'href="/jobs/\d+"', mixed)) == 1
