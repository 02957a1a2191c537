"""A caseworker answers a worker who wrote from a messaging app, through the inbox's own
form: the reply leaves through the app (to a local fake of its API) and the thread shows
where it is; when it cannot leave (WhatsApp's 24 hours are over, the app is off, the
worker's app details are erased) the page says why above the kept reply box, and a reply
sent anyway comes back with its text and nothing stored. The worker's platform identity
(id, phone, profile name, its keyed hash) shows on no page, list, log or export of any
staff member; the public figures count app conversations under their app."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.channels import sending
from goldendreams.core import tracking
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import figures
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import AppSender, Conversation, Delivery, Message, MessageKind
from tests.channels.conftest import API_BASES, CREDENTIALS
from tests.channels.fakes import all_platforms
from tests.conftest import login, make_config
from tests.factories import (
    ConversationFactory,
    MessageFactory,
    OrganisationFactory,
    UserFactory,
    network_cso,
)

#: The worker as the platform knows them: none of it may show anywhere.
USER_ID = "7382910451"
PHONE = "+95 9 400 123 987"
PROFILE_NAME = "Zarni Hsuwaddy"


@pytest.fixture
def fake():
    """Every platform's API, on one local server."""
    server = all_platforms(CREDENTIALS).start()
    yield server
    server.stop()


@pytest.fixture
def app_config(database_url, fake, tmp_path) -> dict:
    return make_config(
        database_url, **CREDENTIALS, **{f"{name}_API_BASE": fake.base for name in API_BASES},
        FILES_URL=str(tmp_path / "files"),
    )  # fmt: skip


def app_conversation(channel: str = "telegram", window: datetime | None = None,
                     sender: bool = True, **extra) -> Conversation:  # fmt: skip
    """A worker's conversation from an app, with their message and (unless erased) their
    platform identity, waiting for the network's CSO."""
    conversation = ConversationFactory(
        channel=channel, code_hash=None, state="waiting_for_us",
        sender_hash=tracking.keyed_hash(f"{channel}:{USER_ID}"), **extra,
    )  # fmt: skip
    MessageFactory(conversation=conversation, text="Ko Aung kept my passport. Help me.")
    if sender:
        db.session.add(AppSender(
            conversation=conversation, platform_user_id=USER_ID, phone=PHONE,
            profile_name=PROFILE_NAME, reply_window_until=window, given_on=today(),
        ))  # fmt: skip
    db.session.commit()
    return conversation


def caseworker(client):
    user = UserFactory(role="caseworker", organisation=network_cso())
    login(client, user)
    return user


def deliveries(page: str) -> list[str]:
    return [html.unescape(s) for s in re.findall(r'<p class="meta delivery">([^<]*)</p>', page)]


def replies(conversation: Conversation) -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(Message).filter_by(conversation_id=conversation.id, kind="to_worker")
    ))  # fmt: skip


# --- replies through the app -------------------------------------------------------------------


def test_a_reply_from_the_form_leaves_through_the_app_and_shows_it_was_sent(client, fake):
    conversation = app_conversation()
    caseworker(client)
    response = client.post(f"/inbox/{conversation.id}/reply",
                           data={"reply-text": "We can help you. Call 1506."})  # fmt: skip
    assert response.status_code == 302

    (sent,) = fake.calls(r"/sendMessage$")
    assert sent.json["chat_id"] == USER_ID and sent.json["text"] == "We can help you. Call 1506."
    (reply,) = replies(conversation)
    assert (reply.delivery, reply.delivery_error) == (Delivery.SENT, None)
    assert reply.platform_id
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert deliveries(page) == ["Sent to the app"]
    assert "Sent to the worker." in page


def test_a_reply_the_platform_refuses_shows_its_reason(client, fake):
    conversation = app_conversation()
    fake.telegram.blocked.add(USER_ID)
    caseworker(client)
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": "Hello?"})
    assert response.status_code == 302
    (reply,) = replies(conversation)
    assert reply.delivery == Delivery.FAILED
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert deliveries(page) == ["Not sent: Telegram: Forbidden: bot was blocked by the user"]


