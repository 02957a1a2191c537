"""What one search may cost: the term limit, the common-word rule, the time limit and the
per-reader limit (search/bounds.py, the backends, the search view)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from whoosh.collectors import ScoredCollector

from goldendreams.extensions import db
from goldendreams.search import bounds, indexer
from goldendreams.search.analyzer import tokens
from goldendreams.search.backends import backend_for
from tests.conftest import make_config, translated
from tests.factories import OrganisationFactory

#: Twelve distinct words no organisation below is named after.
FILLER = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima"


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_long_query_is_cut_to_the_term_limit(app, client):
    zebra = f"/organisations/{OrganisationFactory(name='Zebra Crossing Co').id}"
    crafted = f"{FILLER} zebra"  # thirteen distinct words: "zebra" is past the eighth
    plan = bounds.plan(backend_for(app), tokens(crafted))
    assert plan.cut and len(plan.tokens) == app.config["SEARCH_MAX_TERMS"] == 8
    assert "zebra" not in plan.tokens
    response = client.get("/search", query_string={"q": crafted})
    assert "Only the first 8 words were searched." in page(response)
    assert zebra not in page(response)  # the any-word search had only the eight
    assert zebra in page(client.get("/search", query_string={"q": "zebra"}))


def test_repeated_words_count_once(app):
    plan = bounds.plan(backend_for(app), tokens("pay " * 60))
    assert plan.tokens == tokens("pay") and not plan.cut


@pytest.fixture
def common_floor(monkeypatch):
    # A test index is small: let "common" start at 10 documents instead of 1,000.
    monkeypatch.setattr(bounds, "COMMON_FLOOR", 10)


def test_words_in_most_documents_are_left_out_while_rarer_ones_remain(app, client, common_floor):
    for number in range(30):
        OrganisationFactory(name=f"Golden Rice Mill {number}")
    lotus = OrganisationFactory(name="Golden Lotus Rice")
    backend = backend_for(app)
    indexer.catch_up(backend)
    plan = bounds.plan(backend, tokens("golden rice lotus"))
    assert plan.tokens == ["lotu"] and plan.common  # Porter's stem of "lotus"
    response = page(client.get("/search", query_string={"q": "golden rice lotus"}))
    assert "Very common words were left out." in response
    assert f"/organisations/{lotus.id}" in response


def test_when_every_word_is_common_only_the_rarest_are_searched(app, common_floor):
    for number in range(30):
        OrganisationFactory(name=f"Golden Rice Mill {number}")
    for number in range(12):
        OrganisationFactory(name=f"Golden Rice Star {number}")
    backend = backend_for(app)
    indexer.catch_up(backend)
    plan = bounds.plan(backend, tokens("golden rice mill star"))
    assert plan.common and plan.tokens == ["mill", "star"]


def test_a_small_site_leaves_no_word_out(app):
    for number in range(30):
        OrganisationFactory(name=f"Golden Rice Mill {number}")
    backend = backend_for(app)
    indexer.catch_up(backend)
    plan = bounds.plan(backend, tokens("golden rice mill"))
    assert plan.tokens == ["golden", "rice", "mill"] and not plan.common


def _slow_collecting(monkeypatch, seconds: float) -> None:
    """Every hit takes ``seconds`` to collect: a search that would run long."""
    collect = ScoredCollector.collect

    def slow(self, sub_docnum):
        time.sleep(seconds)
        return collect(self, sub_docnum)

    monkeypatch.setattr(ScoredCollector, "collect", slow)


@pytest.mark.parametrize("kind", [None, "organisation"])  # a filter walks the hits itself
def test_a_whoosh_search_stops_at_its_time_limit_with_the_hits_found_so_far(app, monkeypatch, kind):
    if app.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("the Whoosh backend's collector")
    for number in range(30):
        OrganisationFactory(name=f"Rubber Estate {number}")
    backend = backend_for(app)
    indexer.catch_up(backend)
    _slow_collecting(monkeypatch, 0.02)
    backend.time_limit = 0.1
    began = time.perf_counter()
    hits = indexer.search(backend, tokens("rubber"), kind=kind)
    assert time.perf_counter() - began < 0.4  # 30 hits would take 0.6 s
    assert 0 < len(hits) < 30


def test_a_postgres_search_is_cancelled_at_its_time_limit(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's statement timeout")
    from goldendreams.search.backends.postgres import PostgresBackend

    backend = PostgresBackend(time_limit=0.1)

    def slow(*_args):
        db.session.execute(text("SELECT pg_sleep(2)"))
        return []

    monkeypatch.setattr(backend, "_search", slow)
    began = time.perf_counter()
    assert backend.search(["rubber"]) == []
    assert time.perf_counter() - began < 1.5
    # The request's transaction goes on, without the search's timeout.
    assert db.session.scalar(text("SELECT current_setting('statement_timeout')")) == "0"
    assert db.session.scalar(text("SELECT 1 FROM pg_sleep(0.15)")) == 1


@pytest.fixture
def app_config(database_url):
    return make_config(database_url, SEARCH_RATE_LIMIT="3 per minute")


def test_searches_per_reader_are_limited_and_the_page_is_translated(client):
    for _ in range(5):  # the empty search page is not a search
        assert client.get("/search").status_code == 200
    codes = [client.get("/search", query_string={"q": f"rice {n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    client.set_cookie("gd_lang", "th")
    refused = client.get("/search", query_string={"q": "rice"})
    assert refused.status_code == 429
    assert translated("th", "Too many tries") in page(refused)


def test_postgres_estimates_how_common_words_are_from_a_sample(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's sample of the documents")
    from goldendreams.search.backends import postgres

    for number in range(40):
        OrganisationFactory(name=f"Golden Rice Mill {number}")
    backend = postgres.PostgresBackend()
    indexer.catch_up(backend)
    # A sample (TABLESAMPLE) of nearly all the pages: the query runs as on a large index.
    monkeypatch.setattr(postgres, "SAMPLE", backend.size() - 1)
    counts = backend.frequencies(["golden", "absent"], 1000)
    assert counts == {"golden": backend.size(), "absent": 0}
    assert backend.frequencies(["golden"], 5) == {"golden": 5}
