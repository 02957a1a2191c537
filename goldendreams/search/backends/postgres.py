"""PostgreSQL full text for several app servers: one shared index in the database.

The analyzer's tokens go in a ``tsvector`` as they are (with positions; title tokens
weighted A), so PostgreSQL's own parser, which does not know these scripts, never splits
them again. The state row is locked (``FOR UPDATE SKIP LOCKED``) while a server applies
the log, and documents and state commit in one transaction.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import String, bindparam, cast, delete, func, insert, literal, select, tuple_
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from goldendreams.extensions import db
from goldendreams.search.backends import Hit, State, Update
from goldendreams.search.models import SearchDocument, SearchState

#: PostgreSQL keeps positions up to this; later words share it.
MAX_POSITION = 16383
#: At most this many matching documents are ranked (see ``search``).
RANK_CANDIDATES = 2000
#: Seconds the document count and each word's count are reused.
COUNTS_SECONDS = 300
#: Words whose counts are kept per process (each a few dozen bytes).
MAX_COUNTED = 10_000
#: Documents read to estimate how common the words of a query are.
SAMPLE = 2000

log = logging.getLogger(__name__)


def _quote(token: str) -> str:
    """A lexeme in tsvector/tsquery input syntax: taken as it is, never parsed again."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(title_tokens: list[str], body_tokens: list[str]) -> str:
    """tsvector input: each token with its positions, title tokens weighted A."""
    weights = ["A"] * len(title_tokens) + [""] * len(body_tokens)
    return " ".join(
        f"{_quote(token)}:{min(position, MAX_POSITION)}{weight}"
        for position, (token, weight) in enumerate(
            zip(title_tokens + body_tokens, weights, strict=True), start=1
        )
    )


def _tsquery(tokens: list[str], match_all: bool = True):
    return cast(literal(tsquery(tokens, match_all), String), TSQUERY)


def tsquery(tokens: list[str], match_all: bool) -> str:
    """tsquery input matching all (or any) of the tokens."""
    return (" & " if match_all else " | ").join(_quote(token) for token in sorted(set(tokens)))