def test_each_delivery_state_has_its_words(client):
    conversation = app_conversation()
    for delivery, error in [
        ("queued", None), ("sent", None), ("delivered", None), ("read", None),
        ("failed", "(#131047) Re-engagement message"), ("failed", None),
    ]:  # fmt: skip
        MessageFactory(conversation=conversation, kind="to_worker", text="A reply",
                       delivery=delivery, delivery_error=error)  # fmt: skip
    MessageFactory(conversation=conversation, kind="note", text="A note", delivery="stored")
    caseworker(client)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert deliveries(page) == [
        "Waiting to be sent", "Sent to the app", "Delivered", "Read",
        "Not sent: (#131047) Re-engagement message", "Not sent",
    ]  # fmt: skip


def test_a_conversation_on_the_site_shows_nothing_new(client):
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation)
    caseworker(client)
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": "Hello."})
    assert response.status_code == 302
    (reply,) = replies(conversation)
    assert reply.delivery == Delivery.STORED
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert deliveries(page) == []
    assert 'class="notice warn"' not in page


# --- replies that cannot leave -----------------------------------------------------------------


def refused(client, conversation: Conversation, reason: str, fake) -> None:
    """The page says why before anything is typed, keeps the reply box, and a reply sent
    anyway comes back with its text, the same reason, and nothing stored or sent."""
    caseworker(client)
    page = html.unescape(client.get(f"/inbox/{conversation.id}").get_data(as_text=True))
    assert f'<p class="notice warn" role="status">{reason}</p>' in page
    assert 'name="reply-text"' in page  # the box stays: nothing typed is lost

    typed = "Ko Aung must give it back; we will call the agency today."
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert page.count(reason) == 1  # said once, as the reply's error
    assert re.search(r'<textarea[^>]*name="reply-text"[^>]*>\s*' + re.escape(typed), page)
    assert replies(conversation) == []
    assert fake.requests == []


def test_whatsapp_after_its_24_hours_says_so_and_keeps_the_text(client, fake):
    conversation = app_conversation(
        "whatsapp", window=datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        - timedelta(hours=1),
    )  # fmt: skip
    reason = str(sending.WINDOW_CLOSED % {"app": "WhatsApp"})
    assert "WhatsApp" in reason and "24 hours" in reason
    refused(client, conversation, reason, fake)


def test_whatsapp_within_its_24_hours_says_nothing(client):
    conversation = app_conversation("whatsapp", window=datetime.now(UTC) + timedelta(hours=3))
    caseworker(client)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "24 hours" not in page
    assert 'class="notice warn"' not in page


def test_an_app_turned_off_says_so_and_keeps_the_text(app, client, fake):
    conversation = app_conversation()
    app.config["TELEGRAM_BOT_TOKEN"] = ""
    refused(client, conversation, str(sending.APP_OFF), fake)


def test_erased_app_details_say_so_and_keep_the_text(client, fake):
    conversation = app_conversation(sender=False)
    refused(client, conversation, str(sending.UNREACHABLE), fake)


# --- the worker's platform identity shows nowhere ------------------------------------------------

#: What staff pages lead to: followed from the seeds, within these paths.
STAFF_PATHS = ("/inbox", "/cases", "/staff", "/moderation", "/metrics")
MAX_PAGES = 400


