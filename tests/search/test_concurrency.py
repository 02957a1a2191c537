"""Several processes (as under gunicorn) write and index at once: no update is lost."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.extensions import db
from goldendreams.search import indexer
from goldendreams.search.analyzer import tokens
from goldendreams.search.backends import backend_for

PER_PROCESS = 15


def _writer(config: dict, name: str) -> None:
    """Add organisations one commit at a time, catching up after each (as a request does)."""
    from goldendreams import create_app
    from goldendreams.agencies import services

    app = create_app(config)
    with app.app_context():
        backend = backend_for(app)
        for number in range(PER_PROCESS):
            services.create_organisation(
                None, kind="employer", name=f"{name} Farm {number}", country="TH"
            )
            indexer.catch_up(backend)


def test_two_processes_writing_and_indexing_at_once_lose_nothing(app, app_config, tmp_path):
    config = {**app_config, "SEARCH_INDEX_PATH": str(tmp_path / "index")}
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_writer, args=(config, name)) for name in ("Durian", "Mangosteen")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    # A third process (this one) opens the same index, as a new worker would.
    from goldendreams import create_app

    reader = create_app(config)
    with reader.app_context():
        backend = backend_for(reader)
        indexer.catch_up(backend, wait=True)
        names = {org.id: org.name for org in db.session.scalars(select(Organisation))}
        for fruit in ("durian", "mangosteen"):
            hits = backend.search(tokens(f"{fruit} farm"), "organisation", None, 100)
            found = {names[hit.record_id] for hit in hits if fruit in names[hit.record_id].lower()}
            assert len(found) == PER_PROCESS, fruit
        assert backend.document_count() == 2 * PER_PROCESS
        db.session.remove()
        db.engine.dispose()
