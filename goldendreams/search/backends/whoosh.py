"""The embedded index: Whoosh files in the instance folder (or in memory, for tests).

One writer at a time (Whoosh's file lock, shared by every process on the machine); readers
never wait. The change-log position is a stored document of the index itself, so it commits
atomically with the documents it describes.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from whoosh import index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.collectors import FilterCollector, TimeLimit, TimeLimitCollector
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError
from whoosh.query import And, Or, Term
from whoosh.writing import CLEAR

from goldendreams.search.backends import Hit, State

log = logging.getLogger(__name__)
STATE_ID = "__state__"
#: The analyzer ran before: ``text`` holds its tokens separated by spaces. One field (the
#: title's tokens twice, so they weigh more) is twice as fast to search as two.
_TOKENS = SpaceSeparatedTokenizer()
SCHEMA = Schema(
    doc_id=ID(unique=True, stored=True),
    record=ID,
    kind=ID(stored=True),
    record_id=STORED,
    locale=STORED,
    countries=KEYWORD(commas=True),
    text=TEXT(analyzer=_TOKENS),
    state=STORED,
)


def _fields(document) -> dict:
    title = document.title_tokens()
    return {
        "doc_id": document.doc_id,
        "record": document.record,
        "kind": document.kind,
        "record_id": document.record_id,
        "locale": document.locale,
        "countries": ",".join(document.countries),
        "text": " ".join(title + title + document.body_tokens()),
    }


_temp_folders: dict[int, str] = {}
_temp_lock = threading.Lock()


def process_temp_folder() -> str:
    """A folder of this process's own for Whoosh's temporary files, removed at exit."""
    with _temp_lock:
        folder = _temp_folders.get(os.getpid())
        if folder is None:
            folder = _temp_folders[os.getpid()] = tempfile.mkdtemp(prefix="goldendreams-whoosh-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder


class ProcessRamStorage(RamStorage):
    """An index in memory whose writers' temporary files go to this process's own folder.
    Whoosh's RamStorage puts them at a fixed name in the system's temporary folder
    ("MAIN.tmp"), so two test runs at once deleted each other's files."""

    def temp_storage(self, name=None):
        return FileStorage(tempfile.mkdtemp(dir=process_temp_folder())).create()


class _TimeLimit(TimeLimitCollector):
    """Whoosh's time limit, checked at every match: a filter around it (type, country)
    walks the matches itself and would never reach the limit's own check."""

    def matches(self):
        for docnum in self.child.matches():
            if self.timedout:
                raise TimeLimit
            yield docnum


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path: str | None, lock_timeout: float = 0.5, time_limit: float = 0.1):
        if path is None:
            storage = ProcessRamStorage()
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            storage = FileStorage(path)
        # Several workers may start at once: one creates the index, the others open it.
        creating = storage.lock("create")
        creating.acquire(blocking=True)
        try:
            if not index.exists(storage):
                storage.create_index(SCHEMA)
        finally:
            creating.release()
        self.index = storage.open_index()
        self.lock_timeout = lock_timeout
        #: Seconds a search may collect hits; then the hits found so far are the answer.
        self.time_limit = time_limit
        self._local = threading.local()

    def _searcher(self):
        """This thread's searcher, refreshed when the index has changed: opening one per
        query costs more than the query itself."""
        current = getattr(self._local, "searcher", None)
        if current is None or not current.up_to_date():
            # A new one, not ``refresh()``: that reuses segment readers and can miss a
            # deletion in a segment it kept.
            if current is not None:
                current.close()
            current = self._local.searcher = self.index.searcher()
        return current

    def _state(self, searcher) -> State:
        stored = searcher.document(doc_id=STATE_ID)
        return State.from_json(json.loads(stored["state"]) if stored else None)

    def state(self) -> State:
        """Where the index stands (without taking the writer lock)."""
        return self._state(self._searcher())

    def update(self, step, wait: bool = False) -> bool:
        """Run ``step(state) -> Update | None`` holding the writer lock; store its documents
        and state in one commit. Returns False when another writer held the lock."""
        try:
            writer = self.index.writer(timeout=30.0 if wait else self.lock_timeout, delay=0.02)
        except LockError:
            return False
        try:
            with writer.searcher() as searcher:
                state = self._state(searcher)
            update = step(state)
            if update is None:
                writer.cancel()
                return True
            for record in update.records:
                writer.delete_by_term("record", f"{record[0]}:{record[1]}")
            for document in update.documents:
                writer.add_document(**_fields(document))
            writer.update_document(
                doc_id=STATE_ID, kind=STATE_ID, state=json.dumps(update.state.to_json())
            )
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return True

    def load(self, batches, state: State) -> None:
        """Fill an empty index in one writer (one segment: the fastest to search)."""
        writer = self.index.writer(timeout=30.0, limitmb=256)
        try:
            for batch in batches:
                for document in batch:
                    writer.add_document(**_fields(document))
            writer.update_document(
                doc_id=STATE_ID, kind=STATE_ID, state=json.dumps(state.to_json())
            )
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)

    def search(
        self, tokens, kind=None, country=None, limit=200, match_all=True, time_limit=None
    ) -> list[Hit]:
        unique = sorted(set(tokens))
        seconds = self.time_limit if time_limit is None else time_limit
        if not unique or seconds <= 0:
            return []
        query = (And if match_all else Or)([Term("text", token) for token in unique])
        # The state document has no text: it never matches.
        conditions = []
        if kind:
            conditions.append(Term("kind", kind))
        if country:
            conditions.append(Term("countries", country))
        searcher = self._searcher()
        collector = _TimeLimit(
            searcher.collector(limit=limit),
            seconds,
            use_alarm=False,  # a signal reaches only the main thread; workers use threads
        )
        if conditions:
            collector = FilterCollector(collector, And(conditions))
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:  # the hits collected so far are the answer
            log.warning("search: time limit reached, %d terms", len(unique))
        results = collector.results()
        return [Hit(hit["kind"], hit["record_id"], hit.get("locale"), hit.score) for hit in results]

    def size(self) -> int:
        """About how many documents the index holds (deleted ones may count)."""
        return self._searcher().doc_count()

    def frequencies(self, tokens: list[str], cap: int) -> dict[str, int]:
        """How many documents hold each token (exact: Whoosh keeps the count)."""
        searcher = self._searcher()
        return {token: min(cap, searcher.doc_frequency("text", token)) for token in tokens}

    def clear(self) -> None:
        """Empty the index (a rebuild follows)."""
        self.index.writer(timeout=30.0).commit(mergetype=CLEAR)

    def document_count(self) -> int:
        with self.index.searcher() as searcher:
            return searcher.doc_count() - (1 if searcher.document(doc_id=STATE_ID) else 0)
