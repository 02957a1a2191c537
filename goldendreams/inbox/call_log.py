"""The contact log: calls (and messages answered in an app outside the site) that are not
conversations, logged by caseworkers so every contact is counted. Nothing identifies the
caller; the day only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import COUNTRIES
from goldendreams.cases import taxonomy
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.extensions import db
from goldendreams.inbox import permissions
from goldendreams.inbox.models import CallLog, Channel, Outcome, Topic
from goldendreams.inbox.rules import InboxError

#: How a logged contact came in: a call, or a messaging app answered outside the site (a
#: conversation on the site is counted already).
CALL_CHANNELS = tuple(c for c in Channel if c != Channel.WEB)
CALL_MINUTES_MAX = 600


def log_call(
    actor, channel: str, topic: str, category: str | None, language: str, country: str | None,
    outcome: str, minutes: int | None,
) -> CallLog:  # fmt: skip
    """A caseworker logs a call (or a message answered in an app) for their CSO, so every
    contact is counted: what about, the caller's language and country, how it ended. Nothing
    identifies the caller; the day only."""
    if not permissions.may_log_call(actor):
        raise InboxError(_l("Calls are logged by the caseworkers of an organisation."))
    if channel not in CALL_CHANNELS:
        raise InboxError(_l("Choose how the worker contacted you from the list."))
    if topic not in set(Topic):
        raise InboxError(_l("Choose what it is about."))
    found = [c for c in taxonomy.current() if c.code == category] if category else [None]
    if not found:
        raise InboxError(_l("Choose an issue from the list."))
    if language not in LANGUAGE_NAMES:
        raise InboxError(_l("Choose a language from the list."))
    if country is not None and country not in COUNTRIES:
        raise InboxError(_l("Choose a country from the list."))
    if outcome not in set(Outcome) or outcome == Outcome.CLOSED_BY_WORKER:
        raise InboxError(_l("Choose how it ended from the list."))
    if minutes is not None and not 1 <= minutes <= CALL_MINUTES_MAX:
        raise InboxError(_l("Enter the minutes as a number from 1 to 600."))
    call = CallLog(
        owner_id=actor.organisation_id, channel=channel, topic=topic, category=found[0],
        language=language, country=country, outcome=outcome, minutes=minutes,
        logged_by_id=actor.id, logged_on=today(),
    )  # fmt: skip
    # Not audited, unlike other staff actions: an audit row's time is the end of the call,
    # and the hotline's phone records would tell whose call that was. ``logged_by`` says
    # who logged it; the day is all that is kept of when.
    db.session.add(call)
    db.session.commit()
    return call
