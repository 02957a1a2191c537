"""Keeping an index in step with the database: apply the change log, or rebuild."""

from __future__ import annotations

import time

from goldendreams.extensions import db
from goldendreams.search import bounds, changes, documents
from goldendreams.search.backends import Backend, Hit, State, Update

#: Changes applied per commit of the index.
BATCH = 500


def _apply_pending(state: State) -> Update | None:
    pending = changes.pending(state.last_change_id, state.gaps, BATCH)
    if not pending:
        return None
    records = sorted({(change.kind, change.record_id) for change in pending})
    return Update(
        documents=documents.documents_for(records),
        records=records,
        state=state.advance([change.id for change in pending], time.time()),
    )


def search(backend: Backend, tokens: list[str], kind=None, country=None, limit=500):
    """Documents with every word first; when none has them all, documents with any."""
    return find(backend, tokens, kind, country, limit)[1]


def find(
    backend: Backend, tokens: list[str], kind=None, country=None, limit=500
) -> tuple[bounds.Plan, list[Hit]]:
    """``search``, with the plan that says which of the words were searched."""
    # One time limit for the whole search: the any-word search gets what is left.
    deadline = time.monotonic() + backend.time_limit
    plan = bounds.plan(backend, tokens)
    hits = backend.search(plan.tokens, kind, country, limit, True, deadline - time.monotonic())
    if not hits and len(plan.tokens) > 1:
        left = deadline - time.monotonic()
        hits = backend.search(plan.tokens, kind, country, limit, False, left)
    return plan, hits


def catch_up(backend: Backend, max_batches: int = 20, wait: bool = False) -> bool:
    """Apply the changes this index has not seen. Returns False when another process was
    applying them (it will finish the job) or ``max_batches`` did not suffice."""
    applied: list[bool] = []

    def step(state: State) -> Update | None:
        update = _apply_pending(state)
        applied.append(update is not None)
        return update

    # Most calls find nothing to do: say so without taking the writer lock.
    known = backend.state()
    if not known.gaps and known.last_change_id >= changes.newest_change_id():
        db.session.rollback()
        return True
    for _ in range(max_batches):
        applied.clear()
        try:
            if not backend.update(step, wait=wait):
                return False
        finally:
            db.session.rollback()  # end the read transaction: the next batch sees new commits
        if not applied or not applied[0]:
            return True
    return False


def reindex(backend: Backend) -> int:
    """Rebuild the index from the database; returns how many documents it holds."""
    # Changes up to ``newest`` are in what is read next; later ones are applied as usual.
    newest = changes.newest_change_id()
    backend.clear()
    backend.load(
        (documents.documents_for(records) for records in documents.all_records()), State(newest)
    )
    db.session.rollback()
    catch_up(backend, max_batches=1000, wait=True)
    return backend.document_count()
