"""Who may do what with conversations. Views, services and templates ask here.

A conversation belongs to one CSO, like a case: that CSO's caseworkers read and answer it,
admins every one. Nobody else — no organisation, brand, office, association, mobilizer or
moderator — ever meets a conversation, a worker's contact, or what ties one to a review.
"""

from __future__ import annotations

from goldendreams.cases.permissions import is_admin, is_caseworker


def may_use_inbox(user) -> bool:
    """May open the inbox (their CSO's conversations; admins every one), log a call and
    keep saved answers."""
    return is_admin(user) or is_caseworker(user)


def may_handle(user, conversation) -> bool:
    """May read a conversation, reply, add notes, tag, assign, hand it over and close it."""
    return is_admin(user) or (is_caseworker(user) and user.organisation_id == conversation.owner_id)


def may_see_attachments(user, conversation) -> bool:
    """The voice notes, photos and documents the worker sent: exactly those who read the
    conversation. They are the worker's words, so not audited per view like a contact:
    they come with the thread, whose readers are already only its caseworkers."""
    return may_handle(user, conversation)


def may_reply(user, conversation) -> bool:
    """A reply goes to a worker of an open conversation (closing it ends the talk; the
    worker may open it again by writing)."""
    return may_handle(user, conversation) and not conversation.is_closed


def may_see_contact(user, conversation) -> bool:
    """The worker's chosen contact: the caseworkers of the CSO that talks with them, as the
    worker was promised (not admins); every view audited."""
    return (
        is_caseworker(user)
        and user.organisation_id == conversation.owner_id
        and conversation.contact is not None
    )


def may_assign_to(user, conversation, assignee) -> bool:
    """A conversation is given to an active caseworker of the CSO that owns it."""
    return (
        may_handle(user, conversation)
        and assignee is not None
        and assignee.active
        and is_caseworker(assignee)
        and assignee.organisation_id == conversation.owner_id
    )


def may_open_case(user, conversation) -> bool:
    """A case is opened from a conversation once: afterwards the thread follows it."""
    return may_handle(user, conversation) and conversation.case_id is None


def may_manage_saved_answer(user, answer) -> bool:
    """A CSO's caseworkers keep their CSO's saved answers; admins every CSO's."""
    return is_admin(user) or (is_caseworker(user) and user.organisation_id == answer.owner_id)


def may_ask_reviewer(user, review) -> bool:
    """Caseworkers and admins may ask a review's worker a question: it opens a thread that
    the review's code shows the worker (withdrawn reviews: the worker left)."""
    return (is_admin(user) or is_caseworker(user)) and not review.is_withdrawn


def may_log_call(user) -> bool:
    """A caseworker logs the calls they take for their CSO (it owns the count). Admins take
    no calls: they see every CSO's log."""
    return is_caseworker(user)
