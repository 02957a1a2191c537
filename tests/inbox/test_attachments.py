"""A worker's voice notes, photos and files in the inbox: served only to the caseworkers of
their conversation (another CSO's: 404, as for a key that does not exist; roles without an
inbox: 403, as on every inbox page), never cached,
never run by the browser; shown in the thread as a player, a picture or a link; and
erased with the worker's words (they erase them, ask an app to forget them, or withdraw
the review the thread came from).
"""

from __future__ import annotations

import io
import secrets
from urllib.parse import urlsplit

import pytest
from PIL import Image

from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import file_views, from_apps, services
from goldendreams.inbox.models import Message
from tests.conftest import TEST_PASSWORD, login, make_config
from tests.factories import (
    ConversationFactory,
    CsoFactory,
    MessageFactory,
    ReviewFactory,
    UserFactory,
)

VOICE = b"OggS\x00\x02" + bytes(range(256)) * 4  # 1 KB and a little


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return make_config(database_url, FILES_URL=str(tmp_path / "files"))


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


def kept(kind: str, data: bytes, mime: str) -> dict:
    return {"kind": kind, "key": files.store(data), "mime": mime, "size": len(data)}


def app_conversation(**given):
    """A conversation from Telegram whose worker sent a voice note, a photo, a video, a PDF,
    a file that says it is a web page, one too large and one the app would not give."""
    conversation = ConversationFactory(channel="telegram", code_hash=None,
                                       sender_hash=secrets.token_hex(32), **given)  # fmt: skip
    message = MessageFactory(conversation=conversation, text="", attachments=[
        kept("voice", VOICE, "audio/ogg"),
        kept("photo", jpeg(), "image/jpeg"),
        kept("video", b"\x00\x00\x00\x18ftypmp42 video", "video/mp4"),
        kept("document", b"%PDF-1.4 contract", "application/pdf"),
        kept("document", b"<script>alert(1)</script>", "text/html"),
        {"kind": "video", "missing": "too_large"},
        {"kind": "photo", "missing": "failed"},
    ])  # fmt: skip
    db.session.commit()
    return conversation, message


def url(conversation, entry: dict) -> str:
    return f"/inbox/{conversation.id}/files/{entry['key']}"


# --- who gets a file -------------------------------------------------------------------------


