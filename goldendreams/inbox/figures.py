"""Counting every contact: each conversation (by the day it opened), each logged call (by
the day it was logged) and each message from a worker (by the day it was sent), by
channel, language, topic and outcome.

Public figures (/metrics) count what happened before today only, so they change once a day
and watching them tells nobody when a worker wrote, and hide every figure under 3 as the
other public figures do (cases.queries.suppressed_rows). A CSO's caseworkers see their own
counts whole, today included, on the contact log page.

Everything is counted in SQL by month (a few hundred rows whatever the tables' size), but
each count reads its whole table (about half a second at 250,000 conversations and
1,000,000 messages on PostgreSQL): the public figures, which no longer change once the day
began, are kept for the day; a CSO's conversations and messages for CACHE_SECONDS.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, literal_column, select, union_all

from goldendreams.cases.queries import suppressed_rows
from goldendreams.core.base import today
from goldendreams.core.cache import memo
from goldendreams.core.i18n import language_name
from goldendreams.extensions import db
from goldendreams.inbox import choices
from goldendreams.inbox.models import CallLog, Conversation, Message, MessageKind

#: The public page breaks down this many of the latest months by channel and language.
MONTHS_BROKEN_DOWN = 12
#: The contact log page shows a CSO this many months.
STAFF_MONTHS = 6

CONVERSATION = "conversation"
CALL = "call"


def _month(column) -> tuple:
    """The year and month of a date column, in SQL (SQLite and PostgreSQL alike)."""
    return func.extract("year", column), func.extract("month", column)


def _label(year, month) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def _where(column, owner_column, before: date | None, since: date | None, owner_id):
    where = []
    if before is not None:
        where.append(column < before)
    if since is not None:
        where.append(column >= since)
    if owner_id is not None:
        where.append(owner_column == owner_id)
    return where


_SOURCES = {
    CONVERSATION: (Conversation, Conversation.opened_on),
    CALL: (CallLog, CallLog.logged_on),
}


def _contacts(
    before: date | None = None,
    since: date | None = None,
    owner_id: int | None = None,
    kinds: tuple[str, ...] = (CONVERSATION, CALL),
) -> Counter:
    """Conversations opened and calls logged: {(kind, "YYYY-MM", channel, language): n}, in
    one statement."""
    parts = []
    for kind in kinds:
        model, day = _SOURCES[kind]
        year, month = _month(day)
        parts.append(
            # The kind inline (a constant): an untyped parameter in a UNION puzzles PostgreSQL.
            select(literal_column(f"'{kind}'"), year, month, model.channel, model.language)
            .add_columns(func.count())
            .where(*_where(day, model.owner_id, before, since, owner_id))
            .group_by(year, month, model.channel, model.language)
        )
    counts: Counter = Counter()
    for kind, year, month, channel, language, count in db.session.execute(union_all(*parts)):
        counts[(kind, _label(year, month), channel, language)] += count
    return counts


def _messages(
    before: date | None = None, since: date | None = None, owner_id: int | None = None
) -> Counter:
    """Messages from workers: {"YYYY-MM": n}."""
    year, month = _month(Message.sent_on)
    query = (
        select(year, month, func.count())
        .where(
            Message.kind == MessageKind.FROM_WORKER,
            *_where(Message.sent_on, Conversation.owner_id, before, since, owner_id),
        )
        .group_by(year, month)
    )
    if owner_id is not None:
        query = query.join(Conversation, Conversation.id == Message.conversation_id)
        if since is not None:
            # Redundant (a message since then moved its conversation's last activity), but
            # it lets the (owner, last activity) index pick the CSO's recent threads instead
            # of reading every message: 150 ms → 40 ms at 1,000,000 messages.
            query = query.where(Conversation.last_activity_on >= since)
    return Counter({_label(y, m): count for y, m, count in db.session.execute(query)})


# --- public: /metrics --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthContacts:
    """One month's contacts (conversations and calls), and its breakdowns (codes)."""

    month: str
    total: int | None
    by_channel: list[tuple[str, int | None]]
    by_language: list[tuple[str, int | None]]


def _breakdown(counter: Counter, shown: bool) -> list[tuple[str, int | None]]:
    """A breakdown of a month: nothing of it when the month's total is hidden (its cells
    would add up to it)."""
    rows = suppressed_rows(sorted(counter.items()))
    return rows if shown else [(key, None) for key, _ in rows]


def contacts_by_month(before: date) -> list[MonthContacts]:
    """Every month's contacts before ``before`` (conversations opened and calls logged), with
    per-channel and per-language counts, oldest first; every figure under 3 hidden."""
    return _by_month(_contacts(before=before))


def _by_month(counts: Counter) -> list[MonthContacts]:
    totals: Counter = Counter()
    channels: dict[str, Counter] = {}
    languages: dict[str, Counter] = {}
    for (_kind, month, channel, language), count in counts.items():
        totals[month] += count
        channels.setdefault(month, Counter())[channel] += count
        languages.setdefault(month, Counter())[language] += count
    shown = dict(suppressed_rows(sorted(totals.items())))
    return [
        MonthContacts(
            month,
            shown[month],
            _breakdown(channels[month], shown[month] is not None),
            _breakdown(languages[month], shown[month] is not None),
        )
        for month in sorted(totals)
    ]


