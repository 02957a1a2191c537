"""The mails worker voice sends staff. They name a conversation by its number and link to
the inbox; never the worker's words, contact or code (tests/test_mail_privacy.py)."""

from __future__ import annotations

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.inbox.models import Conversation


def urgent_conversation(conversation: Conversation) -> None:
    """A worker wrote about an emergency (first, or again after a reply): the caseworkers of
    the CSO that owns the conversation hear at once. The mail names no conversation and
    links to the urgent ones waiting: a dated mail must not point at one worker's message."""
    notifications.notify(
        notifications.staff_of(conversation.owner_id),
        NotificationKind.URGENT_CONVERSATION,
        "notify_urgent_conversation",
        link=mail.site_url("inbox.conversation_list", urgent="y"),
    )
