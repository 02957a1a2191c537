"""Conversations with workers, their messages, the worker's chosen contact, caseworkers'
saved answers and the log of calls that are not cases.

Every date is a day, never a time (a time of day can identify a worker). A conversation is
found by the hash of the worker's private code (the site) or by a keyed hash of the
platform sender (the messaging apps, issue 19); never by anything the worker did not give.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import IssueCategory
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class Channel(StrEnum):
    """Where a contact came in."""

    WEB = "web"
    #: A call to the hotline a caseworker logged.
    PHONE = "phone"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"
    VIBER = "viber"
    LINE = "line"
    TELEGRAM = "telegram"
    SMS = "sms"


class Topic(StrEnum):
    """What the worker says it is about."""

    QUESTION = "question"
    WORK = "work"  # a problem at work
    RECRUITMENT = "recruitment"  # a problem in recruitment
    EMERGENCY = "emergency"


class ConversationState(StrEnum):
    NEW = "new"  # nobody answered yet
    WAITING_FOR_US = "waiting_for_us"  # the worker wrote last
    WAITING_FOR_WORKER = "waiting_for_worker"  # a caseworker wrote last
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a conversation (or a logged call) ended."""

    INFORMATION = "information"
    REFERRED_TO_SERVICE = "referred_to_service"
    CASE_OPENED = "case_opened"
    NO_REPLY = "no_reply"
    NOT_IN_SCOPE = "not_in_scope"
    #: The worker closed it themselves, with their code.
    CLOSED_BY_WORKER = "closed_by_worker"


class MessageKind(StrEnum):
    FROM_WORKER = "from_worker"
    TO_WORKER = "to_worker"
    #: A caseworkers' note: never shown to the worker.
    NOTE = "note"


class Delivery(StrEnum):
    """Where an outbound message is (the messaging apps, issue 19); web replies are read
    on the site, so they are ``stored``."""

    STORED = "stored"
    QUEUED = "queued"
    SENDING = "sending"  # a try is under way (claimed: no second task sends it too)
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class ContactMethod(StrEnum):
    """How the worker chose to be reached."""

    PHONE = "phone"
    LINE = "line"
    VIBER = "viber"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"


