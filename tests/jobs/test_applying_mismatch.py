"""Applicants are warned before sending when they are not whom the job recruits (they may
still apply), and the agency sees it on its applications list (browser findings 6)."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs.models import Application
from tests.factories import ApplicationFactory, JobFactory


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_form_says_whom_the_job_recruits_before_sending(client):
    job = JobFactory(recruiting_from=["MM", "LA"], languages=["my"])
    html = page(client.get(f"/jobs/{job.id}/apply"))
    assert "This job looks for workers from: Myanmar (Burma), Laos." in html
    assert "Workers should speak: Burmese." in html and "You may still apply." in html
    # Nothing sent yet: the language picked for them is a guess, not theirs.
    assert "Your language is not on this list." not in html


def test_a_mismatch_warns_and_still_lets_them_apply(client):
    job = JobFactory(recruiting_from=["MM"], languages=["my"])
    form = {"name": "Sok", "phone": "012 345 678", "origin_country": "KH", "language": "km"}
    html = page(client.post(f"/jobs/{job.id}/apply", data=form))  # no consent yet
    assert "Your country is not on this list." in html
    assert "Your language is not on this list." in html and "You may still apply." in html
    html = page(client.post(f"/jobs/{job.id}/apply", data={**form, "consent": "y"}))
    assert 'class="code"' in html
    assert db.session.scalars(select(Application)).one().origin_country == "KH"


def test_no_warning_for_a_job_open_to_anyone(client):
    job = JobFactory(recruiting_from=[], languages=[])
    html = page(client.get(f"/jobs/{job.id}/apply"))
    assert "looks for workers from" not in html and "You may still apply." not in html


def test_the_agency_sees_who_differs(client, login_as):
    job = JobFactory(recruiting_from=["MM"], languages=["my"])
    ApplicationFactory(job=job, name="Fits", origin_country="MM", language="my")
    ApplicationFactory(job=job, name="From Nepal", origin_country="NP", language="ne")
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    html = page(client.get(f"/portal/{job.agency_id}/jobs/{job.id}/applications"))
    fits, nepal = html.split("<h2>Fits</h2>")[1].split("<h2>From Nepal</h2>")
    assert "Not from a country this job recruits from" not in fits
    assert "Not from a country this job recruits from" in nepal
    assert "Prefers a language this job does not ask for" in nepal
