"""A live server on a free local port and a headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (or GOLDENDREAMS_CHROMIUM). Without it these tests
are skipped, unless GOLDENDREAMS_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from goldendreams import create_app
from goldendreams.config import PROJECT_ROOT
from goldendreams.extensions import db, limiter
from tests.conftest import empty_tables, make_config

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


@contextmanager
def serving(app) -> Iterator[str]:
    """Load the demo data and serve ``app`` from a thread; yields its base URL."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Keep a list of the request threads, so the app is not torn down (its connections
    # closed) under a request that is still running.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        for request_thread in list(server._threads or ()):
            request_thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    """A server of its own for a test that writes (a review, a login, a password)."""
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def shared_live_server(_schema, database_url):
    """One server with the demo data for all the read-only tests of a module: loading the
    demo for each test took most of their time. Tests that write must use ``live_server``
    (and live in another module: its teardown empties the tables this one reads)."""
    app = create_app(make_config(database_url))
    with app.app_context():
        limiter.reset()
        try:
            with serving(app) as url:
                yield url
        finally:
            empty_tables()
            db.engine.dispose()


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