def test_the_conversations_caseworker_gets_each_file_with_safe_headers(client, login_as):
    conversation, message = app_conversation()
    login_as(Role.CASEWORKER)
    voice, photo, video, pdf, html = message.attachments[:5]
    for entry, mime in ((voice, "audio/ogg"), (photo, "image/jpeg"), (video, "video/mp4")):
        response = client.get(url(conversation, entry))
        assert response.status_code == 200
        assert response.mimetype == mime
        assert response.data == files.load(entry["key"])
        assert response.headers["Content-Disposition"] == "inline"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert "ETag" not in response.headers
    for entry, body in ((pdf, b"%PDF-1.4 contract"), (html, b"<script>alert(1)</script>")):
        response = client.get(url(conversation, entry))
        assert response.status_code == 200
        assert response.data == body
        assert response.mimetype == "application/octet-stream"
        assert response.headers["Content-Disposition"] == 'attachment; filename="attachment"'
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_voice_note_plays_in_pieces(client, login_as):
    """Players (Safari's above all) ask for byte ranges."""
    conversation, message = app_conversation()
    login_as(Role.CASEWORKER)
    response = client.get(
        url(conversation, message.attachments[0]), headers={"Range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert response.data == VOICE[:100]
    assert response.headers["Content-Range"] == f"bytes 0-99/{len(VOICE)}"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_admins_handle_every_conversation_and_get_its_files(client, login_as):
    conversation, message = app_conversation()
    login_as(Role.ADMIN)
    assert client.get(url(conversation, message.attachments[1])).status_code == 200


@pytest.mark.parametrize(
    "who",
    ["other_cso", Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND, Role.MODERATOR,
     Role.GOVERNMENT, Role.ASSOCIATION, Role.MOBILIZER],
    ids=str,
)  # fmt: skip
def test_nobody_else_learns_that_a_file_is_there(client, login_as, who):
    conversation, message = app_conversation()
    if who == "other_cso":
        login_as(Role.CASEWORKER, CsoFactory())
    else:
        login_as(who)
    real = client.get(url(conversation, message.attachments[1]))
    made_up = client.get(f"/inbox/{conversation.id}/files/{'0' * 32}")
    no_conversation = client.get(f"/inbox/999999/files/{message.attachments[1]['key']}")
    # Another CSO's caseworker: not found; a role without an inbox: refused, as on every
    # inbox page. Either way the same answer for a real file, a made-up one and none.
    status = 404 if who == "other_cso" else 403
    assert real.status_code == made_up.status_code == no_conversation.status_code == status
    assert real.mimetype == made_up.mimetype == "text/html"  # the site's error page


def test_anonymous_readers_go_to_the_login_page(client):
    conversation, message = app_conversation()
    response = client.get(url(conversation, message.attachments[1]))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_a_password_alone_opens_no_file(client):
    """The second step of the login comes first, as for every staff page."""
    conversation, message = app_conversation()
    user = UserFactory(role="caseworker")
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    response = client.get(url(conversation, message.attachments[1]))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path.startswith("/login")


def test_a_caseworker_who_must_still_enrol_is_sent_to_enrolment(client):
    conversation, message = app_conversation()
    login(client, UserFactory(role="caseworker", second_factor=False))
    response = client.get(url(conversation, message.attachments[1]))
    assert response.status_code == 302
    assert "/login" not in response.headers["Location"]


def test_a_key_must_be_one_of_this_conversations(client, login_as):
    conversation, _message = app_conversation()
    other, other_message = app_conversation()  # the same CSO's: the caseworker handles both
    login_as(Role.CASEWORKER)
    theirs = other_message.attachments[1]
    assert client.get(url(other, theirs)).status_code == 200
    assert client.get(url(conversation, theirs)).status_code == 404
    for key in ("0" * 32, "..%2F..%2Fsecret", "not-a-key", "ffff"):
        assert client.get(f"/inbox/{conversation.id}/files/{key}").status_code == 404


def test_a_file_erased_since_the_page_was_drawn_is_gone(client, login_as):
    conversation, message = app_conversation()
    login_as(Role.CASEWORKER)
    files.delete(message.attachments[1]["key"])
    assert client.get(url(conversation, message.attachments[1])).status_code == 404


# --- the thread ------------------------------------------------------------------------------


def test_the_thread_shows_players_pictures_and_links(client, login_as):
    conversation, message = app_conversation()
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    voice, photo, video, pdf, html = (url(conversation, e) for e in message.attachments[:5])
    assert f'<audio controls preload="none" src="{voice}">' in page
    assert f'<a href="{voice}">' in page  # for a browser without a player
    assert f'<img loading="lazy" alt="A photo the worker sent" src="{photo}">' in page
    assert f'<a href="{photo}">' in page
    assert f'<video controls preload="none" src="{video}">' in page
    assert f'<a href="{pdf}" download>Download the file (0.1 MB)</a>' in page
    assert f'<a href="{html}" download>' in page
    assert "A file came but it was too large to keep." in page
    assert "A file came but could not be fetched from the app." in page
    assert 'class="attachments"' in page


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ({"kind": "voice", "key": "k", "mime": "application/octet-stream"}, "download"),
        ({"kind": "photo", "key": "k", "mime": "image/svg+xml"}, "download"),
        ({"kind": "document", "key": "k", "mime": "image/png"}, "download"),
        ({"kind": "video", "key": "k", "mime": "audio/mp4"}, "audio"),
        ({"kind": "photo", "key": "k", "mime": "image/webp"}, "image"),
        ({"kind": "voice", "missing": "too_large"}, "too_large"),
        ({"kind": "voice", "missing": "failed"}, "failed"),
        ({"kind": "voice"}, None),
        ("not an entry", None),
    ],
)
def test_each_entry_is_shown_as_it_is_served(entry, shown):
    assert file_views.shown_as(entry) == shown


def test_a_thread_without_files_shows_none(client, login_as):
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation)
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert 'class="attachments"' not in page and "/files/" not in page


# --- erased with the worker's words ----------------------------------------------------------


def _gone(message: Message, keys: list[str]) -> None:
    db.session.refresh(message)
    assert message.attachments == []
    for key in keys:
        with pytest.raises(FileNotFoundError):
            files.load(key)


def _keys(message: Message) -> list[str]:
    keys = [entry["key"] for entry in message.attachments if "key" in entry]
    assert len(keys) == 5
    for key in keys:
        files.load(key)  # there before
    return keys


def test_the_worker_erasing_their_words_erases_their_files(client, login_as):
    conversation, message = app_conversation()
    keys = _keys(message)
    services.worker_erases(conversation)
    _gone(message, keys)
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "/files/" not in page and "A file came" not in page
    assert client.get(f"/inbox/{conversation.id}/files/{keys[1]}").status_code == 404


def test_forget_me_from_the_app_erases_the_files(app):
    conversation, message = app_conversation()
    keys = _keys(message)
    from_apps.forget(conversation)
    _gone(message, keys)
    assert conversation.sender_hash is None and conversation.is_closed


def test_a_withdrawn_review_takes_its_threads_files(app):
    review = ReviewFactory()
    conversation, message = app_conversation(review_id=review.id)
    keys = _keys(message)
    services.review_withdrawn(review.id)
    _gone(message, keys)
    assert conversation.is_closed


def test_other_conversations_files_stay(app):
    conversation, _message = app_conversation()
    _other, other_message = app_conversation()
    services.worker_erases(conversation)
    for entry in other_message.attachments[:5]:
        assert files.load(entry["key"])
