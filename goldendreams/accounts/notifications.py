"""Notifications: the e-mails staff get about their work, and the choice of which.

Each kind of notification goes to some roles only (``KIND_ROLES``); every kind is on until
the person switches it off (``User.muted_notifications`` lists the kinds switched off).
Features above accounts (reviews, jobs, cases) call :func:`notify` from their services, in
the transaction of the change: the mails leave once it commits (``core.mail.send``).

Messages carry counts, record numbers, references and links to staff pages, never a
worker's words, a tracking code, an applicant's name or phone (tests/test_mail_privacy.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.core import audit, mail
from goldendreams.core.auth import Role
from goldendreams.extensions import db


class NotificationKind(StrEnum):
    # Organisation staff
    CASE_REFERRED = "case_referred"
    CASE_EVENT = "case_event"
    CASE_DEADLINE = "case_deadline"
    APPLICATIONS_DIGEST = "applications_digest"
    JOB_RETURNED = "job_returned"
    JOB_ORDER_SUBMITTED = "job_order_submitted"
    JOB_ORDER_DECIDED = "job_order_decided"
    REPLY_DECIDED = "reply_decided"
    PLAN_ITEM_OVERDUE = "plan_item_overdue"
    # Moderators and caseworkers
    STAFF_DIGEST = "staff_digest"
    URGENT_CASE = "urgent_case"
    URGENT_CONVERSATION = "urgent_conversation"
    # Safeguarding (safeguarding/alerts.py): on-call alerts, check-ins falling due
    SAFEGUARDING_ALERT = "safeguarding_alert"
    CHECK_IN_DUE = "check_in_due"
    # Members of the network (CSOs, government offices, mobilizers, associations)
    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_DECIDED = "referral_decided"
    GROUP_CASE_UPDATE = "group_case_update"
    MEMBER_FIGURES = "member_figures"
    # Brands and the CSOs that escalate to them (brands/)
    ESCALATION_RECEIVED = "escalation_received"
    ESCALATION_OVERDUE = "escalation_overdue"
    ESCALATION_ANSWERED = "escalation_answered"
    # Referrals to services (support/notices.py)
    SERVICE_REFERRAL_OVERDUE = "service_referral_overdue"
    # Collective remedies (collective/notices.py)
    COLLECTIVE_PAYMENT_REPORTED = "collective_payment_reported"
    INSTALMENT_OVERDUE = "instalment_overdue"


KIND_LABELS = {
    NotificationKind.CASE_REFERRED: _l("A case is sent to my organisation (or to a supplier)"),
    NotificationKind.CASE_EVENT: _l("Something new is shared on one of my organisation's cases"),
    NotificationKind.CASE_DEADLINE: _l("A case of my organisation is due in two days"),
    NotificationKind.APPLICATIONS_DIGEST: _l("New applications for our jobs (once a day)"),
    NotificationKind.JOB_RETURNED: _l("The moderators send one of our jobs back"),
    NotificationKind.JOB_ORDER_SUBMITTED: _l(
        "An agency sends a job in our name for checking (we confirm or refuse it)"
    ),
    NotificationKind.JOB_ORDER_DECIDED: _l("An employer confirms or refuses one of our jobs"),
    NotificationKind.REPLY_DECIDED: _l("Our reply to a review is published or refused"),
    NotificationKind.PLAN_ITEM_OVERDUE: _l("A step of one of our improvement plans is late"),
    NotificationKind.STAFF_DIGEST: _l("What waits for me: queue, overdue cases (once a day)"),
    NotificationKind.URGENT_CASE: _l("A case is opened as urgent (at once)"),
    NotificationKind.URGENT_CONVERSATION: _l("A worker writes about an emergency (at once)"),
    NotificationKind.SAFEGUARDING_ALERT: _l(
        "A worker is at high risk or punished (at once; always sent while I am on call)"
    ),
    NotificationKind.CHECK_IN_DUE: _l("A check-in with a worker is due"),
    NotificationKind.REFERRAL_RECEIVED: _l("Another organisation sends us a case (at once)"),
    NotificationKind.REFERRAL_DECIDED: _l("A case we sent on is accepted or declined"),
    NotificationKind.GROUP_CASE_UPDATE: _l("A group complaint I logged moves on"),
    NotificationKind.MEMBER_FIGURES: _l("Our members' case figures (once a month)"),
    NotificationKind.ESCALATION_RECEIVED: _l("A supplier's case is escalated to us (at once)"),
    NotificationKind.ESCALATION_OVERDUE: _l("We are late to acknowledge an escalation"),
    NotificationKind.ESCALATION_ANSWERED: _l("A brand answers a case we escalated"),
    NotificationKind.SERVICE_REFERRAL_OVERDUE: _l(
        "A worker we sent to a service is due a follow-up (once a day)"
    ),
    NotificationKind.COLLECTIVE_PAYMENT_REPORTED: _l(
        "An employer or agency says it paid an instalment of a collective case"
    ),
    NotificationKind.INSTALMENT_OVERDUE: _l("An instalment we must pay workers is late"),
}

_ORG_STAFF = frozenset({Role.AGENCY_STAFF, Role.EMPLOYER_STAFF})
#: Admins moderate and run cases too (moderation.permissions, cases.permissions).
_NETWORK_STAFF = frozenset({Role.ADMIN, Role.MODERATOR, Role.CASEWORKER})

#: Who may get each kind. Brands hear of a case when it is referred to one of their
#: suppliers (their dashboard shows it from then on), and of nothing else: the rest is
#: the supplier's own work.
KIND_ROLES: dict[NotificationKind, frozenset[str]] = {
    NotificationKind.CASE_REFERRED: _ORG_STAFF | {Role.BRAND},
    NotificationKind.CASE_EVENT: _ORG_STAFF,
    NotificationKind.CASE_DEADLINE: _ORG_STAFF,
    NotificationKind.APPLICATIONS_DIGEST: frozenset({Role.AGENCY_STAFF}),
    NotificationKind.JOB_RETURNED: frozenset({Role.AGENCY_STAFF}),
    NotificationKind.JOB_ORDER_SUBMITTED: frozenset({Role.EMPLOYER_STAFF}),
    NotificationKind.JOB_ORDER_DECIDED: frozenset({Role.AGENCY_STAFF}),
    NotificationKind.REPLY_DECIDED: _ORG_STAFF,
    NotificationKind.PLAN_ITEM_OVERDUE: _ORG_STAFF,
    NotificationKind.STAFF_DIGEST: _NETWORK_STAFF,
    NotificationKind.URGENT_CASE: _NETWORK_STAFF,
    NotificationKind.URGENT_CONVERSATION: frozenset({Role.CASEWORKER}),
    NotificationKind.SAFEGUARDING_ALERT: frozenset({Role.CASEWORKER}),
    NotificationKind.CHECK_IN_DUE: frozenset({Role.CASEWORKER, Role.ADMIN}),
    NotificationKind.REFERRAL_RECEIVED: frozenset({Role.CASEWORKER, Role.GOVERNMENT}),
    NotificationKind.REFERRAL_DECIDED: frozenset({Role.CASEWORKER}),
    NotificationKind.GROUP_CASE_UPDATE: frozenset({Role.MOBILIZER}),
    NotificationKind.MEMBER_FIGURES: frozenset({Role.ASSOCIATION}),
    NotificationKind.ESCALATION_RECEIVED: frozenset({Role.BRAND}),
    NotificationKind.ESCALATION_OVERDUE: frozenset({Role.BRAND}),
    NotificationKind.ESCALATION_ANSWERED: frozenset({Role.CASEWORKER}),
    NotificationKind.SERVICE_REFERRAL_OVERDUE: frozenset({Role.CASEWORKER}),
    NotificationKind.COLLECTIVE_PAYMENT_REPORTED: frozenset({Role.CASEWORKER}),
    NotificationKind.INSTALMENT_OVERDUE: _ORG_STAFF,
}


def kinds_for(user) -> list[NotificationKind]:
    """The kinds this person's role can get, in a fixed order."""
    return [kind for kind in NotificationKind if user.role in KIND_ROLES[kind]]