def messages_by_month(before: date) -> list[tuple[str, int | None]]:
    """Messages from workers by month, before ``before``; every figure under 3 hidden."""
    return suppressed_rows(sorted(_messages(before=before).items()))


def _for_the_day(day: date) -> dict:
    """The public figures of ``day``, computed once a day per process (what happened before
    the day no longer changes); every time when CACHE_SECONDS is 0 (the tests)."""
    if not current_app.config["CACHE_SECONDS"]:
        return _public_as_of(day)
    kept = current_app.extensions.get("goldendreams.contact_figures")
    if kept is None or kept[0] != day:
        kept = (day, _public_as_of(day))
        current_app.extensions["goldendreams.contact_figures"] = kept
    return kept[1]


def _public_as_of(day: date) -> dict:
    counts = _contacts(before=day)
    months = _by_month(counts)
    channels: Counter = Counter()
    languages: Counter = Counter()
    for (_kind, _month, channel, language), count in counts.items():
        channels[channel] += count
        languages[language] += count
    return {
        "by_month": [(m.month, m.total) for m in months],
        "by_channel": suppressed_rows(channels.most_common()),
        "by_language": suppressed_rows(languages.most_common()),
        "messages_by_month": messages_by_month(day),
        "latest": list(reversed(months[-MONTHS_BROKEN_DOWN:])),
    }


def _channel_rows(rows) -> list[tuple[str, int | None]]:
    return [(str(choices.CHANNELS.get(code, code)), value) for code, value in rows]


def _language_rows(rows) -> list[tuple[str, int | None]]:
    return [(language_name(code), value) for code, value in rows]


def public_contacts() -> dict:
    """The network's headline figure for /metrics: contacts by month, by channel and by
    language (labels in the reader's language), and messages from workers by month. Counts
    what happened before today, kept for the day."""
    figures = _for_the_day(today())
    return {
        "by_month": figures["by_month"],
        "by_channel": _channel_rows(figures["by_channel"]),
        "by_language": _language_rows(figures["by_language"]),
        "messages_by_month": figures["messages_by_month"],
        "latest": [
            MonthContacts(
                m.month, m.total, _channel_rows(m.by_channel), _language_rows(m.by_language)
            )
            for m in figures["latest"]
        ],
    }


# --- staff: a CSO's own contact log ------------------------------------------------------------


@dataclass(frozen=True)
class StaffMonth:
    month: str
    conversations: int
    calls: int
    messages: int

    @property
    def contacts(self) -> int:
        return self.conversations + self.calls


def _months_back(day: date, count: int) -> list[str]:
    year, month = day.year, day.month
    labels = []
    for _ in range(count):
        labels.append(_label(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return labels


def _per_month(counts: Counter) -> Counter:
    months: Counter = Counter()
    for (_kind, month, _channel, _language), count in counts.items():
        months[month] += count
    return months


@memo
def _inbox_counts(owner_id: int | None, since: date) -> tuple[Counter, Counter]:
    """A CSO's conversations opened and messages from workers by month since ``since``."""
    conversations = _contacts(since=since, owner_id=owner_id, kinds=(CONVERSATION,))
    return _per_month(conversations), _messages(since=since, owner_id=owner_id)


def staff_figures(owner_id: int | None) -> dict:
    """A CSO's contacts (None: the whole network, for admins), whole and up to today: the
    last STAFF_MONTHS months (newest first: conversations, calls, messages from workers) and
    this month's logged calls by topic and by outcome. Calls are counted live (the caseworker
    sees the call they just logged); conversations and messages may be CACHE_SECONDS old."""
    day = today()
    months = _months_back(day, STAFF_MONTHS)
    first = date(int(months[-1][:4]), int(months[-1][5:]), 1)
    conversations, messages = _inbox_counts(owner_id, first)
    calls = _per_month(_contacts(since=first, owner_id=owner_id, kinds=(CALL,)))
    this_month = (
        select(CallLog.topic, CallLog.outcome, func.count())
        .where(*_where(CallLog.logged_on, CallLog.owner_id, None, day.replace(day=1), owner_id))
        .group_by(CallLog.topic, CallLog.outcome)
    )
    topics: Counter = Counter()
    outcomes: Counter = Counter()
    for topic, outcome, count in db.session.execute(this_month):
        topics[topic] += count
        outcomes[outcome] += count
    return {
        "months": [StaffMonth(m, conversations[m], calls[m], messages[m]) for m in months],
        "calls_by_topic": [(choices.TOPIC_NAMES.get(t, t), n) for t, n in topics.most_common()],
        "calls_by_outcome": [
            (choices.OUTCOME_LABELS.get(o, o), n) for o, n in outcomes.most_common()
        ],
    }
