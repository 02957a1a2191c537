"""The change feed: every write to a searchable record appends a row to ``search_changes``
in the same transaction. Features know nothing of it: a session hook sees their flushes."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, insert, literal, or_, select
from sqlalchemy.orm import Session

from goldendreams.agencies.models import Organisation
from goldendreams.extensions import db
from goldendreams.jobs.models import FeeLine, Job, JobText
from goldendreams.reviews.models import Review
from goldendreams.rights.models import Article, ArticleText
from goldendreams.search.models import SearchChange

#: For each searchable model: the record whose documents change with it.
TRACKED = {
    Organisation: lambda o: ("organisation", o.id),
    Job: lambda j: ("job", j.id),
    JobText: lambda t: ("job", t.job_id),
    FeeLine: lambda f: ("job", f.job_id),
    Article: lambda a: ("article", a.id),
    ArticleText: lambda t: ("article", t.article_id),
    Review: lambda r: ("review", r.id),
}


def _changed_records(session: Session) -> set[tuple[str, int]]:
    records = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        key_of = TRACKED.get(type(obj))
        if key_of is None or (obj in session.dirty and not session.is_modified(obj)):
            continue
        if isinstance(obj, Review) and obj in session.new and obj.status != "published":
            continue  # a new review waits for a moderator: no trace of when it came
        kind, record_id = key_of(obj)
        if record_id is not None:
            records.add((kind, record_id))
    return records


@event.listens_for(Session, "after_flush")
def _log_changes(session: Session, _context) -> None:
    """Runs inside the flush, on the flush's connection: the rows commit (or roll back)
    with the change itself."""
    records = _changed_records(session)
    if records:
        connection = session.connection()
        connection.execute(
            insert(SearchChange),
            [{"kind": kind, "record_id": record_id} for kind, record_id in sorted(records)],
        )
        # Jobs show their agency's and employer's names, reviews their organisation's
        # country: a changed organisation changes their documents too.
        renamed = sorted(rid for kind, rid in records if kind == "organisation")
        if renamed:
            for kind, query in (
                ("job", select(Job.id).where(
                    or_(Job.agency_id.in_(renamed), Job.employer_id.in_(renamed)))),
                ("review", select(Review.id).where(Review.organisation_id.in_(renamed))),
            ):  # fmt: skip
                connection.execute(
                    insert(SearchChange).from_select(
                        ["kind", "record_id"],
                        select(literal(kind), query.subquery().c.id),
                    )
                )


def pending(last_change_id: int, gaps, limit: int) -> list[SearchChange]:
    """Changes after ``last_change_id``, and the missed ones listed in ``gaps``, by id."""
    condition = SearchChange.id > last_change_id
    if gaps:
        condition = or_(condition, SearchChange.id.in_(sorted(int(g) for g in gaps)))
    return list(
        db.session.execute(
            select(SearchChange.id, SearchChange.kind, SearchChange.record_id)
            .where(condition)
            .order_by(SearchChange.id)
            .limit(limit)
        )
    )


def newest_change_id() -> int:
    return db.session.scalar(select(db.func.max(SearchChange.id))) or 0
