"""Fixtures: an app from a test config, a client, factories' session, and logins per role.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``GOLDENDREAMS_TEST_DATABASE_URL``. Tables are created once per run and emptied after
each test.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import time
import uuid
from collections import OrderedDict
from typing import NamedTuple
from urllib.parse import urlsplit

import pyotp
import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, exists, literal, select, text, union_all
from sqlalchemy.engine import make_url

from goldendreams import create_app
from goldendreams.accounts import two_factor
from goldendreams.accounts.models import SecondFactor, User
from goldendreams.config import PROJECT_ROOT
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.core.queue import queue
from goldendreams.extensions import db, limiter
from tests import factories
from tests.mailbox import Mailbox

TEST_PASSWORD = factories.TEST_PASSWORD
TOTP_SECRET = factories.TOTP_SECRET


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("GOLDENDREAMS_TEST_DATABASE_URL")
    if url and url.startswith("postgresql") and "options=" not in url:
        # Tests need no commit to outlive a crash of the server: not waiting for each one to
        # reach the disk takes a third off the run on PostgreSQL.
        url += ("&" if "?" in url else "?") + "options=-csynchronous_commit%3Doff"
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


#: Where the tests' mail goes (no MAIL_SERVER in tests: written as files; tests/core/
#: test_mail.py sends through a real SMTP server too).
MAIL_FOLDER = os.path.join(tempfile.gettempdir(), f"goldendreams-test-mail-{os.getpid()}")


def make_config(database_url: str, **extra) -> dict:
    config = {
        "QUEUE_URL": "immediate",  # tasks run where queued; tests/core/test_queue.py runs consumers
        "MAIL_FOLDER": MAIL_FOLDER,
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "localhost",
        "SEARCH_INDEX_PATH": ":memory:",
        "SEARCH_BACKEND": os.environ.get("GOLDENDREAMS_TEST_SEARCH_BACKEND", "whoosh"),
        "CACHE_SECONDS": 0,  # tests change data and look again at once
        "PAGE_CACHE_SECONDS": 0,
    }
    config.update(extra)
    return config


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """An empty database for a test that builds its own schema (the migration tests): a new
    SQLite file, or a fresh PostgreSQL schema of its own on the test server, dropped after."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    schema = f"gd_migration_{uuid.uuid4().hex[:12]}"  # the name is ours: no user input
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


class _Built(NamedTuple):
    app: Flask
    config: dict
    extensions: dict


#: The apps of this run, by their settings, least recently used first. Building one costs
#: about 0.1 s (its URL map) and each template compiles again on its first use: reused, a
#: test pays neither (they were most of the suite's time).
_built: OrderedDict[str, _Built] = OrderedDict()
_KEEP_APPS = 6


def app_for(config: dict) -> Flask:
    """The app of ``config``, as create_app made it: settings and extensions a test changed
    are put back, and the module-wide objects an app configures (the queue, the rate
    limiter) are configured for it again, as a new app would."""
    key = repr(sorted(config.items()))
    built = _built.get(key)
    if built is None:
        app = create_app(config)
        built = _built[key] = _Built(app, dict(app.config), dict(app.extensions))
        if len(_built) > _KEEP_APPS:
            _, oldest = _built.popitem(last=False)
            with oldest.app.app_context():
                db.engine.dispose()
        return app
    _built.move_to_end(key)
    app = built.app
    app.config.clear()
    app.config.update(built.config)
    app.extensions.clear()  # caches made during a test: the search index, memos, pages
    app.extensions.update(built.extensions)
    queue.configure(app)
    limiter.init_app(app)  # a new, empty store, as a new app's (its hooks are not added twice)
    return app


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the tables once for the whole run."""
    app = app_for(make_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app_config(database_url) -> dict:
    """Override in a test module (or parametrize) to change settings."""
    return make_config(database_url)


@pytest.fixture
def app(_schema, app_config):
    app = app_for(app_config)
    with app.app_context():
        limiter.reset()
        yield app
        empty_tables()
        db.engine.dispose()


@functools.cache
def _holding_rows(dialect):
    """The numbers (in ``sorted_tables``) of the tables that hold rows: the query, compiled
    once (its 100 subqueries took longer to compile than to run)."""
    tables = db.metadata.sorted_tables
    query = union_all(
        *(select(literal(i)).where(exists(select(1).select_from(t))) for i, t in enumerate(tables))
    )
    return text(str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True})))


def empty_tables() -> None:
    """Empty every table after a test (on the connection, not the session: the session
    refuses to empty the audit log)."""
    db.session.rollback()
    connection = db.session.connection()
    tables = db.metadata.sorted_tables
    # One question for every table (which hold rows?), then a delete for those only: a test
    # fills a few of them, and a delete per table was a third of a test's time on PostgreSQL.
    filled = set(connection.scalars(_holding_rows(connection.dialect)))
    for i, table in reversed(list(enumerate(tables))):
        if i in filled:
            connection.execute(delete(table))
    db.session.commit()
    db.session.remove()


class RequestContextClient(FlaskClient):
    """Runs each request in its own app context, as in production.

    The ``app`` fixture keeps an app context open for factories and queries; without this,
    requests would share its ``g`` (cached locale, cached login) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def mailbox(app) -> Mailbox:
    """The e-mails the site sends during the test (written to MAIL_FOLDER), newest last."""
    box = Mailbox(app.config["MAIL_FOLDER"])
    box.clear()
    return box


