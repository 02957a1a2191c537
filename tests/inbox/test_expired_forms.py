"""A worker whose form expired (a phone left for hours on the page) gets back what they
typed, ready to send again; nothing is stored. Staff forms never echo what was posted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox.models import Conversation, Message
from tests.factories import ConversationFactory, network_cso


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_an_expired_ask_keeps_the_message(client, csrf_on):
    network_cso()
    typed = {"topic": "work", "country": "TH", "text": "They took our passports <b>today</b>.",
             "csrf_token": "expired"}  # fmt: skip
    response = client.post("/ask", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "They took our passports &lt;b&gt;today&lt;/b&gt;." in page  # kept, escaped
    assert '<textarea id="kept-text" name="text"' in page
    assert 'name="topic" value="work"' in page and 'name="csrf_token"' in page
    assert 'value="expired"' not in page  # a fresh token, not the old one
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0


def test_writing_again_with_an_expired_form_keeps_the_text(client, csrf_on):
    conversation = ConversationFactory()
    response = client.post(
        "/check/write", data={"code": "7KQM-R2XD-9PWA", "text": "One more thing."}
    )
    assert response.status_code == 400
    assert "One more thing." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    assert conversation.messages == []


def test_a_staff_form_that_expired_echoes_nothing(app, client, login_as):
    login_as(Role.CASEWORKER)
    conversation = ConversationFactory()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            f"/inbox/{conversation.id}/reply", data={"text": "Posted from another site"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "Posted from another site" not in response.get_data(as_text=True)
    assert conversation.messages == []
