"""Index backends behind one interface: Whoosh files (one machine) or PostgreSQL full text.

A backend keeps documents and, in the same atomic step, how far it has applied the change
log (its ``State``). ``update(step)`` runs ``step(state)`` under the backend's writer lock
and stores the documents and the new state it returns together, or skips when another
process holds the lock (that process is catching up already). ``search`` matches documents
with every token (``match_all``) or with any, within the backend's time limit;
``size`` and ``frequencies`` tell how common words are (search/bounds.py); ``load`` fills
an empty index in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from flask import Flask, current_app

#: Missed change ids (a transaction open while the log was read) are retried this long.
GAP_SECONDS = 300
MAX_GAPS = 10_000


@dataclass
class State:
    last_change_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)

    def advance(self, seen: list[int], now: float) -> State:
        """The state after applying the changes ``seen``."""
        seen_set = set(seen)
        last = max([self.last_change_id, *seen_set])
        gaps = {
            change_id: since
            for change_id, since in self.gaps.items()
            if change_id not in seen_set and now - since < GAP_SECONDS
        }
        # Ids skipped in this batch; beyond MAX_GAPS of them only the newest are kept.
        for change_id in range(max(self.last_change_id + 1, last - MAX_GAPS), last):
            if change_id not in seen_set:
                gaps[change_id] = now
        return State(last, dict(sorted(gaps.items())[-MAX_GAPS:]))

    def to_json(self) -> dict:
        return {
            "last_change_id": self.last_change_id,
            "gaps": {str(k): v for k, v in self.gaps.items()},
        }

    @classmethod
    def from_json(cls, data: dict | None) -> State:
        data = data or {}
        gaps = {int(k): float(v) for k, v in (data.get("gaps") or {}).items()}
        return cls(int(data.get("last_change_id") or 0), gaps)


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    locale: str | None
    score: float


@dataclass(frozen=True)
class Update:
    """What one step writes: documents to (re)store, records whose documents go first."""

    documents: list
    records: list[tuple[str, int]]
    state: State


class Backend(Protocol):
    name: str
    #: Seconds a search may take (``search``'s ``time_limit``, when not given).
    time_limit: float

    def update(self, step, wait: bool = False) -> bool: ...

    def load(self, batches, state: State) -> None: ...

    def state(self) -> State: ...

    def search(
        self,
        tokens: list[str],
        kind: str | None,
        country: str | None,
        limit: int,
        match_all: bool = True,
        time_limit: float | None = None,
    ) -> list[Hit]: ...

    def size(self) -> int: ...

    def frequencies(self, tokens: list[str], cap: int) -> dict[str, int]: ...

    def clear(self) -> None: ...

    def document_count(self) -> int: ...


def backend_for(app: Flask | None = None) -> Backend:
    """The app's index backend, made on first use (``SEARCH_BACKEND``: whoosh or postgres)."""
    app = app or current_app
    backend = app.extensions.get("goldendreams_search")
    if backend is None:
        if app.config["SEARCH_BACKEND"] == "postgres":
            from goldendreams.search.backends.postgres import PostgresBackend

            backend = PostgresBackend(time_limit=float(app.config["SEARCH_TIME_LIMIT"]))
        else:
            from goldendreams.search.backends.whoosh import WhooshBackend

            path = app.config["SEARCH_INDEX_PATH"]
            backend = WhooshBackend(
                None if path == ":memory:" else path,
                time_limit=float(app.config["SEARCH_TIME_LIMIT"]),
            )
        app.extensions["goldendreams_search"] = backend
    return backend