def wants(user, kind: NotificationKind) -> bool:
    """An active account whose role gets this kind and who has not switched it off."""
    return (
        bool(user.active)
        and user.role in KIND_ROLES[kind]
        and kind not in (user.muted_notifications or [])
    )


def notify(users: Iterable[User], kind: NotificationKind, template: str, **context) -> int:
    """Mail ``template`` to each of ``users`` who wants ``kind``, in their language, once
    the current transaction commits. Returns how many were mailed."""
    sent = 0
    for user in users:
        if wants(user, kind):
            mail.send(user.email, template, user.preferred_locale, **context)
            sent += 1
    return sent


def staff_of(organisation_id: int) -> list[User]:
    """The active accounts of an organisation."""
    query = select(User).filter_by(organisation_id=organisation_id, active=True)
    return list(db.session.scalars(query.order_by(User.id)))


def staff_with_roles(roles: Iterable[str]) -> list[User]:
    """The active accounts with one of ``roles`` (site staff: not tied to an organisation)."""
    query = select(User).where(User.role.in_([str(role) for role in roles]), User.active)
    return list(db.session.scalars(query.order_by(User.id)))


def set_notifications(user: User, wanted: Iterable[str], locale: str | None = None) -> None:
    """Keep the kinds in ``wanted`` on and switch off the others the user's role can get,
    and mail them in ``locale`` (one transaction, audited)."""
    wanted = set(wanted)
    muted = sorted(kind.value for kind in kinds_for(user) if kind not in wanted)
    user.muted_notifications = muted  # a new list: JSON columns see no change in place
    if locale:
        user.preferred_locale = locale
    audit.record(user, "account.notifications_changed", "user", user.id, muted=muted, locale=locale)
    db.session.commit()
