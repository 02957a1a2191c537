"""The e-mail about an organisation's reply to a review: its staff hear when the
moderators publish or refuse it. Never the review's words, nor the reply's."""

from __future__ import annotations

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.reviews import choices
from goldendreams.reviews.models import Reply, ReplyStatus


def reply_decided(reply: Reply) -> None:
    """The moderators published or refused ``reply``."""
    organisation_id = reply.review.organisation_id
    notifications.notify(
        notifications.staff_of(organisation_id),
        NotificationKind.REPLY_DECIDED,
        "notify_reply_decided",
        published=reply.status == ReplyStatus.PUBLISHED,
        reason=choices.REJECT_REASONS.get(reply.decision_reason or "", ""),
        link=mail.site_url("reviews_portal.portal_reviews", org_id=organisation_id),
    )
