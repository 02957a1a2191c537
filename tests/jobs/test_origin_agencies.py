"""Origin agencies: an agency in a country workers come from works with a destination
agency; a job names one of those, and its public page shows the whole chain."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.agencies import queries as agency_queries
from goldendreams.agencies import services as directory
from goldendreams.agencies.models import LinkKind
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs import services
from goldendreams.jobs.models import Job
from tests.factories import (
    AgencyFactory,
    JobFactory,
    OrganisationLinkFactory,
    UserFactory,
    job_fields,
)

TEXTS = {"en": ("Packer", "Packing fish.")}


@pytest.fixture
def chain(app):
    """A Thai agency recruiting for an employer, and a Myanmar agency working with it."""
    destination = AgencyFactory(country="TH", province="Bangkok", name="Thai Placement Zq")
    employer = OrganisationLinkFactory(source=destination).target
    origin = AgencyFactory(country="MM", name="Yangon Origin Zq")
    directory.add_link(destination, origin, None)  # either order: the origin is the source
    return destination, origin, employer


def test_two_agencies_link_as_origin_works_with_destination(chain):
    destination, origin, _employer = chain
    kind, source, target = directory.link_kind_for(destination, origin)
    assert (kind, source, target) == (LinkKind.WORKS_WITH, origin, destination)


def test_two_destination_or_two_origin_agencies_cannot_be_linked(app):
    for country in ("TH", "MM"):
        a, b = AgencyFactory(country=country), AgencyFactory(country=country)
        with pytest.raises(directory.DirectoryError):
            directory.add_link(a, b, None)


def test_a_job_names_an_origin_agency_its_agency_works_with(chain):
    destination, origin, employer = chain
    actor = UserFactory(role="agency_staff", organisation=destination)
    fields = job_fields(employer_id=employer.id, origin_agency_id=origin.id)
    job = services.save_job(destination, actor, fields, TEXTS, [])
    assert job.origin_agency == origin


@pytest.mark.parametrize("which", ["unlinked", "destination", "linked_elsewhere"])
def test_any_other_origin_agency_is_refused(chain, which):
    destination, _origin, employer = chain
    other = {
        "unlinked": lambda: AgencyFactory(country="KH"),
        # A Thai agency is no origin agency, even linked the wrong way round.
        "destination": lambda: (
            OrganisationLinkFactory(
                kind="works_with", source=destination, target=AgencyFactory(country="TH")
            ).target
        ),
        "linked_elsewhere": lambda: (
            OrganisationLinkFactory(
                kind="works_with",
                source=AgencyFactory(country="LA"),
                target=AgencyFactory(country="TH"),
            ).source
        ),
    }[which]()
    fields = job_fields(employer_id=employer.id, origin_agency_id=other.id)
    with pytest.raises(services.JobError, match="origin agency your agency works with"):
        services.save_job(destination, None, fields, TEXTS, [])
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_job_keeps_its_origin_agency_when_the_link_goes(chain):
    destination, origin, employer = chain
    fields = job_fields(employer_id=employer.id, origin_agency_id=origin.id)
    job = services.save_job(destination, None, fields, TEXTS, [])
    for link in agency_queries.links_of(origin):
        directory.remove_link(link, None)
    services.save_job(destination, None, fields, TEXTS, [], job)
    assert job.origin_agency_id == origin.id


def test_the_job_form_offers_only_the_agencys_origin_agencies(client, login_as, chain):
    destination, _origin, _employer = chain
    AgencyFactory(country="NP", name="Kathmandu Unlinked Zq")
    login_as(Role.AGENCY_STAFF, organisation=destination)
    page = client.get(f"/portal/{destination.id}/jobs/new").get_data(as_text=True)
    assert "Yangon Origin Zq" in page and "Kathmandu Unlinked Zq" not in page


def test_the_public_page_shows_the_whole_chain(client, chain):
    destination, origin, employer = chain
    job = JobFactory(agency=destination, employer=employer, origin_agency=origin)
    db.session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    chain_part = page[page.index("<ol") : page.index("</ol>")]
    links = [f'href="/organisations/{org.id}"' for org in (origin, destination, employer)]
    positions = [chain_part.index(link) for link in links]
    assert positions == sorted(positions)


def test_the_staff_link_page_names_the_new_kind(client, login_as, chain):
    destination, _origin, _employer = chain
    login_as(Role.ADMIN)
    page = client.get(f"/staff/organisations/{destination.id}").get_data(as_text=True)
    assert "Works with the origin agency Yangon Origin Zq" in page
