"""Reading conversations: the inbox list, its counts per state, one thread, and the lists
a conversation page offers (colleagues, CSOs, saved answers).

The inbox must stay fast at network volume (250,000 conversations): a list page is one
statement walking an index in (last_activity_on, id) order from a cursor (keyset pages, no
OFFSET, no COUNT of the list); counts per state are one grouped statement over one CSO's
rows of ``ix_conversations_inbox`` (owner_id, state, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, or_, select, tuple_
from sqlalchemy.orm import joinedload

from goldendreams.accounts.models import User
from goldendreams.agencies.models import CASE_KINDS, COUNTRIES, CSO_KINDS, Organisation, OrgKind
from goldendreams.cases import services as case_services
from goldendreams.cases.models import IssueCategory
from goldendreams.core import pii
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import choices
from goldendreams.inbox.models import (
    Conversation,
    ConversationState,
    Message,
    MessageKind,
    SavedAnswer,
    Topic,
)
from goldendreams.reviews.queries import segments
from goldendreams.rights import queries as rights_queries

#: States a caseworker must act on: nobody answered yet, or the worker wrote last.
WAITING_STATES = (ConversationState.NEW, ConversationState.WAITING_FOR_US)
SNIPPET_LETTERS = 80


@dataclass(frozen=True)
class Filters:
    """What the inbox list shows. ``owner_id`` None: every CSO's (admins only)."""

    owner_id: int | None = None
    state: str | None = None
    language: str | None = None
    country: str | None = None
    channel: str | None = None
    topic: str | None = None
    issue: str | None = None  # an issue category's code
    urgent: bool = False
    #: None: anyone; 0: nobody; a user id: that caseworker's.
    assignee_id: int | None = None


#: A place in the list: (last_activity_on, id) of a row.
Cursor = tuple[date, int]


def parse_cursor(value: str | None) -> Cursor | None:
    """``2026-01-31.1234`` → (date, id); None for anything else (the first page)."""
    day, _, number = (value or "").partition(".")
    try:
        cursor = (date.fromisoformat(day), int(number))
    except ValueError:
        return None
    return cursor if 0 < cursor[1] < 2**31 and len(day) == 10 else None


def format_cursor(conversation: Conversation) -> str:
    return f"{conversation.last_activity_on.isoformat()}.{conversation.id}"


@dataclass(frozen=True)
class Page:
    """One page of the list, newest activity first, and the cursors of its neighbours."""

    rows: list[Conversation]
    #: The page before (newer conversations): ``?newer=<cursor>``, or None on the first page.
    newer: str | None
    #: The page after (older conversations): ``?older=<cursor>``, or None on the last page.
    older: str | None


def _filtered(filters: Filters) -> Select:
    query = select(Conversation)
    if filters.owner_id is not None:
        query = query.where(Conversation.owner_id == filters.owner_id)
    for name in ("state", "language", "country", "channel", "topic"):
        if getattr(filters, name):
            query = query.where(getattr(Conversation, name) == getattr(filters, name))
    if filters.issue:
        query = query.where(Conversation.categories.any(IssueCategory.code == filters.issue))
    if filters.urgent:
        query = query.where(Conversation.urgent.is_(True))
    if filters.assignee_id == 0:
        query = query.where(Conversation.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        query = query.where(Conversation.assignee_id == filters.assignee_id)
    return query


def page(
    filters: Filters, size: int, older: Cursor | None = None, newer: Cursor | None = None
) -> Page:
    """A page of conversations, newest activity first (``last_activity_on`` desc, ``id``
    desc): those after ``older``, or those before ``newer``, or the first ones."""
    key = tuple_(Conversation.last_activity_on, Conversation.id)
    # The assignee's e-mail (not their organisation); whose it is only when several CSOs'
    # conversations are listed (admins).
    options = [joinedload(Conversation.assignee).lazyload(User.organisation)]
    if filters.owner_id is None:
        options.append(joinedload(Conversation.owner))
    query = _filtered(filters).options(*options)
    if newer is not None:  # walking back: the rows just above the cursor, then reversed
        query = query.where(key > tuple_(*newer)).order_by(
            Conversation.last_activity_on, Conversation.id
        )
        rows = list(db.session.scalars(query.limit(size + 1)))
        more_newer, rows = len(rows) > size, rows[:size][::-1]
        return Page(
            rows,
            newer=format_cursor(rows[0]) if more_newer else None,
            older=format_cursor(rows[-1]) if rows else None,
        )
    if older is not None:
        query = query.where(key < tuple_(*older))
    query = query.order_by(Conversation.last_activity_on.desc(), Conversation.id.desc())
    rows = list(db.session.scalars(query.limit(size + 1)))
    more_older, rows = len(rows) > size, rows[:size]
    return Page(
        rows,
        newer=format_cursor(rows[0]) if older is not None and rows else None,
        older=format_cursor(rows[-1]) if more_older else None,
    )


def state_counts(owner_id: int) -> dict[str, int]:
    """How many conversations of one CSO are in each state: one grouped statement on the
    inbox index. Counts are of the CSO's whole inbox, not of the other filters (a filtered
    count would read every row of a large CSO); admins get them CSO by CSO, never for the
    whole network (that would read every conversation)."""
    query = (
        select(Conversation.state, func.count())
        .where(Conversation.owner_id == owner_id)
        .group_by(Conversation.state)
    )
    found = dict(db.session.execute(query).all())
    return {state: found.get(state, 0) for state in ConversationState}


def waiting_count(owner_id: int | None) -> int:
    """Conversations waiting for a caseworker (new, or the worker wrote last) of one CSO
    (None: of every CSO, still read CSO by CSO on the inbox index)."""
    owners = (
        [owner_id]
        if owner_id is not None
        else select(Organisation.id).where(Organisation.kind.in_(CSO_KINDS)).scalar_subquery()
    )
    query = select(func.count()).where(
        Conversation.owner_id.in_(owners), Conversation.state.in_(WAITING_STATES)
    )
    return db.session.scalar(query) or 0


def snippets(conversations: list[Conversation]) -> dict[int, str | None]:
    """The start of the worker's last message in each conversation (None: erased by the
    worker): one statement for the whole page."""
    ids = [c.id for c in conversations]
    if not ids:
        return {}
    last = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(ids), Message.kind == MessageKind.FROM_WORKER)
        .group_by(Message.conversation_id)
    )
    rows = db.session.execute(
        select(Message.conversation_id, Message.text).where(Message.id.in_(last))
    )
    return {
        conversation_id: _shorten(text) if text is not None else None
        for conversation_id, text in rows
    }


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_LETTERS else text[: SNIPPET_LETTERS - 1] + "…"