conversation_categories = Table(
    "conversation_categories",
    db.metadata,
    Column(
        "conversation_id", Integer, ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "category_id", Integer, ForeignKey("issue_categories.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
    # The inbox filtered by an issue: that issue's conversations without reading the table.
    Index("ix_conversation_categories_category", "category_id", "conversation_id"),
)  # fmt: skip


class Conversation(db.Model):
    """A worker and the network talking, in one thread, owned by one CSO."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "sender_hash"),
        # The inbox: one CSO's conversations in a state, newest activity first.
        Index("ix_conversations_inbox", "owner_id", "state", "last_activity_on", "id"),
        Index("ix_conversations_owner_activity", "owner_id", "last_activity_on", "id"),
        # An admin's inbox: every CSO's conversations, newest activity first.
        Index("ix_conversations_activity", "last_activity_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The CSO whose caseworkers answer (routing rules choose it; a hand-over moves it).
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    channel: Mapped[str] = mapped_column(String(10))  # Channel
    #: The worker's language (the one they wrote in, or the site's language they used).
    language: Mapped[str] = mapped_column(String(5))
    #: The country the worker is in now (their emergency numbers, the routing rules).
    country: Mapped[str | None] = mapped_column(String(2))
    topic: Mapped[str] = mapped_column(String(12))  # Topic
    state: Mapped[str] = mapped_column(String(20), default=ConversationState.NEW)
    urgent: Mapped[bool] = mapped_column(default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The employer or agency it is about: from the directory, or typed when not listed.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(25))  # Outcome
    #: The site: HMAC of the worker's private code (core.tracking). None when the thread
    #: belongs to a review (the review's code opens it) or to a messaging app.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: A messaging app: keyed hash of the platform's sender id (issue 19).
    sender_hash: Mapped[str | None] = mapped_column(String(64))
    #: The review whose worker this thread talks with (its code opens it): staff only.
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), unique=True
    )
    #: The case opened from it: the worker follows that case in this thread.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), unique=True
    )
    opened_on: Mapped[date]
    last_activity_on: Mapped[date]
    closed_on: Mapped[date | None]

    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_id])
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    case = relationship("Case", foreign_keys=[case_id])
    categories: Mapped[list[IssueCategory]] = relationship(
        secondary=conversation_categories, order_by=IssueCategory.code
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )
    contact: Mapped[Contact | None] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )
    app_sender: Mapped[AppSender | None] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.state == ConversationState.CLOSED


class Message(db.Model):
    """One message of a thread: the worker's, a caseworker's reply, or an internal note."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # MessageKind
    #: Normalised (Zawgyi → Unicode, digits). None once the worker erased it.
    text: Mapped[str | None] = mapped_column(Text)
    #: Personal data found in a worker's message ([{"start", "end", "kind"}]): the
    #: caseworker sees it marked; nothing here is ever public.
    personal_data: Mapped[list] = mapped_column(JSON, default=list)
    #: Attachments (issue 19: voice notes, photos), stored encrypted as files.
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    delivery: Mapped[str] = mapped_column(String(10), default=Delivery.STORED)
    #: The platform's id of a message sent or received (issue 19), for delivery receipts.
    platform_id: Mapped[str | None] = mapped_column(String(100), index=True)
    #: Sent by the site itself (the greeting in a messaging app), not by a caseworker.
    automatic: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Why the platform refused a reply, in its own words (caseworkers read it).
    delivery_error: Mapped[str | None] = mapped_column(String(300))
    sent_on: Mapped[date]

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author = relationship("User")

    @property
    def erased(self) -> bool:
        return self.text is None

    @property
    def from_worker(self) -> bool:
        return self.kind == MessageKind.FROM_WORKER

    @property
    def is_note(self) -> bool:
        return self.kind == MessageKind.NOTE


class Contact(db.Model):
    """How the worker chose to be reached: encrypted, in its own table, shown only to the
    caseworkers who open the conversation (each view audited), erased when the conversation
    closes or after CONTACT_RETENTION_DAYS."""

    __tablename__ = "conversation_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[str] = mapped_column(String(10))  # ContactMethod
    value: Mapped[str] = mapped_column(EncryptedText)
    given_on: Mapped[date] = mapped_column(index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="contact")


class AppSender(db.Model):
    """Who wrote from a messaging app, as the platform knows them: needed to reply, so kept
    encrypted, in its own table, never shown to anyone (caseworkers included), and erased
    with the worker's contact (on close, on "forget me", after CONTACT_RETENTION_DAYS).
    The conversation keeps only a keyed hash of the platform's id (``sender_hash``)."""

    __tablename__ = "app_senders"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    #: The platform's id of the sender (a page-scoped id, a phone number, a chat id).
    platform_user_id: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    profile_name: Mapped[str | None] = mapped_column(EncryptedText)
    #: WhatsApp and Messenger answer freely only within 24 hours of the worker's last
    #: message: the end of that window, to the hour before (never the minute the worker
    #: wrote), encrypted like the rest (an hour is finer than the day dates keep).
    _reply_window: Mapped[str | None] = mapped_column("reply_window_until", EncryptedText)
    given_on: Mapped[date] = mapped_column(index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="app_sender")

    @property
    def reply_window_until(self) -> datetime | None:
        return datetime.fromisoformat(self._reply_window) if self._reply_window else None

    @reply_window_until.setter
    def reply_window_until(self, value: datetime | None) -> None:
        self._reply_window = value.isoformat() if value is not None else None


class SavedAnswer(db.Model):
    """A reply a CSO's caseworkers start from (a rights link, hotline numbers), per
    language."""

    __tablename__ = "saved_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)


class CallLog(db.Model):
    """A call (or a visit) a caseworker answered that did not become a conversation: counted
    with every other contact. Nothing identifies the caller."""

    __tablename__ = "call_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10), default=Channel.PHONE)
    topic: Mapped[str] = mapped_column(String(12))  # Topic
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("issue_categories.id", ondelete="RESTRICT")
    )
    language: Mapped[str] = mapped_column(String(5))
    country: Mapped[str | None] = mapped_column(String(2))
    outcome: Mapped[str] = mapped_column(String(25))  # Outcome
    minutes: Mapped[int | None]
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    logged_on: Mapped[date] = mapped_column(index=True)

    category: Mapped[IssueCategory | None] = relationship()
