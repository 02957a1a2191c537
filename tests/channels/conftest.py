"""The channels' tests: the app with every platform's credentials set and its API base
pointing at a local fake platform (fakes.py), served over real HTTP from a thread, so tests
post signed deliveries exactly as each platform does.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from werkzeug.serving import make_server

from tests.conftest import make_config

#: Every platform's credentials (tests sign with these).
CREDENTIALS = {
    "MESSENGER_APP_SECRET": "messenger-app-secret",
    "MESSENGER_PAGE_TOKEN": "messenger-page-token",
    "MESSENGER_VERIFY_TOKEN": "messenger-verify-token",
    "WHATSAPP_APP_SECRET": "whatsapp-app-secret",
    "WHATSAPP_TOKEN": "whatsapp-token",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp-verify-token",
    "VIBER_AUTH_TOKEN": "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9",
    "LINE_CHANNEL_SECRET": "line-channel-secret",
    "LINE_ACCESS_TOKEN": "line-access-token",
    "TELEGRAM_BOT_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret-token",
    "SMS_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "SMS_AUTH_TOKEN": "sms-auth-token",
    "SMS_FROM": "+66800000000",
}
API_BASES = ("MESSENGER", "WHATSAPP", "VIBER", "LINE", "TELEGRAM", "SMS")


@pytest.fixture
def platform():
    """One fake server for every platform (their paths do not overlap): see fakes.py."""
    from tests.channels.fakes import all_platforms

    fake = all_platforms(CREDENTIALS).start()
    yield fake
    fake.stop()


@pytest.fixture
def app_config(database_url, platform, tmp_path) -> dict:
    return make_config(
        database_url, **CREDENTIALS,
        **{f"{name}_API_BASE": platform.base for name in API_BASES},
        SERVER_NAME=None, FILES_URL=str(tmp_path / "files"),
    )  # fmt: skip


@pytest.fixture
def site(app):
    """The app on a free port of 127.0.0.1, over real HTTP; yields an httpx client on it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Keep a list of the request threads, so the app is not torn down (its connections
    # disposed) under a request still finishing (tests/browser/conftest.py does the same).
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["SITE_URL"] = base
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client
    server.shutdown()
    thread.join(timeout=5)
    for request_thread in list(server._threads or ()):
        request_thread.join(timeout=10)
