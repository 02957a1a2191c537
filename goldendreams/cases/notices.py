"""The e-mails a case sends: to its organisation's staff (referred, something new shared,
a stage due in two days), to brands buying from it (referred), and to the network's staff
(an urgent case). Called by cases/services.py inside the transaction of the change, and by
cases/tasks.py; the mails leave after commit.

Only the case's reference, its organisation's name, labels and links: never its summary,
contact, notes or the worker's answer.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.agencies.models import Organisation, OrgKind
from goldendreams.cases import choices, permissions, queries
from goldendreams.cases.models import Case, CaseReferral, ReferralStatus
from goldendreams.core import mail
from goldendreams.core.auth import Role
from goldendreams.extensions import db

#: The stages in which the organisation has something to do (the reminder's stages).
ORGANISATION_STAGES = ("referred", "in_remediation")
#: How many days before a stage's deadline its organisation is reminded.
REMIND_DAYS_BEFORE = 2


def _portal_link(case: Case) -> str:
    return mail.site_url(
        "cases_portal.portal_case", org_id=case.organisation_id, case_id=case.public_id
    )


def case_referred(case: Case) -> None:
    """The case was just referred to its organisation: its staff, and the staff of the
    brands buying from it, hear of it now (neither sees it before)."""
    notifications.notify(
        notifications.staff_of(case.organisation_id),
        NotificationKind.CASE_REFERRED,
        "notify_case_referred",
        reference=case.reference,
        organisation_name=case.organisation.name,
        for_brand=False,
        link=_portal_link(case),
    )
    brand_staff = [
        user
        for buyer_id in queries.buyer_ids(case.organisation_id)
        for user in notifications.staff_of(buyer_id)
        if user.role == Role.BRAND
    ]
    notifications.notify(
        brand_staff,
        NotificationKind.CASE_REFERRED,
        "notify_case_referred",
        reference=case.reference,
        organisation_name=case.organisation.name,
        for_brand=True,
        link=mail.site_url("brands.dashboard"),
    )


def case_event(case: Case, what) -> None:
    """The network shared something new on a case its organisation sees: ``what`` is a
    label (a status, or the kind of entry), never the entry's text."""
    if not case.shared_with_organisation:
        return
    notifications.notify(
        notifications.staff_of(case.organisation_id),
        NotificationKind.CASE_EVENT,
        "notify_case_event",
        reference=case.reference,
        what=what,
        link=_portal_link(case),
    )


def urgent_case(case: Case, actor) -> None:
    """A case was opened as urgent: the moderators and the caseworkers of the CSO that owns
    it hear at once (not the one who opened it; other CSOs' caseworkers do not). Those who
    run the case get its page, the others the staff page."""
    staff = [
        user
        for user in notifications.staff_with_roles(
            notifications.KIND_ROLES[NotificationKind.URGENT_CASE]
        )
        if user.id != getattr(actor, "id", None)
        and (permissions.may_run_case(user, case) or not permissions.may_work_on_cases(user))
    ]
    for may_open in (True, False):
        users = [user for user in staff if permissions.may_run_case(user, case) == may_open]
        link = (
            mail.site_url("cases.case", case_id=case.id)
            if may_open
            else mail.site_url("accounts.staff_home")
        )
        notifications.notify(
            users,
            NotificationKind.URGENT_CASE,
            "notify_urgent_case",
            reference=case.reference,
            organisation_name=case.organisation.name,
            link=link,
        )


