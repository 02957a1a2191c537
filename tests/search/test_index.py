"""The index follows the database through the change log, on the configured backend
(Whoosh in memory; PostgreSQL full text when GOLDENDREAMS_TEST_SEARCH_BACKEND=postgres)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, inspect, select

from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.reviews import services as review_services
from goldendreams.rights import services as rights_services
from goldendreams.search import indexer
from goldendreams.search.analyzer import tokens
from goldendreams.search.backends import State, Update, backend_for
from goldendreams.search.documents import Document
from goldendreams.search.models import SearchChange
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticleTextFactory,
    JobFactory,
    JobTextFactory,
    OrganisationFactory,
    ReviewFactory,
)

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))


def found(app, query: str, kind: str | None = None, country: str | None = None):
    backend = backend_for(app)
    indexer.catch_up(backend)
    return [(hit.kind, hit.record_id) for hit in backend.search(tokens(query), kind, country)]


def changes() -> list[tuple[str, int]]:
    return [tuple(row) for row in db.session.execute(
        select(SearchChange.kind, SearchChange.record_id).order_by(SearchChange.id)
    )]  # fmt: skip


def test_every_write_to_a_searchable_record_is_logged_in_its_transaction(app):
    org = OrganisationFactory(name="Golden Prawn Co")
    job = JobFactory(employer=org)
    JobTextFactory(job=job, locale="th", title="คนงานแกะกุ้ง")
    text = ArticleTextFactory()
    assert {("organisation", org.id), ("job", job.id), ("article", text.article_id)} <= set(
        changes()
    )
    before = len(changes())
    org.name = "Golden Prawn Company"
    db.session.rollback()  # a change that never commits leaves no trace
    assert len(changes()) == before
    db.session.delete(text)
    db.session.commit()
    assert changes()[-1] == ("article", text.article_id)


def test_the_change_log_keeps_no_time():
    columns = {column.name for column in inspect(SearchChange).columns}
    assert columns == {"id", "kind", "record_id"}


def test_a_review_is_found_once_published_and_gone_once_withdrawn(app, user_for):
    review = ReviewFactory(title="Passport kept by the broker", body="He kept my passport.")
    assert ("review", review.id) not in found(app, "passport")  # pending: not public
    review_services.publish_review(review, user_for(Role.MODERATOR), keep=set(), hide_also=[])
    assert ("review", review.id) in found(app, "passport")
    review_services.withdraw_review(review)
    assert ("review", review.id) not in found(app, "passport")


def test_only_published_jobs_and_articles_are_indexed(app):
    published = JobFactory()
    JobTextFactory(job=published, title="Durian picker")
    draft = JobFactory(status="draft")
    JobTextFactory(job=draft, title="Durian packer")
    article = ArticleFactory(status="draft")
    ArticleTextFactory(article=article, title="Durian season rights")
    assert found(app, "durian") == [("job", published.id)]
    rights_services.save_article(
        None, article, slug=article.slug, topic="fees", countries=[], status="published"
    )
    assert ("article", article.id) in found(app, "durian")


def test_an_edit_replaces_the_old_words(app):
    org = AgencyFactory(name="Mekong Bridge Recruitment")
    assert found(app, "mekong") == [("organisation", org.id)]
    org.name = "Irrawaddy Bridge Recruitment"
    db.session.commit()
    assert found(app, "mekong") == []
    assert found(app, "irrawaddy") == [("organisation", org.id)]


def test_filters_by_type_and_country(app):
    thai = OrganisationFactory(name="Lotus Seafood", country="TH")
    malaysian = OrganisationFactory(name="Lotus Gloves", country="MY")
    job = JobFactory(destination_country="MY")
    JobTextFactory(job=job, title="Lotus glove factory worker")
    assert set(found(app, "lotus", country="MY")) == {
        ("organisation", malaysian.id),
        ("job", job.id),
    }
    assert found(app, "lotus", kind="organisation", country="TH") == [("organisation", thai.id)]


def test_a_crash_between_commit_and_indexing_loses_nothing(app):
    org = OrganisationFactory(name="Chanthaburi Fruit Co")
    # The process dies before it indexes: a new process (a new index object, same storage
    # for PostgreSQL; a rebuilt one for memory) catches up from the log.
    app.extensions.pop("goldendreams_search", None)
    assert found(app, "chanthaburi") == [("organisation", org.id)]


def test_a_change_committed_late_with_a_lower_id_is_not_missed(app):
    first = OrganisationFactory(name="Early Orchid Ltd")
    backend = backend_for(app)
    indexer.catch_up(backend)
    # Another transaction took id N+1, but commits after N+2 was already applied.
    newest = db.session.scalar(select(func.max(SearchChange.id)))
    late = OrganisationFactory(name="Late Orchid Ltd")
    late_change = db.session.scalar(select(func.max(SearchChange.id)))
    db.session.execute(delete(SearchChange).where(SearchChange.id == late_change))
    db.session.execute(
        insert(SearchChange).values(id=newest + 2, kind="organisation", record_id=first.id)
    )
    db.session.commit()
    indexer.catch_up(backend)  # sees N+2; remembers N+1 as missing
    db.session.execute(
        insert(SearchChange).values(id=newest + 1, kind="organisation", record_id=late.id)
    )
    db.session.commit()
    assert ("organisation", late.id) in found(app, "orchid")


def test_gaps_are_retried_then_forgotten():
    state = State(10).advance([11, 14], now=1000.0)
    assert (state.last_change_id, sorted(state.gaps)) == (14, [12, 13])
    state = state.advance([12], now=1100.0)
    assert sorted(state.gaps) == [13]
    assert state.advance([], now=1000.0 + 301).gaps == {}
    assert State.from_json(state.to_json()) == state


def test_reindex_rebuilds_from_the_database(app):
    orgs = [OrganisationFactory(name=f"Rebuild Co {n}") for n in range(3)]
    ArticleTextFactory(title="Rebuild your savings", locale="en")
    ArticleTextFactory(title="Rebuild your savings", locale="th")
    backend = backend_for(app)
    backend.clear()
    assert indexer.reindex(backend) == 5
    assert {("organisation", org.id) for org in orgs} <= set(found(app, "rebuild"))


def test_the_job_deadline_is_checked_when_results_are_shown(app, client):
    job = JobFactory(deadline=today() + timedelta(days=1))
    JobTextFactory(job=job, title="Rambutan harvest")
    assert ("job", job.id) in found(app, "rambutan")
    job.deadline = today() - timedelta(days=1)  # as if a day had passed: no write needed
    db.session.execute(delete(SearchChange))
    db.session.commit()
    assert "Rambutan" not in client.get("/search?q=rambutan").get_data(as_text=True)


@pytest.mark.parametrize("query", CORPUS["queries"], ids=lambda q: q["why"])
def test_relevance(app, query, corpus_index):
    names = corpus_index
    hits = indexer.search(backend_for(app), tokens(query["q"]), limit=3)
    top = [names[hit.record_id] for hit in hits]
    expected = query["expect"]
    if expected.endswith(":*"):
        assert any(name.startswith(expected[:-1]) for name in top), top
    else:
        assert expected in top, top


@pytest.fixture
def corpus_index(app):
    """The corpus documents, indexed straight into the backend (not through the database)."""
    documents = [
        Document("article", number, doc["locale"], ("TH",), doc["title"], doc["body"])
        for number, doc in enumerate(CORPUS["documents"], start=1)
    ]
    backend_for(app).update(lambda state: Update(documents, [], state), wait=True)
    return {number: doc["id"] for number, doc in enumerate(CORPUS["documents"], start=1)}


def test_the_corpus_is_big_enough():
    assert len(CORPUS["queries"]) >= 30
    assert {doc["locale"] for doc in CORPUS["documents"]} == {"en", "my", "km", "th", "lo", "ne"}


def test_renaming_an_organisation_reindexes_its_jobs(app):
    agency = AgencyFactory(name="Old Lantern Recruitment")
    job = JobFactory(agency=agency)
    JobTextFactory(job=job, title="Packer")
    assert ("job", job.id) in found(app, "lantern")
    agency.name = "New Horizon Recruitment"
    db.session.commit()
    assert ("job", job.id) not in found(app, "lantern")
    assert ("job", job.id) in found(app, "horizon")


def test_a_pending_review_leaves_no_entry_in_the_log(app):
    agency = AgencyFactory()
    before = len(changes())
    ReviewFactory(organisation=agency)
    assert len(changes()) == before
