"""Every public page runs a fixed number of SQL statements, however much data there is: no
statement per review, job, link, case or article (no N+1)."""

import pytest
from sqlalchemy import event

from goldendreams.extensions import db
from tests import factories


@pytest.fixture
def org_pair():
    agency = factories.AgencyFactory(name="Harbour Recruitment", licence_expiry=None)
    employer = factories.OrganisationFactory(name="Harbour Foods")
    db.session.commit()
    return agency, employer


def add_data(agency, employer, count: int) -> dict:
    """``count`` more of everything a public page lists, all tied to the same pages."""
    article = None
    for number in range(count):
        review = factories.PublishedReviewFactory(organisation=agency, title=f"harbour {number}")
        factories.ReplyFactory(review=review, status="published")
        factories.PublishedReviewFactory(organisation=employer, title=f"harbour {number}")
        job = factories.JobFactory(agency=agency, employer=employer)
        factories.JobTextFactory(job=job)
        factories.FeeLineFactory(job=job)
        factories.OrganisationLinkFactory(
            kind="recruits_for", source=factories.AgencyFactory(), target=employer
        )
        case = factories.referred(factories.CaseFactory(organisation=agency))
        factories.CaseEventFactory(case=case, kind="remediation", shared=True, workers_covered=2)
        article = factories.ArticleTextFactory(title=f"harbour rights {number}").article
        factories.ArticleTextFactory(article=article, locale="my")
        factories.HotlineFactory()
        factories.CsoFactory()  # on /partners and the help page with a country
    db.session.commit()
    return {
        "home": "/",
        "directory": "/directory/?country=TH",
        "directory, agencies": "/directory/?kind=agency",
        "agency page": f"/organisations/{agency.id}",
        "employer page": f"/organisations/{employer.id}",
        "agency reviews": f"/organisations/{agency.id}/reviews",
        "jobs": "/jobs/?country=TH",
        "job page": f"/jobs/{job.id}",
        "search": "/search?q=harbour",
        "search, reviews": "/search?q=harbour&type=review",
        "rights": "/rights/",
        "article": f"/rights/{article.slug}",
        "help": "/help/?country=all",
        "help, a country": "/help/?country=TH",
        "partners": "/partners",
        "metrics": "/metrics",
    }


def statements(client, url: str) -> int:
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(counted)


def test_no_public_page_runs_more_statements_for_more_data(client, org_pair):
    agency, employer = org_pair
    pages = add_data(agency, employer, 3)
    for url in pages.values():
        client.get(url)  # warm: the search index catches up on its first search
    few = {name: statements(client, url) for name, url in pages.items()}
    more_pages = add_data(agency, employer, 12)
    for url in more_pages.values():
        client.get(url)
    # The same pages (a newer job and article: same kind of page).
    many = {name: statements(client, url) for name, url in more_pages.items()}
    assert many == few, (few, many)
    assert max(few.values()) <= 25, few
