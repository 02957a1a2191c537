"""A live server on a free local port and a headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (or GOLDENDREAMS_CHROMIUM). Without it these tests
are skipped, unless GOLDENDREAMS_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from goldendreams.config import PROJECT_ROOT

ARTIFACTS = Path(os.environ.get("GOLDENDREAMS_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("GOLDENDREAMS_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        message = "Chromium is not installed (apt-get install chromium fonts-noto-core)"
        if os.environ.get("GOLDENDREAMS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """Serve the test app (with demo data) from a thread; yields its base URL."""
    app.test_cli_runner().invoke(args=["demo"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Keep a list of the request threads, so the app is not torn down (its connections
    # closed) under a request that is still running.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    for request_thread in list(server._threads or ()):
        request_thread.join(timeout=10)


@pytest.fixture
def phone(browser):
    """A 360x640 phone-sized page."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
