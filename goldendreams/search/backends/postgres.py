"""PostgreSQL full text for several app servers: one shared index in the database.

The analyzer's tokens go in a ``tsvector`` as they are (with positions; title tokens
weighted A), so PostgreSQL's own parser, which does not know these scripts, never splits
them again. The state row is locked (``FOR UPDATE SKIP LOCKED``) while a server applies
the log, and documents and state commit in one transaction.
"""

from __future__ import annotations

from sqlalchemy import String, bindparam, cast, delete, func, insert, literal, select, tuple_
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert

from goldendreams.extensions import db
from goldendreams.search.backends import Hit, State, Update
from goldendreams.search.models import SearchDocument, SearchState

#: PostgreSQL keeps positions up to this; later words share it.
MAX_POSITION = 16383
#: At most this many matching documents are ranked (see ``search``).
RANK_CANDIDATES = 2000


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


def tsquery(tokens: list[str], match_all: bool) -> str:
    """tsquery input matching all (or any) of the tokens."""
    return (" & " if match_all else " | ").join(_quote(token) for token in sorted(set(tokens)))


class PostgresBackend:
    name = "postgres"

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

    def search(self, tokens, kind=None, country=None, limit=200, match_all=True) -> list[Hit]:
        if not tokens:
            return []
        query = cast(literal(tsquery(tokens, match_all), String), TSQUERY)
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
