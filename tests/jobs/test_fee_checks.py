"""The fee check reads what it found, with money in the reader's format; the Employer Pays
badge follows the fee lines (browser findings 4)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.core.money import format_money
from goldendreams.jobs import services
from tests.factories import AgencyFactory, OrganisationFactory, OrganisationLinkFactory, job_fields

TEXTS = {"en": ("Shrimp peeler", "Peeling shrimp in a clean factory.")}


def linked_agency():
    agency = AgencyFactory(licence_expiry=today() + timedelta(days=365))
    employer = OrganisationFactory()
    OrganisationLinkFactory(source=agency, target=employer)
    return agency, employer


def fields(employer, **overrides) -> dict:
    return job_fields(**{"employer_id": employer.id, **overrides})


def fee(amount, currency="THB", paid_by="worker", kind="passport") -> dict:
    return {"kind": kind, "amount": Decimal(amount), "currency": currency, "paid_by": paid_by}


def submitted(fees):
    agency, employer = linked_agency()
    job = services.save_job(agency, None, fields(employer), TEXTS, fees)
    services.submit_job(job, None)
    return job


def test_money_drops_needless_decimals_in_the_readers_language(app):
    assert format_money(Decimal("45000.00"), "MMK", "en") == "MMK45,000"
    assert format_money(Decimal("1500.00"), "THB", "en") == "THB1,500"
    assert format_money(Decimal("1500.50"), "THB", "en") == "THB1,500.50"
    assert format_money(Decimal("45000.00"), "MMK", "my") == "45,000\xa0K"
    assert format_money(Decimal("1500.00"), "THB", "lo") == "฿1.500"


def test_the_fee_check_says_the_worker_pays_with_formatted_money(client, login_as):
    job = submitted([fee(45000, "MMK")])
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    page = client.get(f"/portal/{job.agency_id}/jobs/{job.id}").get_data(as_text=True)
    assert "The worker pays fees: MMK45,000" in page
    assert "The worker pays no fees" not in page and "(45000.00 MMK)" not in page


def test_moderators_read_the_fee_check_in_their_language(client, login_as):
    job = submitted([fee(45000, "MMK"), fee(500)])
    login_as(Role.MODERATOR)
    client.set_cookie("gd_lang", "my")
    page = client.get(f"/moderation/jobs/{job.id}").get_data(as_text=True)
    assert "45,000\xa0K + 500\xa0฿" in page and "45000.00" not in page


def test_no_fee_lines_is_not_called_no_fees(client, login_as):
    job = submitted([])
    login_as(Role.MODERATOR)
    page = client.get(f"/moderation/jobs/{job.id}").get_data(as_text=True)
    assert "No costs are listed." in page and "The worker pays no fees" not in page


def test_all_fees_paid_by_the_employer_passes_the_check(client, login_as):
    job = submitted([fee(2000, paid_by="employer", kind="visa")])
    login_as(Role.MODERATOR)
    page = client.get(f"/moderation/jobs/{job.id}").get_data(as_text=True)
    assert "The worker pays no fees" in page and "The worker pays fees:" not in page


def test_checks_stored_before_keep_reading_right(client, login_as):
    job = submitted([fee(45000, "MMK")])
    job.checks = [{"code": "worker_fees", "result": "warn", "total": "45000.00 MMK, 500.00 THB"}]
    login_as(Role.MODERATOR)
    page = client.get(f"/moderation/jobs/{job.id}").get_data(as_text=True)
    assert "The worker pays fees: MMK45,000 + THB500" in page


def published(fees):
    job = submitted(fees)
    services.publish_job(job, None)
    return job


def test_a_small_worker_fee_gets_no_employer_pays_badge(client):
    job = published([fee(500), fee(2000, paid_by="employer", kind="visa")])
    assert not job.employer_pays
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Employer Pays" not in page and "You pay:" in page and "THB500" in page
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "Employer Pays" not in listing and "You pay fees" in listing


def test_every_line_paid_by_the_employer_gets_the_badge(client):
    job = published([fee(2000, paid_by="employer", kind="visa"), fee(500, paid_by="employer")])
    assert job.employer_pays
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Employer Pays" in page and "You pay:" not in page
    assert "Employer Pays" in client.get("/jobs/").get_data(as_text=True)