def remind_deadlines(day: date) -> int:
    """Remind organisations of their cases whose stage ends within two days after ``day``,
    once per case and stage (``Case.reminded_for``): a day the scheduler missed is caught
    up the next day, and a second run on one day sends nothing. Returns how many mails
    were sent."""
    sent = 0
    stage_days = current_app.config["CASE_STAGE_DAYS"]
    last = day + timedelta(days=REMIND_DAYS_BEFORE)
    for case in queries.due_between(day, last, ORGANISATION_STAGES):
        if not case.shared_with_organisation:
            continue
        case.reminded_for = case.stage_since
        sent += notifications.notify(
            notifications.staff_of(case.organisation_id),
            NotificationKind.CASE_DEADLINE,
            "notify_case_deadline",
            reference=case.reference,
            stage=choices.STATUS_LABELS[case.status],
            due=case.stage_since + timedelta(days=stage_days[case.status]),
            link=_portal_link(case),
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent


def group_case_update(case: Case) -> None:
    """A group complaint moved to a new status: the mobilizer who logged it hears (while
    they may still follow it). Its reference, the new status's label and a link: never
    what the workers said."""
    mobilizer = case.logged_by
    if mobilizer is None or not permissions.may_follow_group_case(mobilizer, case):
        return
    notifications.notify(
        [mobilizer],
        NotificationKind.GROUP_CASE_UPDATE,
        "notify_group_case_update",
        reference=case.reference,
        status=choices.STATUS_LABELS[case.status],
        link=mail.site_url("group_cases.group_case", case_id=case.public_id),
    )


def member_figures(day: date) -> int:
    """On the first of the month: every industry association's staff get how many cases
    were opened last month at their members (once referred to them), in all and by issue,
    each figure under 3 hidden, and a link to their figures page. Returns how many mails
    were sent."""
    last = day.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    sent = 0
    associations = db.session.scalars(
        select(Organisation).filter_by(kind=OrgKind.ASSOCIATION).order_by(Organisation.id)
    )
    for association in associations:
        for user in notifications.staff_of(association.id):
            if user.role != Role.ASSOCIATION:
                continue
            locale = user.preferred_locale or current_app.config["BABEL_DEFAULT_LOCALE"]
            figures = queries.member_cases_opened(association.id, first, last, locale)
            sent += notifications.notify(
                [user],
                NotificationKind.MEMBER_FIGURES,
                "notify_member_figures",
                association_name=association.name,
                month=first,
                total=figures["total"],
                by_category=figures["by_category"],
                link=mail.site_url("association.figures"),
            )
    db.session.commit()  # the mails leave once the transaction ends
    return sent


def referral_received(referral) -> int:
    """A case is offered to a CSO or an office (the worker agreed): its caseworkers or
    officers hear. The reference, the two organisations' names and a link: never the note,
    the case's summary or anything the worker said."""
    return notifications.notify(
        notifications.staff_of(referral.to_id),
        NotificationKind.REFERRAL_RECEIVED,
        "notify_referral_received",
        reference=referral.case.reference,
        sender_name=referral.sender.name,
        organisation_name=referral.case.organisation.name,
        link=mail.site_url("referrals.referral", referral_id=referral.id),
    )


def remind_waiting_referrals() -> int:
    """Every morning, the receivers of each offer still waiting for their answer hear of it
    again: so an offer the worker agreed to on their code page (mailed at no moment the
    worker acted) reaches them the morning after. Returns how many mails were sent."""
    waiting = db.session.scalars(
        select(CaseReferral)
        .where(CaseReferral.status == ReferralStatus.PROPOSED)
        .order_by(CaseReferral.id)
    )
    sent = 0
    for referral in waiting:
        if referral.case.is_open:
            sent += referral_received(referral)
    db.session.commit()  # the mails leave once the transaction ends
    return sent


def referral_decided(referral) -> None:
    """The receiver accepted or declined a case: the sending CSO's caseworkers hear (the
    decision and a link; the reason is on the page, not in the mail)."""
    notifications.notify(
        notifications.staff_of(referral.from_id),
        NotificationKind.REFERRAL_DECIDED,
        "notify_referral_decided",
        reference=referral.case.reference,
        receiver_name=referral.receiver.name,
        accepted=referral.status == "accepted",
        link=mail.site_url("referrals.referral", referral_id=referral.id),
    )
