"""The inbox's queries for scripts/bench_explain.py: the statements its pages run, captured
while the read side (goldendreams/inbox/queries.py) builds them for the busiest CSO, so the
plans checked are the pages' own whatever shape the queries take.

    .venv/bin/python scripts/bench_inbox_explain.py postgresql+psycopg://postgres@127.0.0.1:5432/bench

runs them alone (bench_explain.py runs them after the public pages' queries).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def captured(engine, into: list):
    """Every SELECT run on ``engine`` meanwhile, as (statement, parameters)."""
    from sqlalchemy import event

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            into.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield into
    finally:
        event.remove(engine, "before_cursor_execute", note)


def calls() -> dict[str, Callable[[], object]]:
    """What the inbox pages ask the read side, by name (needs an app context)."""
    from sqlalchemy import func, select

    from goldendreams.extensions import db
    from goldendreams.inbox import queries
    from goldendreams.inbox.models import Conversation, conversation_categories

    owner = db.session.scalar(
        select(Conversation.owner_id)
        .group_by(Conversation.owner_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    language = db.session.scalar(
        select(Conversation.language).where(Conversation.owner_id == owner).limit(1)
    )
    category = db.session.scalar(
        select(conversation_categories.c.category_id)
        .group_by(conversation_categories.c.category_id)
        .order_by(func.count())
        .limit(1)
    )
    from goldendreams.cases.models import IssueCategory

    issue = db.session.get(IssueCategory, category).code if category else None
    busiest = db.session.scalar(
        select(Conversation)
        .where(Conversation.owner_id == owner)
        .order_by(Conversation.last_activity_on.desc(), Conversation.id.desc())
        .limit(1)
    )
    first = queries.Filters(owner_id=owner)
    size = 25
    older = (busiest.last_activity_on, busiest.id)
    return {
        "inbox, first page": lambda: queries.page(first, size),
        "inbox, a later page": lambda: queries.page(first, size, older=older),
        "inbox, state and language": lambda: queries.page(
            queries.Filters(owner_id=owner, state="waiting_for_us", language=language), size
        ),
        "inbox, closed, whatsapp": lambda: queries.page(
            queries.Filters(owner_id=owner, state="closed", channel="whatsapp"), size
        ),
        "inbox, rarest issue, sms": lambda: queries.page(
            queries.Filters(owner_id=owner, issue=issue, channel="sms"), size
        ),
        "inbox, urgent, nobody's": lambda: queries.page(
            queries.Filters(owner_id=owner, urgent=True, assignee_id=0), size
        ),
        "inbox, counts per state": lambda: queries.state_counts(owner),
        "inbox, waiting (staff menu)": lambda: queries.waiting_count(owner),
        "inbox, snippets": lambda: queries.snippets(queries.page(first, size).rows),
        "admin's inbox, first page": lambda: queries.page(queries.Filters(), size),
        "admin's inbox, new ones": lambda: queries.page(queries.Filters(state="new"), size),
        "admin's waiting (staff menu)": lambda: queries.waiting_count(None),
        "conversation, thread": lambda: queries.thread(busiest),
    }


def statements() -> list[tuple[str, str, object]]:
    """(name, statement, parameters) of every SELECT the inbox's calls run."""
    from goldendreams.extensions import db

    found = []
    for name, call in calls().items():
        seen: list = []
        with captured(db.engine, seen):
            call()
        db.session.rollback()
        found += [
            (name if len(seen) == 1 else f"{name} ({n})", statement, parameters)
            for n, (statement, parameters) in enumerate(seen, start=1)
        ]
    return found


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].startswith("postgresql"):
        sys.exit(__doc__)
    os.environ["GOLDENDREAMS_DATABASE_URL"] = sys.argv[1]
    os.environ.setdefault("GOLDENDREAMS_SECRET_KEY", "bench-" * 8)
    from goldendreams import create_app
    from goldendreams.extensions import db

    with create_app().app_context():
        for name, statement, parameters in statements():
            plan = db.session.connection().exec_driver_sql(
                "EXPLAIN ANALYZE " + statement, parameters
            )
            lines = [row[0] for row in plan]
            timing = next((line for line in lines if line.startswith("Execution Time")), "")
            print(f"{name:<36} {timing}")


if __name__ == "__main__":
    main()