class PostgresBackend:
    name = "postgres"

    def __init__(self, time_limit: float = 0.1):
        #: Seconds a search statement may run; then it is cancelled and finds nothing.
        self.time_limit = time_limit
        self._counts: dict[str, tuple[float, int]] = {}
        self._counts_lock = threading.Lock()

    def update(self, step, wait: bool = False) -> bool:
        with db.engine.begin() as connection:
            connection.execute(
                pg_insert(SearchState)
                .values(name=self.name, last_change_id=0, gaps={})
                .on_conflict_do_nothing()
            )
            locked = select(SearchState.last_change_id, SearchState.gaps).where(
                SearchState.name == self.name
            )
            row = connection.execute(
                locked.with_for_update() if wait else locked.with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return False  # another server is applying the log right now
            update = step(State.from_json({"last_change_id": row[0], "gaps": row[1]}))
            if update is None:
                return True
            if update.records:
                connection.execute(
                    delete(SearchDocument).where(
                        tuple_(SearchDocument.kind, SearchDocument.record_id).in_(update.records)
                    )
                )
            if update.documents:
                connection.execute(
                    insert(SearchDocument).values(tokens=cast(bindparam("vector"), TSVECTOR)),
                    [
                        {
                            "doc_id": document.doc_id,
                            "kind": document.kind,
                            "record_id": document.record_id,
                            "locale": document.locale,
                            "countries": "," + ",".join(document.countries) + ",",
                            "vector": vector(document.title_tokens(), document.body_tokens()),
                        }
                        for document in update.documents
                    ],
                )
            state = update.state.to_json()
            connection.execute(
                SearchState.__table__.update()
                .where(SearchState.name == self.name)
                .values(last_change_id=state["last_change_id"], gaps=state["gaps"])
            )
        return True

    def load(self, batches, state: State) -> None:
        """Fill an empty index, batch by batch."""
        for batch in batches:
            records = sorted({(document.kind, document.record_id) for document in batch})
            self.update(lambda current, b=batch, r=records: Update(b, r, current), wait=True)
        self.update(lambda current: Update([], [], state), wait=True)

    def state(self) -> State:
        """Where the index stands (without taking the lock)."""
        row = db.session.execute(
            select(SearchState.last_change_id, SearchState.gaps).where(
                SearchState.name == self.name
            )
        ).first()
        return State.from_json({"last_change_id": row[0], "gaps": row[1]} if row else None)

    def _counted(self, key: str, count) -> int:
        """``count()``, reused for COUNTS_SECONDS: counting in a large table is not free."""
        now = time.monotonic()
        with self._counts_lock:
            found = self._counts.get(key)
        if found and now - found[0] < COUNTS_SECONDS:
            return found[1]
        value = count()
        with self._counts_lock:
            if len(self._counts) >= MAX_COUNTED:
                self._counts.clear()
            self._counts[key] = (now, value)
        return value

    def size(self) -> int:
        everything = select(func.count()).select_from(SearchDocument)
        return self._counted("\0documents", lambda: db.session.scalar(everything) or 0)

    def frequencies(self, tokens: list[str], cap: int) -> dict[str, int]:
        """About how many documents hold each token (at most ``cap``): counted in one pass
        over a sample of about SAMPLE documents, scaled up (every document when there are
        fewer). Counting a common word's matches exactly cost more than the search."""
        now, total = time.monotonic(), self.size()
        with self._counts_lock:
            known = {
                token: found[1]
                for token in tokens
                if (found := self._counts.get(token)) and now - found[0] < COUNTS_SECONDS
            }
        missing = [token for token in tokens if token not in known]
        if missing:
            table = SearchDocument.__table__
            if total > SAMPLE:  # pages picked at random, the same ones every time
                table = table.tablesample(func.system(100.0 * SAMPLE / total), seed=literal(1))
            matches = [
                func.count().filter(table.c.tokens.op("@@")(_tsquery([token]))) for token in missing
            ]
            seen, *counts = db.session.execute(
                select(func.count(), *matches).select_from(table)
            ).one()
            scale = total / seen if seen else 0.0
            with self._counts_lock:
                if len(self._counts) + len(missing) > MAX_COUNTED:
                    self._counts.clear()
                for token, count in zip(missing, counts, strict=True):
                    known[token] = round(count * scale)
                    self._counts[token] = (now, known[token])
        return {token: min(cap, known[token]) for token in tokens}

    def search(
        self, tokens, kind=None, country=None, limit=200, match_all=True, time_limit=None
    ) -> list[Hit]:
        milliseconds = int(1000 * (self.time_limit if time_limit is None else time_limit))
        if not tokens or milliseconds <= 0:  # 0 would mean no limit at all
            return []
        # In a savepoint: a cancelled statement then spoils neither the request's
        # transaction nor leaves the timeout on its later statements.
        savepoint = db.session.begin_nested()
        try:
            db.session.execute(
                select(func.set_config("statement_timeout", str(milliseconds), True))
            )
            hits = self._search(tokens, kind, country, limit, match_all)
        except OperationalError as error:
            savepoint.rollback()
            if getattr(error.orig, "sqlstate", None) != "57014":  # query_canceled
                raise
            log.warning("search: time limit reached, %d terms", len(set(tokens)))
            return []
        savepoint.rollback()  # undoes the timeout; the search wrote nothing
        return hits

    def _search(self, tokens, kind, country, limit, match_all) -> list[Hit]:
        query = _tsquery(tokens, match_all)
        matching = select(SearchDocument).where(SearchDocument.tokens.op("@@")(query))
        if kind:
            matching = matching.where(SearchDocument.kind == kind)
        if country:
            matching = matching.where(SearchDocument.countries.contains(f",{country},"))
        # Ranking reads every match's tokens: for words found in tens of thousands of
        # documents, rank a bounded set of candidates (found through the GIN index).
        candidates = matching.limit(RANK_CANDIDATES).subquery()
        rank = func.ts_rank(candidates.c.tokens, query)
        statement = (
            select(candidates.c.kind, candidates.c.record_id, candidates.c.locale, rank)
            .order_by(rank.desc(), candidates.c.doc_id)
            .limit(limit)
        )
        return [Hit(*row) for row in db.session.execute(statement)]

    def clear(self) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(SearchDocument))
            connection.execute(delete(SearchState).where(SearchState.name == self.name))

    def document_count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(SearchDocument)) or 0
