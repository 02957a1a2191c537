import pytest

from goldendreams import create_app


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("GOLDENDREAMS_SECRET_KEY", "GOLDENDREAMS_DATABASE_URL", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOLDENDREAMS_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_refuses_to_start_with_the_default_secret(clean_env):
    with pytest.raises(RuntimeError, match="GOLDENDREAMS_SECRET_KEY"):
        create_app()


def test_settings_come_from_prefixed_environment(clean_env, monkeypatch):
    monkeypatch.setenv("GOLDENDREAMS_SECRET_KEY", "s3cret-from-env-0123456789abcdef0123456789")
    monkeypatch.setenv("GOLDENDREAMS_DATABASE_URL", "postgresql+psycopg://u@db.invalid/gd")
    monkeypatch.setenv("GOLDENDREAMS_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("GOLDENDREAMS_DIRECTORY_PAGE_SIZE", "50")
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cret-from-env-0123456789abcdef0123456789"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.invalid/gd"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["DIRECTORY_PAGE_SIZE"] == 50


def test_production_defaults(clean_env, monkeypatch):
    monkeypatch.setenv("GOLDENDREAMS_SECRET_KEY", "s3cret-0123456789abcdef0123456789abcdef")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_env / 'goldendreams.db'}"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    # https-only, and the prefix stops a subdomain or plain http from setting it.
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-gd_session"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_instance_config_file_is_read(clean_env):
    (clean_env / "config.py").write_text(
        "SECRET_KEY = 'from-file-0123456789abcdef0123456789'\nDIRECTORY_PAGE_SIZE = 7\n"
    )
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file-0123456789abcdef0123456789"
    assert app.config["DIRECTORY_PAGE_SIZE"] == 7


@pytest.mark.parametrize("secret", ["", "short-secret"])
def test_refuses_empty_or_short_secrets(clean_env, monkeypatch, secret):
    monkeypatch.setenv("GOLDENDREAMS_SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app()


def test_refuses_the_immediate_queue_outside_tests(clean_env, monkeypatch):
    """Run in the request, a mail's sending would time whether an account exists, and no
    scheduler would run the daily purges."""
    monkeypatch.setenv("GOLDENDREAMS_SECRET_KEY", "s3cret-from-env-0123456789abcdef0123456789")
    monkeypatch.setenv("GOLDENDREAMS_QUEUE_URL", "immediate")
    with pytest.raises(RuntimeError, match="QUEUE_URL=immediate is for tests"):
        create_app()
