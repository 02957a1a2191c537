"""The mails worker voice sends staff. They name a conversation by its number and link to
the inbox; never the worker's words, contact or code (tests/test_mail_privacy.py)."""

from __future__ import annotations

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.inbox.models import Conversation


def urgent_conversation(conversation: Conversation) -> None:
    """A worker wrote about an emergency: the caseworkers of the CSO that owns the
    conversation hear at once, with each message the worker adds while it is urgent."""
    notifications.notify(
        notifications.staff_of(conversation.owner_id),
        NotificationKind.URGENT_CONVERSATION,
        "notify_urgent_conversation",
        number=conversation.id,
        link=mail.site_url("inbox.conversation", conversation_id=conversation.id),
    )
