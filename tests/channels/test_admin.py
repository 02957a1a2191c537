"""The channels for admins (/staff/channels) and operators (`flask channels`): each
platform on or off with the settings it lacks named (never a credential's value), the
webhook address built on SITE_URL, who owns each account (audited), the conversations of
the last 30 days; nobody but admins gets in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.channels import queries
from goldendreams.channels.models import ChannelAccount, Platform
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes import telegram
from tests.factories import AgencyFactory, ConversationFactory, CsoFactory, network_cso

SITE = "https://help.example.org"
LABELS = ["Messenger", "WhatsApp", "Viber", "LINE", "Telegram", "Text message (SMS)"]


@pytest.fixture(autouse=True)
def _site_url(app):
    app.config["SITE_URL"] = SITE + "/"  # a trailing slash is not doubled


def section(page: str, platform: str) -> str:
    """The part of the page about one platform."""
    return page.split(f'id="{platform}"', 1)[1].split("</section>", 1)[0]


def test_admins_see_every_platform_its_state_and_its_webhook(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/staff/channels/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for label in LABELS:
        assert label in page
    for platform in Platform:
        part = section(page, platform)
        assert f"{SITE}/channels/{platform}/webhook" in part
        assert "On" in part and "Settings missing" not in part
    # Telegram takes its address through its API; Meta's apps in their dashboard.
    assert "flask channels webhook telegram" in section(page, "telegram")
    # Credentials are never shown, whatever their length.
    for value in CREDENTIALS.values():
        assert value not in page


def test_an_app_without_its_settings_is_off_and_says_which_by_name(app, client, login_as):
    app.config["VIBER_AUTH_TOKEN"] = ""
    app.config["LINE_ACCESS_TOKEN"] = None
    login_as(Role.ADMIN)
    page = client.get("/staff/channels/").get_data(as_text=True)
    viber, line = section(page, "viber"), section(page, "line")
    assert "Off" in viber and "GOLDENDREAMS_VIBER_AUTH_TOKEN" in viber
    assert "Off" in line and "GOLDENDREAMS_LINE_ACCESS_TOKEN" in line
    assert "GOLDENDREAMS_LINE_CHANNEL_SECRET" not in line  # that one is set
    assert "Settings missing" not in section(page, "telegram")
    assert CREDENTIALS["LINE_CHANNEL_SECRET"] not in page


def test_an_admin_gives_an_account_to_a_cso_and_back_to_the_network(client, login_as):
    cso = CsoFactory(name="Mekong Migrant Aid")
    admin = login_as(Role.ADMIN)
    page = client.get("/staff/channels/").get_data(as_text=True)
    assert "The network (routing rules)" in section(page, "viber")
    assert "Mekong Migrant Aid" in section(page, "viber")  # a choice in the list

    response = client.post("/staff/channels/viber/owner", data={"viber-owner_id": str(cso.id)})
    assert response.status_code == 302
    assert db.session.get(ChannelAccount, "viber").owner_id == cso.id
    entry = db.session.scalars(select(AuditLog).filter_by(action="channel.owner")).one()
    assert entry.actor_id == admin.id
    page = client.get("/staff/channels/").get_data(as_text=True)
    assert "Saved." in page
    assert re.search(rf'<option selected value="{cso.id}">Mekong Migrant Aid', page)
    assert "Answered by</dt>\n<dd>Mekong Migrant Aid" in section(page, "viber")
    assert "Answered by</dt>\n<dd>The network" in section(page, "line")

    response = client.post("/staff/channels/viber/owner", data={"viber-owner_id": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ChannelAccount, "viber").owner_id is None
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) >= 2


@pytest.mark.parametrize(
    "data",
    [{}, {"viber-owner_id": "abc"}, {"viber-owner_id": "999999"}, {"viber-owner_id": "agency"}],
    ids=["nothing", "not-a-number", "no-such-organisation", "an-agency"],
)
def test_only_a_cso_of_the_network_can_own_an_account(client, login_as, data):
    login_as(Role.ADMIN)
    if data.get("viber-owner_id") == "agency":
        data = {"viber-owner_id": str(AgencyFactory().id)}
    response = client.post("/staff/channels/viber/owner", data=data)
    assert response.status_code == 302
    assert db.session.get(ChannelAccount, "viber") is None
    page = client.get("/staff/channels/").get_data(as_text=True)
    assert "Choose an organisation of the network from the list." in page


def test_an_unknown_platform_is_not_found(client, login_as):
    login_as(Role.ADMIN)
    assert client.post("/staff/channels/signal/owner", data={}).status_code == 404


def test_conversations_of_the_last_30_days_are_counted_per_app(client, login_as):
    for _ in range(3):
        ConversationFactory(channel="telegram", code_hash=None)
    ConversationFactory(channel="telegram", code_hash=None, opened_on=today() - timedelta(29))
    old = today() - timedelta(days=30)
    ConversationFactory(channel="telegram", code_hash=None, opened_on=old, last_activity_on=old)
    ConversationFactory(channel="viber", code_hash=None, opened_on=old)  # active since
    ConversationFactory(channel="web")
    assert queries.recent_conversations() == {
        "messenger": 0, "whatsapp": 0, "viber": 0, "line": 0, "telegram": 4, "sms": 0,
    }  # fmt: skip
    login_as(Role.ADMIN)
    page = client.get("/staff/channels/").get_data(as_text=True)
    assert re.search(r"in the last 30 days</dt>\n<dd>4</dd>", section(page, "telegram"))
    assert re.search(r"in the last 30 days</dt>\n<dd>0</dd>", section(page, "viber"))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN], ids=str)
def test_nobody_else_gets_in(client, login_as, role):
    login_as(role)
    assert client.get("/staff/channels/").status_code == 403
    data = {"telegram-owner_id": str(network_cso().id)}
    assert client.post("/staff/channels/telegram/owner", data=data).status_code == 403
    assert db.session.get(ChannelAccount, "telegram") is None
    assert "/staff/channels" not in client.get("/staff/").get_data(as_text=True)


def test_anonymous_readers_go_to_the_login_page(client):
    response = client.get("/staff/channels/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_staff_home_links_admins_to_it(client, login_as):
    login_as(Role.ADMIN)
    assert 'href="/staff/channels/"' in client.get("/staff/").get_data(as_text=True)


# --- flask channels ---------------------------------------------------------------------------


def test_status_prints_each_platform_and_its_webhook(app):
    app.config["SMS_AUTH_TOKEN"] = ""
    result = app.test_cli_runner().invoke(args=["channels", "status"])
    assert result.exit_code == 0, result.output
    for platform in Platform:
        assert re.search(rf"^{platform} +(on|off) +{SITE}/channels/{platform}/webhook$",
                         result.output, re.M)  # fmt: skip
    assert re.search(r"^sms +off ", result.output, re.M)
    assert re.search(r"^telegram +on ", result.output, re.M)
    assert "not set: GOLDENDREAMS_SMS_AUTH_TOKEN" in result.output
    for value in CREDENTIALS.values():
        assert value not in result.output


def test_webhook_registers_the_address_with_telegram(app, platform):
    result = app.test_cli_runner().invoke(args=["channels", "webhook", "telegram"])
    assert result.exit_code == 0, result.output
    assert f"{SITE}/channels/telegram/webhook: Telegram: webhook set" in result.output
    registered = platform.telegram.webhook
    assert registered["url"] == f"{SITE}/channels/telegram/webhook"
    assert registered["secret_token"] == CREDENTIALS["TELEGRAM_SECRET_TOKEN"]
    assert CREDENTIALS["TELEGRAM_BOT_TOKEN"] not in result.output


def test_webhook_prints_the_platforms_refusal(app, platform):
    platform.fail_next(telegram.error(400, "Bad Request: bad webhook: HTTPS url must be provided"))
    result = app.test_cli_runner().invoke(args=["channels", "webhook", "telegram"])
    assert result.exit_code == 1
    assert "telegram: Telegram: Bad Request: bad webhook: HTTPS url must be provided" in (
        result.output
    )
    assert platform.telegram.webhook == {}
    assert CREDENTIALS["TELEGRAM_BOT_TOKEN"] not in result.output


def test_webhook_of_an_app_that_is_off_names_the_missing_settings(app, platform):
    app.config["TELEGRAM_SECRET_TOKEN"] = ""
    result = app.test_cli_runner().invoke(args=["channels", "webhook", "telegram"])
    assert result.exit_code == 1
    assert "telegram is off: set GOLDENDREAMS_TELEGRAM_SECRET_TOKEN" in result.output
    assert platform.calls() == []


def test_webhook_of_an_app_set_in_its_console_says_so(app, platform):
    console = [s.platform for s in queries.platform_states(app.config)
               if not s.registers_by_command]  # fmt: skip
    if not console:
        pytest.skip("every platform registers through its API")
    result = app.test_cli_runner().invoke(args=["channels", "webhook", str(console[0])])
    assert result.exit_code == 1
    assert "console" in result.output and "README" in result.output


def test_webhook_refuses_an_unknown_platform(app):
    result = app.test_cli_runner().invoke(args=["channels", "webhook", "signal"])
    assert result.exit_code == 2