def crawl(client, seeds: list[str]) -> dict[str, tuple[int, str]]:
    """GET every seed and every staff link it leads to; url -> (status, headers and body)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(seeds)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl does not end"
        response = client.get(url)
        text = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        text += "\n" + response.get_data(as_text=True)
        seen[url] = (response.status_code, text)
        if response.status_code == 200 and response.mimetype == "text/html":
            for href in re.findall(r'href="([^"]+)"', text):
                parts = urlsplit(html.unescape(href))
                if parts.netloc in ("", "localhost") and parts.path.startswith(STAFF_PATHS):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def squash(text: str) -> str:
    return re.sub(r"[\s\-.()+/]", "", text).casefold()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ADMIN, Role.MODERATOR], ids=str)
def test_the_platform_identity_shows_on_no_page_list_log_or_export(client, fake, role):
    taxonomy.load()
    conversation = app_conversation()
    cso_caseworker = UserFactory(role="caseworker", organisation=network_cso())
    inbox.reply(conversation, cso_caseworker, "We can help you.")  # sent through the app
    case = inbox.open_case(conversation, cso_caseworker, OrganisationFactory(), ["FEE-01"],
                           "high", 1, "Passport kept by the employer")  # fmt: skip
    inbox.add_note(conversation, cso_caseworker, "Asked the employer.")
    sender_hash = conversation.sender_hash
    user = cso_caseworker if role == Role.CASEWORKER else UserFactory(role=role.value)
    login(client, user)

    seeds = [
        "/staff/", "/inbox/", f"/inbox/{conversation.id}", "/inbox/?channel=telegram",
        f"/cases/{case.id}", "/cases/", "/cases/export.csv", "/staff/audit/",
        "/staff/audit/export.csv", "/metrics",
    ]  # fmt: skip
    pages = crawl(client, seeds)
    secrets = [USER_ID, squash(PHONE), PHONE, PROFILE_NAME, "Hsuwaddy", sender_hash,
               sender_hash[:16]]  # fmt: skip
    found = {
        url: [s for s in secrets if s in text or s in squash(html.unescape(text))]
        for url, (_status, text) in pages.items()
    }
    assert {url: bad for url, bad in found.items() if bad} == {}

    # The crawl saw what each reader may see (so the search above looked at real pages).
    reached = {url for url, (status, _text) in pages.items() if status == 200}
    if role == Role.MODERATOR:
        assert pages[f"/inbox/{conversation.id}"][0] == 403
        assert "/staff/audit/" not in reached
    else:
        assert {f"/inbox/{conversation.id}", "/inbox/", f"/cases/{case.id}",
                "/cases/export.csv"} <= reached  # fmt: skip
        thread = pages[f"/inbox/{conversation.id}"][1]
        assert "Telegram" in thread and "Ko Aung kept my passport" in thread
        assert "We can help you." in thread and deliveries(thread) == ["Sent to the app"]
    if role == Role.ADMIN:
        assert {"/staff/audit/", "/staff/audit/export.csv"} <= reached
    print(f"\n{role}: {len(pages)} responses checked, {len(reached)} pages")


# --- public figures ----------------------------------------------------------------------------


def test_app_conversations_count_under_their_app_on_the_public_page(client):
    yesterday = today() - timedelta(days=1)
    for number in range(3):
        conversation = ConversationFactory(
            channel="telegram", code_hash=None, opened_on=yesterday, language="my",
            sender_hash=tracking.keyed_hash(f"telegram:{USER_ID}{number}"),
        )  # fmt: skip
        db.session.add(AppSender(
            conversation=conversation, platform_user_id=USER_ID + str(number), phone=PHONE,
            profile_name=PROFILE_NAME, given_on=yesterday,
        ))  # fmt: skip
    for _ in range(4):
        ConversationFactory(channel="web", opened_on=yesterday, language="my")
    db.session.commit()
    assert sorted(figures.public_contacts()["by_channel"]) == [("Telegram", 3), ("This website", 4)]

    page = client.get("/metrics").get_data(as_text=True)
    section = page.split("Workers who contacted us", 1)[1]
    by_channel = section.split("Contacts by channel", 1)[1].split("</table>", 1)[0]
    assert re.search(r"Telegram</th>\s*<td><svg[^>]*>.*?</svg> 3</td>", by_channel, re.S)
    hashes = db.session.scalars(select(Conversation.sender_hash).where(
        Conversation.sender_hash.is_not(None)
    )).all()  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(AppSender)) == 3
    for secret in [USER_ID, PROFILE_NAME, squash(PHONE), *hashes, *(h[:16] for h in hashes)]:
        assert secret not in page and secret not in squash(page)


def test_the_greeting_says_it_was_sent_automatically(client, login_as):
    conversation = ConversationFactory(channel="telegram", sender_hash="c" * 64)
    db.session.add(Message(conversation=conversation, kind=MessageKind.TO_WORKER, text="Hello",
                           automatic=True, delivery=Delivery.SENT, sent_on=today()))  # fmt: skip
    db.session.commit()
    login_as(Role.CASEWORKER, conversation.owner)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "Sent automatically" in page
