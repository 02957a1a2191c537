"""CSOs (NGOs and trade unions) in the directory: what they cover, the staff form, /partners,
the help page, and the routes that refuse them (reviews, claims, jobs)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from goldendreams.agencies import queries, services
from goldendreams.agencies.models import Organisation
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs import services as job_services
from goldendreams.reviews import services as review_services
from goldendreams.search.models import SearchChange
from tests.factories import (
    AgencyFactory,
    CsoFactory,
    HotlineFactory,
    OrganisationFactory,
    job_fields,
)


def text(response) -> str:
    return response.get_data(as_text=True)


COVERAGE = {
    "countries_covered": ["MM", "TH"],
    "provinces_covered": [" Tak ", "Yangon", "", "Tak"],
    "languages": ["my", "ms"],
    "services": ["hotline", "shelter"],
}


def cso_fields(**overrides) -> dict:
    fields = {"kind": "ngo", "name": "Mae Sot Workers' Aid", "country": "TH", **COVERAGE}
    fields.update(overrides)
    return fields


# --- the service --------------------------------------------------------------------------


def test_a_cso_is_created_with_its_coverage_audited_and_fed_to_search(app):
    org = services.create_organisation(None, **cso_fields())
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert org.is_cso and org.kind_label == "NGO"
    assert org.countries_covered == ["MM", "TH"]
    assert org.provinces_covered == ["Tak", "Yangon"]  # trimmed, blanks and repeats gone
    assert org.languages == ["my", "ms"] and org.services == ["hotline", "shelter"]
    assert org.service_labels == ["Hotline", "Shelter"]
    entry = db.session.scalars(select(AuditLog).filter_by(action="organisation.create")).one()
    assert entry.target_id == org.id
    assert db.session.scalars(
        select(SearchChange).filter_by(kind="organisation", record_id=org.id)
    ).first()


def test_a_union_can_be_changed_and_the_fields_changed_are_audited(app):
    union = services.create_organisation(None, **cso_fields(kind="union", country="MY"))
    changed = cso_fields(kind="union", country="MY", services=["union_representation"])
    services.update_organisation(union, None, **changed)
    entry = db.session.scalars(select(AuditLog).filter_by(action="organisation.update")).one()
    assert entry.detail["fields"] == ["services"]
    assert union.kind_label == "Trade union"


@pytest.mark.parametrize(
    "change",
    [
        {"countries_covered": ["TH", "US"]},
        {"languages": ["fr"]},
        {"services": ["loans"]},
        {"provinces_covered": ["x" * 101]},
        {"provinces_covered": [f"Province {n}" for n in range(51)]},
        {"services": "hotline"},  # a string is no list
        {"languages": [None]},
    ],
)
def test_coverage_outside_the_lists_is_refused(app, change):
    with pytest.raises(services.DirectoryError):
        services.create_organisation(None, **cso_fields(**change))
    assert db.session.scalar(select(Organisation.id)) is None


def test_other_kinds_cover_nothing(app):
    employer = services.create_organisation(None, **cso_fields(kind="employer"))
    assert (employer.countries_covered, employer.provinces_covered) == ([], [])
    assert (employer.languages, employer.services) == ([], [])
    # And a CSO made an employer loses its coverage.
    ngo = services.create_organisation(None, **cso_fields(name="Becomes a company"))
    services.update_organisation(ngo, None, **cso_fields(name="Becomes a company", kind="employer"))
    assert ngo.services == [] and not ngo.is_cso


def test_a_cso_covers_its_own_country_and_the_ones_listed(app):
    ngo = CsoFactory(country="TH", countries_covered=["MM"])
    assert ngo.covers("TH") and ngo.covers("MM") and not ngo.covers("MY")


def test_csos_are_not_linked(app):
    ngo, agency = CsoFactory(), AgencyFactory()
    with pytest.raises(services.DirectoryError):
        services.add_link(ngo, agency, None)
    assert queries.link_candidates(ngo) == []
    assert ngo not in queries.link_candidates(OrganisationFactory())


# --- reviews, claims and jobs refuse CSOs ---------------------------------------------------


@pytest.mark.parametrize("kind", ["ngo", "union"])
def test_csos_are_not_reviewed_or_claimed(client, kind):
    cso = CsoFactory(kind=kind)
    assert not review_services.reviewable(cso)
    for path in ("review", "reviews", "claim"):
        assert client.get(f"/organisations/{cso.id}/{path}").status_code == 404
    assert client.post(f"/organisations/{cso.id}/review", data={}).status_code == 404
    assert client.post(f"/organisations/{cso.id}/claim", data={}).status_code == 404
    # Nor can someone ask for a new CSO to be added through a claim.
    page = text(client.get("/organisations/claim-new"))
    assert 'value="ngo"' not in page and 'value="union"' not in page
    response = client.post(
        "/organisations/claim-new",
        data={"name": "A", "email": "a@example.org", "job_title": "Director", "locale": "en",
              "org_name": "New NGO", "org_kind": kind, "org_country": "TH"},
    )  # fmt: skip
    assert "Choose what kind of organisation this is." in text(response)


def test_csos_take_no_job(app):
    cso, agency = CsoFactory(), AgencyFactory()
    texts = {"en": ("Helper", "Helping workers.")}
    with pytest.raises(job_services.JobError):
        job_services.save_job(cso, None, job_fields(employer_id=None), texts, [])
    # An agency cannot name a CSO as the employer of a job either.
    with pytest.raises(job_services.JobError):
        job_services.save_job(agency, None, job_fields(employer_id=cso.id), texts, [])


def test_the_public_directory_leaves_csos_to_the_partners_page(client):
    CsoFactory(name="Network NGO", province="Mae Sot district")
    OrganisationFactory(name="Listed Employer")
    page = text(client.get("/directory/"))
    assert "Listed Employer" in page and "Network NGO" not in page
    assert 'value="ngo"' not in page and "Mae Sot district" not in page
    response = client.get("/directory/?kind=ngo")
    assert response.status_code == 200 and "Network NGO" not in text(response)


# --- the staff form -------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "kind": "ngo",
        "name": "Border Workers' Aid",
        "name_local": "",
        "country": "TH",
        "province": "Tak",
        "sector": "",
        "licence_status": "",
        "countries_covered": ["TH", "MM"],
        "provinces_text": "Tak\n  Kayin \n\nYangon",
        "languages": ["my", "th"],
        "services": ["hotline", "case_support"],
        "contact_phone": "+66 55 111 222",
        "contact_email": "help@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_and_edits_a_cso(client, login_as):
    login_as(Role.ADMIN)
    page = text(client.get("/staff/organisations/new"))
    assert 'value="ngo"' in page and 'value="union"' in page and 'value="legal_aid"' in page
    response = client.post("/staff/organisations/new", data=form_data())
    assert response.status_code == 302
    org = db.session.scalars(select(Organisation)).one()
    assert org.countries_covered == ["TH", "MM"]
    assert org.provinces_covered == ["Tak", "Kayin", "Yangon"]
    assert org.services == ["hotline", "case_support"]
    page = text(client.get(f"/staff/organisations/{org.id}"))
    assert "Tak\nKayin\nYangon</textarea>" in page
    assert 'id="links"' not in page  # CSOs have no links
    response = client.post(
        f"/staff/organisations/{org.id}",
        data=form_data(kind="union", services=["union_representation"], provinces_text=""),
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert (org.kind, org.services, org.provinces_covered) == (
        "union", ["union_representation"], []
    )  # fmt: skip
    # Staff find CSOs in their list (the public directory leaves them out).
    assert "Border Workers&#39; Aid" in text(client.get("/staff/organisations/?kind=union"))


@pytest.mark.parametrize(
    "bad",
    [
        {"countries_covered": ["TH", "FR"]},
        {"languages": ["de"]},
        {"services": ["loans"]},
        {"provinces_text": "x" * 101},
        {"provinces_text": "\n".join(f"P{n}" for n in range(51))},
    ],
)
def test_bad_coverage_is_refused_on_the_form(client, login_as, bad):
    login_as(Role.MODERATOR)
    response = client.post("/staff/organisations/new", data=form_data(**bad))
    assert response.status_code == 200
    page = text(response)
    assert 'class="error"' in page
    assert 'value="Border Workers&#39; Aid"' in page  # nothing typed is lost
    assert db.session.scalar(select(Organisation.id)) is None


# --- /partners and the help page ------------------------------------------------------------


def test_partners_lists_the_csos_only_with_what_they_cover(client):
    CsoFactory(name="Yangon Jobseekers' Help", country="MM", countries_covered=[],
               provinces_covered=["Yangon"], languages=["my"], services=["outreach"])  # fmt: skip
    CsoFactory(name="Klang Union", kind="union", country="MY", countries_covered=["MY"],
               languages=["ms", "ne"], services=["union_representation"], is_demo=True)  # fmt: skip
    OrganisationFactory(name="Some Employer")
    response = client.get("/partners")
    assert response.status_code == 200
    page = text(response)
    assert "Yangon Jobseekers&#39; Help" in page and "Klang Union" in page
    assert "Some Employer" not in page
    assert "Trade union" in page and "Union representation" in page and "Outreach" in page
    assert "Malay" in page and "Nepali" in page and "Myanmar (Burma)" in page
    assert 'class="badge demo"' in page
    # Filtered by a country: those based there or covering it.
    page = text(client.get("/partners?country=MY"))
    assert "Klang Union" in page and "Yangon Jobseekers" not in page
    page = text(client.get("/partners?country=KH"))
    assert "No organisation of our network covers this country yet." in page


@pytest.mark.parametrize("value", ["XX", "<script>", "T\x00H", "th"])
def test_partners_shows_an_error_for_a_bad_country_and_keeps_the_list(client, value):
    CsoFactory(name="Still Listed NGO")
    response = client.get("/partners", query_string={"country": value})
    assert response.status_code == 200
    page = text(response)
    assert 'class="error"' in page and "Still Listed NGO" in page
    assert "<script>" not in page


def test_partners_is_linked_from_every_page(client):
    assert 'href="/partners"' in text(client.get("/"))


def test_the_help_page_shows_the_csos_of_the_country_chosen(client):
    HotlineFactory(country="MY")
    CsoFactory(name="Thai Border NGO", country="TH", countries_covered=["MM"])
    CsoFactory(name="Malaysian Union", kind="union", country="MY", countries_covered=[])
    page = text(client.get("/help/?country=MM"))
    assert "Thai Border NGO" in page and "Malaysian Union" not in page
    assert 'href="/partners?country=MM"' in page
    # The choice is remembered: the page without an argument shows the same country.
    page = text(client.get("/help/?country=MY"))
    assert "Malaysian Union" in page and "Thai Border NGO" not in page
    page = text(client.get("/help/"))
    assert "Malaysian Union" in page
    # All countries: the hotlines, and a link to every CSO.
    page = text(client.get("/help/?country=all"))
    assert "Malaysian Union" not in page and 'href="/partners"' in page


def test_a_csos_page_shows_what_it_covers_and_no_review_or_claim(client):
    ngo = CsoFactory(services=["shelter"], provinces_covered=["Ranong"])
    page = text(client.get(f"/organisations/{ngo.id}"))
    assert "Shelter" in page and "Ranong" in page
    assert f"/organisations/{ngo.id}/review" not in page
    assert f"/organisations/{ngo.id}/claim" not in page