@dataclass(frozen=True)
class ThreadItem:
    """One message as a caseworker sees it: worker's text cut around the personal data
    found in it (``pieces``: (text, kind or None)), and the kinds found."""

    message: Message
    pieces: list[tuple[str, str | None]]
    found: list[str]


def thread(conversation: Conversation) -> list[ThreadItem]:
    """Every message of the conversation, oldest first, with its author in the same
    statement."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .options(joinedload(Message.author))
        .order_by(Message.id)
    )
    items = []
    for message in db.session.scalars(query):
        if message.text is None:
            items.append(ThreadItem(message, [], []))
            continue
        spans = [pii.Span(s["start"], s["end"], s["kind"]) for s in message.personal_data or []]
        kinds = list(dict.fromkeys(s.kind for s in spans))
        items.append(ThreadItem(message, segments(message.text, spans), kinds))
    return items


def colleagues(owner_id: int | None) -> list[User]:
    """The active caseworkers of a CSO (None: nobody), by e-mail: whom a conversation can
    be given to."""
    if owner_id is None:
        return []
    query = select(User).where(
        User.role == Role.CASEWORKER, User.organisation_id == owner_id, User.active.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.email)))


def csos(except_id: int | None = None) -> list[Organisation]:
    """The network's CSOs (NGOs and unions), by name."""
    query = select(Organisation).where(Organisation.kind.in_(CSO_KINDS))
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    return list(db.session.scalars(query.order_by(Organisation.sort_name)))


def saved_answers(owner_id: int | None, language: str | None = None) -> list[SavedAnswer]:
    """A CSO's saved answers (None: every CSO's), those in ``language`` first, then by
    language and title."""
    query = select(SavedAnswer)
    if owner_id is not None:
        query = query.where(SavedAnswer.owner_id == owner_id)
    first = [case((SavedAnswer.language == language, 0), else_=1)] if language else []
    order = [*first, SavedAnswer.owner_id, SavedAnswer.language, SavedAnswer.title, SavedAnswer.id]
    return list(db.session.scalars(query.order_by(*order)))


def case_of(conversation: Conversation):
    """The case the worker of this thread follows: the one opened from it, or, for a
    review's thread, the review's case (one case per worker's report, whichever opened it)."""
    if conversation.case is not None or conversation.review_id is None:
        return conversation.case
    return case_services.case_for_review(conversation.review_id)


def emergency_help(topic: str | None, country: str | None) -> dict:
    """What an emergency shows first (on /ask, and on the worker's thread while it is
    open): the country's emergency numbers and the network's hotlines there (the help
    page's). Nothing for other topics."""
    if topic != Topic.EMERGENCY or country not in COUNTRIES:
        return {"country": country, "emergency_numbers": (), "hotlines": []}
    return {
        "country": country,
        "emergency_numbers": choices.EMERGENCY_NUMBERS.get(country, ()),
        "hotlines": rights_queries.hotlines(country),
    }


#: Names offered under "Employer or agency" on /ask: enough for a phone's list.
SUGGESTIONS_MAX = 300


def organisation_suggestions(country: str | None, topic: str | None = None) -> list[str]:
    """Names for the <datalist> under "Employer or agency" on /ask (no JavaScript: the phone
    filters as they type): the directory's employers and agencies in the country the worker
    is in; for a problem in recruitment, the agencies at home too."""
    where = Organisation.country == country
    if topic == Topic.RECRUITMENT:
        where = or_(where, Organisation.kind == OrgKind.AGENCY)
    query = (
        select(Organisation.name)
        .where(Organisation.kind.in_(CASE_KINDS), where)
        .order_by(Organisation.sort_name)
        .limit(SUGGESTIONS_MAX)
    )
    return list(dict.fromkeys(db.session.scalars(query)))


def find_organisation(name: str | None, country: str | None) -> Organisation | None:
    """The listed employer or agency the worker named: its name in any case, or its name in
    the local script, exactly. When several carry that name, the one in the worker's country;
    when that does not decide, none (the caseworker reads the name as typed)."""
    typed = " ".join((name or "").split())
    if not typed:
        return None
    found = list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.kind.in_(CASE_KINDS),
                or_(
                    Organisation.sort_name == typed.casefold(),
                    func.lower(Organisation.name_local) == typed.lower(),
                ),
            )
            .limit(20)
        )
    )
    if len(found) > 1:
        found = [org for org in found if org.country == country]
    return found[0] if len(found) == 1 else None


def opened_by_channel(since: date) -> dict[str, int]:
    """Conversations opened since ``since``, per channel (the channels' admin page)."""
    query = (
        select(Conversation.channel, func.count())
        # Redundant (a conversation opened since then was active since), but it lets the
        # (last activity, id) index skip the older threads.
        .where(Conversation.opened_on >= since, Conversation.last_activity_on >= since)
        .group_by(Conversation.channel)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}
