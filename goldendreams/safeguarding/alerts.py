"""Queued work of safeguarding: the on-call alert (e-mail, and Telegram where a caseworker
set it up), and the daily mail of check-ins falling due.

An alert says only "An urgent case needs you" and a link to a staff page: never the
worker's words, contact or the organisation's name. The alert of a worker's own report
(their code page) links to the CSO's case list, where urgent cases come first, and goes by
e-mail only: a message naming the case, in every on-call mailbox and chat, would date the
day and hour the worker acted.

On-call people get the alert whatever their notification settings say: being on call is
their choice, and switching it off is how they stop the alerts (an alert muted by an old
setting would leave a worker in danger unheard). When nobody is on call, the CSO's
caseworkers are alerted instead, as their settings allow.
"""

from __future__ import annotations

import logging

from flask_babel import force_locale
from flask_babel import gettext as _

from goldendreams.accounts import notifications
from goldendreams.accounts.models import User
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.channels.adapters import adapter_for
from goldendreams.channels.adapters.base import Outgoing, PlatformError, Recipient
from goldendreams.core import mail, queue
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.safeguarding import queries

log = logging.getLogger("goldendreams.safeguarding")

#: Tries of a Telegram alert the platform could not take (2, 4, 8, 16, 32 seconds apart).
RETRIES = 5


def _link(target: str, target_id: int | None) -> str:
    if target_id is None:  # the worker's own report: the list, never the case
        return mail.site_url("cases.case_list")
    if target == "conversation":
        return mail.site_url("inbox.conversation", conversation_id=target_id)
    return mail.site_url("cases.case", case_id=target_id)


def recipients(cso_id: int) -> tuple[list[User], bool]:
    """Who is alerted for a CSO, and whether they are its on-call people (True) or, with
    nobody on call, all its caseworkers (False)."""
    people = queries.on_call(cso_id)
    if people:
        return people, True
    return queries.caseworkers_of(cso_id), False


@queue.task()
def alert_on_call(target: str, target_id: int | None, cso_id: int, by_worker: bool = False) -> int:
    """Alert a CSO's on-call people of an urgent case or conversation. ``by_worker``: the
    worker reported it on their code page (``target_id`` None): the alert links to the
    case list and is not sent on Telegram. Returns how many were mailed."""
    people, on_call = recipients(cso_id)
    link = _link(target, None if by_worker else target_id)
    sent = 0
    if on_call:
        for person in people:
            mail.send(person.email, "notify_safeguarding_alert", person.preferred_locale,
                      link=link)  # fmt: skip
            sent += 1
    else:
        sent = notifications.notify(
            people, NotificationKind.SAFEGUARDING_ALERT, "notify_safeguarding_alert", link=link
        )
    if not by_worker and adapter_for("telegram") is not None:
        for person in people:
            setting = queries.setting_of(person.id)
            if setting is not None and setting.telegram_chat:
                queue.after_commit(send_telegram, person.id, link)
    db.session.commit()  # the mails (and Telegram messages) leave once this commits
    return sent


@queue.task(retries=RETRIES, retry_delay=1)
def send_telegram(user_id: int, link: str) -> None:
    """One alert to one caseworker's own chat with the network's bot."""
    adapter = adapter_for("telegram")
    person = db.session.get(User, user_id)
    setting = queries.setting_of(user_id) if person is not None else None
    if adapter is None or setting is None or not setting.telegram_chat or not person.active:
        return
    with force_locale(person.preferred_locale or "en"):
        text = _("An urgent case needs you: %(link)s", link=link)
    try:
        adapter.send(Recipient(user_id=setting.telegram_chat), Outgoing(text=text))
    except PlatformError as error:
        if error.retry:
            raise
        # The caseworker's chat is gone (they blocked the bot): the e-mail still went.
        log.warning("telegram alert not delivered: %s", error.reason)


def remind_check_ins() -> int:
    """Mail each check-in's caseworker once, when it falls due (the case's assignee, else
    whoever scheduled it). Returns how many were mailed."""
    sent = 0
    for check_in in queries.due_unreminded(today()):
        check_in.reminded = True
        case = check_in.case
        if not case.is_open:
            continue
        person = case.assignee or check_in.scheduled_by
        if person is None:
            continue
        sent += notifications.notify(
            [person], NotificationKind.CHECK_IN_DUE, "notify_check_in_due",
            reference=case.reference, due=check_in.due_on,
            link=mail.site_url("cases.case", case_id=case.id),
        )  # fmt: skip
    db.session.commit()
    return sent


# 00:00 UTC = 07:00 in Bangkok: the caseworker reads it at the start of the day.
@queue.periodic_task(queue.crontab(minute="5", hour="0"))
def check_ins_due() -> int:
    """Mail caseworkers about check-ins that fell due (each once)."""
    sent = remind_check_ins()
    log.info("sent %d check-in reminders", sent)
    return sent
