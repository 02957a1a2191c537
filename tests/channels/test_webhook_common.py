"""What every webhook (/channels/<name>/webhook) does whatever the platform, over real HTTP:
an app without its credentials is not there (404 for GET and POST, nothing stored); a GET
where the platform has no address check is 405; a body over MAX_CONTENT_LENGTH is 413 and
stores nothing; no answer sets a cookie."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from goldendreams.channels.adapters import ADAPTERS
from goldendreams.channels.models import Inbound, Platform
from goldendreams.extensions import db
from goldendreams.inbox.models import AppSender, Conversation, Message
from tests.channels.conftest import API_BASES, CREDENTIALS
from tests.channels.fakes import telegram
from tests.conftest import make_config
from tests.factories import network_cso

#: This module's app has no WhatsApp credentials at all: the app is off.
OFF = Platform.WHATSAPP
TELEGRAM_HEADERS = {
    "X-Telegram-Bot-Api-Secret-Token": CREDENTIALS["TELEGRAM_SECRET_TOKEN"],
    "Content-Type": "application/json",
}


@pytest.fixture
def app_config(database_url, platform, tmp_path) -> dict:
    credentials = {k: v for k, v in CREDENTIALS.items() if not k.startswith(OFF.upper() + "_")}
    return make_config(
        database_url, **credentials,
        **{f"{name}_API_BASE": platform.base for name in API_BASES},
        SERVER_NAME=None, FILES_URL=str(tmp_path / "files"),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _network(app):
    network_cso()  # the routing rules' default owns what comes in


def stored() -> dict[str, int]:
    """What the webhooks stored: deliveries, conversations, messages, senders."""
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Inbound, Conversation, Message, AppSender)
    }


NOTHING = {"Inbound": 0, "Conversation": 0, "Message": 0, "AppSender": 0}


def signed_update(update_id: int = 9001) -> bytes:
    return json.dumps(telegram.update(update_id, 738291045, text="Hello")).encode()


# --- an app that is off -----------------------------------------------------------------------


def test_an_app_without_credentials_is_not_there(app, site):
    assert not any(app.config.get(name) for name in ADAPTERS[OFF].required)
    assert site.get(f"/channels/{OFF}/webhook", params={
        "hub.mode": "subscribe", "hub.verify_token": CREDENTIALS["WHATSAPP_VERIFY_TOKEN"],
        "hub.challenge": "1158201444",
    }).status_code == 404  # fmt: skip
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    response = site.post(f"/channels/{OFF}/webhook", content=body,
                         headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 404
    assert stored() == NOTHING


@pytest.mark.parametrize("name", [p for p in Platform if p != OFF], ids=str)
def test_each_app_is_off_once_one_of_its_settings_is_empty(app, site, name):
    """Every required setting counts: the app with one of them empty answers 404 too."""
    for setting in ADAPTERS[Platform(name)].required:
        kept = app.config[setting]
        app.config[setting] = ""
        try:
            assert site.get(f"/channels/{name}/webhook").status_code == 404, setting
            response = site.post(f"/channels/{name}/webhook", content=signed_update(),
                                 headers=TELEGRAM_HEADERS)  # fmt: skip
            assert response.status_code == 404, setting
        finally:
            app.config[setting] = kept
    assert stored() == NOTHING


def test_an_unknown_app_is_not_there(site):
    assert site.get("/channels/signal/webhook").status_code == 404
    assert site.post("/channels/signal/webhook", content=b"{}").status_code == 404


# --- the address check, the body limit, cookies ------------------------------------------------


def test_a_get_where_the_platform_checks_nothing_is_not_allowed(site):
    """Telegram never GETs its webhook: only Meta checks the address first."""
    assert not ADAPTERS[Platform.TELEGRAM].has_challenge
    response = site.get("/channels/telegram/webhook", headers=TELEGRAM_HEADERS)
    assert response.status_code == 405
    assert stored() == NOTHING


def test_a_body_over_the_limit_is_refused_and_nothing_is_stored(app, site):
    limit = app.config["MAX_CONTENT_LENGTH"]
    update = telegram.update(9002, 738291045, text="x" * (limit + 1))
    body = json.dumps(update).encode()
    assert len(body) > limit
    response = site.post("/channels/telegram/webhook", content=body, headers=TELEGRAM_HEADERS)
    assert response.status_code == 413
    assert stored() == NOTHING


def test_a_webhook_sets_no_cookie(site, platform):
    answers = [
        site.post("/channels/telegram/webhook", content=signed_update(9003),
                  headers=TELEGRAM_HEADERS),
        site.post("/channels/telegram/webhook", content=signed_update(9004),
                  headers={"X-Telegram-Bot-Api-Secret-Token": "wrong",
                           "Content-Type": "application/json"}),
        site.get("/channels/telegram/webhook"),
        site.get(f"/channels/{OFF}/webhook"),
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [200, 403, 405, 404]
    for answer in answers:
        assert "set-cookie" not in answer.headers, answer.request.url
    # The accepted one did arrive (so the cookie check looked at a real delivery).
    assert stored()["Inbound"] == 1 and stored()["Conversation"] == 1
    assert not site.cookies