@pytest.fixture
def client(app):
    app.test_client_class = RequestContextClient
    return app.test_client()


def translated(locale: str, message: str) -> str:
    """A message as the catalog of ``locale`` has it (to check pages are translated)."""
    with (PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        text = read_po(f, locale=locale)[message].string
    assert text and text != message, f"{message!r} is not translated into {locale}"
    return text


def login(client, user, password: str = TEST_PASSWORD):
    """Log ``client`` in as ``user``, with the code from their app when they have a second
    factor (factory users of TWO_FACTOR_ROLES do); returns the last answer (a redirect)."""
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    if urlsplit(response.headers["Location"]).path == "/login/code":
        response = enter_code(client, user, response.headers["Location"])
    return response


def enter_code(client, user, url: str = "/login/code", secret: str = TOTP_SECRET):
    """The second step of a login: post a code the site accepts now (with the page's CSRF
    token when the app checks them)."""
    data = {"code": second_factor_code(user, secret)}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        page = client.get(url).get_data(as_text=True)
        data["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert urlsplit(response.headers["Location"]).path != "/login", "the code was refused"
    return response


def second_factor_code(user, secret: str = TOTP_SECRET) -> str:
    """A TOTP code of ``secret`` the site accepts now for ``user`` (a factory user, or
    anything with the email of one): see ``code_after``; the last step the site accepted is
    read from the database."""
    user_id = getattr(user, "id", None)
    if user_id is None:  # callers may know only the email
        user_id = db.session.scalar(select(User.id).where(User.email == user.email))
    query = select(SecondFactor.last_step).where(SecondFactor.user_id == user_id)
    return code_after(secret, db.session.scalar(query) or 0)[0]


def code_after(secret: str, last_step: int) -> tuple[str, int]:
    """A code of ``secret`` for a step within the window (now - 1, now, now + 1) later
    than ``last_step`` (a step is never accepted twice), and its step. When all three are
    used (four logins of one user within 30 s), waits for the next step."""
    totp = pyotp.TOTP(secret)
    waited_at = None
    while True:
        # The site's step (a test may have stopped its clock: two_factor.current_step).
        step = two_factor.current_step()
        assert step != waited_at, "every code of this (stopped) step is used"
        left = two_factor.STEP_SECONDS - time.time() % two_factor.STEP_SECONDS
        # The step before now only while the clock is not about to leave it behind.
        first = step - two_factor.WINDOW if left > 2 else step
        for candidate in range(first, step + two_factor.WINDOW + 1):
            if candidate > last_step:
                return totp.generate_otp(candidate), candidate
        waited_at = step
        time.sleep(left + 0.05)


@pytest.fixture
def user_for():
    """Make a user of a role; org roles get an organisation of the matching kind (a new
    one; caseworkers and mobilizers the test network's CSO, ``factories.network_cso``)."""

    def make(role: Role, organisation=None):
        kind = ORG_ROLE_KINDS.get(role)
        if kind and organisation is None:
            organisation = factories.OrganisationFactory(kind=kind)
        if organisation is None and role == Role.GOVERNMENT:
            organisation = factories.GovernmentOfficeFactory()
        if organisation is None and role == Role.ASSOCIATION:
            organisation = factories.AssociationFactory()
        if organisation is None:  # caseworkers, mobilizers: the network's CSO
            return factories.UserFactory(role=role.value)
        return factories.UserFactory(role=role.value, organisation=organisation)

    return make


@pytest.fixture
def login_as(client, user_for):
    """Log the test client in as a new user of ``role``; returns the user."""

    def do(role: Role, organisation=None):
        user = user_for(role, organisation)
        login(client, user)
        return user

    return do


@pytest.fixture
def retry_delays():
    """The delay of each retry of a queued task, as the consumer schedules it."""
    from huey import signals as huey_signals

    from goldendreams.core.queue import huey

    delays: list[float] = []

    def note(signal_name, task, *args) -> None:
        delays.append(task.retry_delay)

    huey.signal(huey_signals.SIGNAL_RETRYING)(note)
    yield delays
    huey.disconnect_signal(note, huey_signals.SIGNAL_RETRYING)
