"""Every public page runs a fixed number of SQL statements, however much data there is: no
statement per review, job, link, case, article, conversation or logged call (no N+1). So do
the caseworkers' inbox (their CSO's, and an admin's of every CSO) and a conversation's page,
however many conversations, messages, colleagues, CSOs and saved answers there are."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from goldendreams.cases import taxonomy
from goldendreams.cases.models import IssueCategory
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox.models import Conversation, SavedAnswer
from tests import factories
from tests.conftest import login


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
        # Contacts of past months (the public figures count what happened before today),
        # in other channels and languages each time.
        month_ago = today() - timedelta(days=31 * (number % 14) + 1)
        conversation = factories.ConversationFactory(
            language=("my", "km", "ne")[number % 3], opened_on=month_ago,
            last_activity_on=month_ago, organisation=agency,
        )  # fmt: skip
        factories.MessageFactory(conversation=conversation, sent_on=month_ago)
        factories.CallLogFactory(
            channel=("phone", "line", "viber")[number % 3], language=("th", "lo")[number % 2],
            logged_on=month_ago,
        )  # fmt: skip
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
        # Asking for help: the employers and agencies of the country are suggested.
        "ask": "/ask",
        "ask, a country": "/ask?topic=work&country=TH",
        "ask, an emergency": "/ask?topic=emergency&country=TH",
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


# --- the inbox ---------------------------------------------------------------------------------


def add_conversations(count: int, people: list) -> int:
    """``count`` more conversations in the network CSO's inbox, each with an issue, an
    assignee, a contact, the worker's message, a reply and a note; ``count`` more CSOs (the
    hand-over list, the admins' filter), logged calls and saved answers; ``count`` more
    messages of each kind in one conversation (whose id is returned: ``_talked``), by
    different caseworkers, with personal data found."""
    taxonomy.load()
    passport = db.session.query(IssueCategory).filter_by(code="ILO-07").first()
    for number in range(count):
        item = factories.ConversationFactory(
            assignee=people[number % len(people)], categories=[passport], urgent=True,
            organisation=factories.AgencyFactory(),
        )  # fmt: skip
        factories.ContactFactory(conversation=item)
        factories.MessageFactory(conversation=item)
        factories.MessageFactory(conversation=item, kind="to_worker", author=people[0])
        factories.MessageFactory(conversation=item, kind="note", author=people[-1])
        factories.CsoFactory()
        factories.CallLogFactory(category=passport, logged_by_id=people[number % len(people)].id)
        factories.SavedAnswerFactory(title=f"Answer {number}", language=("my", "en")[number % 2])
    talked = _talked()
    for number in range(count):
        factories.MessageFactory(
            conversation=talked, personal_data=[{"start": 0, "end": 3, "kind": "phone"}]
        )
        factories.MessageFactory(
            conversation=talked, kind="to_worker", author=people[number % len(people)]
        )
        factories.MessageFactory(conversation=talked, kind="note",
                                 author=people[(number + 1) % len(people)])  # fmt: skip
    db.session.commit()
    return talked.id


def _talked():
    """The conversation whose page is counted: tied to a case and to a review, with a
    contact."""
    found = db.session.query(Conversation).filter_by(organisation_name="Counted").first()
    if found is None:
        case = factories.CaseFactory(source="message")
        found = factories.ConversationFactory(
            organisation_name="Counted", case_id=case.id,
            review_id=factories.ReviewFactory().id,
        )  # fmt: skip
        factories.ContactFactory(conversation=found)
    return found


def test_the_inbox_runs_no_statement_per_conversation_or_message(app, client):
    """A caseworker's inbox (filtered or not), an admin's inbox of every CSO, the contact
    log, the saved answers and a conversation's page: the same statements for 3 and for 15
    of everything."""
    me = factories.UserFactory(role="caseworker")
    people = [
        me,
        factories.UserFactory(role="caseworker"),
        factories.UserFactory(role="caseworker"),
    ]
    admin = app.test_client()
    login(admin, factories.UserFactory(role=Role.ADMIN.value))
    login(client, me)
    talked = add_conversations(3, people)
    answer = db.session.query(SavedAnswer).filter_by(language="my").first().id
    pages = {
        client: ["/inbox/", "/inbox/?issue=ILO-07&urgent=y&assignee=me&language=my",
                 f"/inbox/{talked}", f"/inbox/{talked}?answer={answer}", "/inbox/answers/",
                 "/inbox/calls/"],
        admin: ["/inbox/", "/inbox/?state=new&urgent=y", f"/inbox/{talked}", "/inbox/answers/",
                "/inbox/calls/"],
    }  # fmt: skip
    for who, urls in pages.items():
        for url in urls:
            who.get(url)  # warm
    few = {(who is admin, url): statements(who, url) for who, urls in pages.items() for url in urls}
    add_conversations(12, people)
    many = {
        (who is admin, url): statements(who, url) for who, urls in pages.items() for url in urls
    }
    assert many == few, (few, many)
    assert max(few.values()) <= 25, few
