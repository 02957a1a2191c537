import pytest
from flask import abort

from goldendreams import create_app
from tests.conftest import make_config


@pytest.fixture
def failing_app(database_url, _schema, tmp_path):
    # Not a test app: the in-request queue of tests is refused, so a queue file of its own.
    app = create_app(
        make_config(
            database_url,
            TESTING=False,
            PROPAGATE_EXCEPTIONS=False,
            QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}",
        )
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("unexpected")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    @app.get("/bad")
    def bad():
        abort(400)

    @app.get("/teapot")
    def teapot():
        abort(418)

    return app


@pytest.mark.parametrize(
    ("path", "code", "english"),
    [
        ("/boom", 500, "Something went wrong on our side"),
        ("/forbidden", 403, "You cannot open this page"),
        ("/bad", 400, "Something was wrong with that request"),
        ("/nowhere", 404, "Page not found"),
    ],
)
def test_error_pages_in_english_and_in_thai(failing_app, path, code, english):
    client = failing_app.test_client()
    response = client.get(path)
    assert response.status_code == code
    assert english in response.get_data(as_text=True)
    client.set_cookie("gd_lang", "th")
    response = client.get(path)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert english not in page and '<html lang="th">' in page
    assert "Traceback" not in page and "unexpected" not in page


def test_unexpected_errors_are_logged(failing_app, caplog):
    failing_app.test_client().get("/boom")
    assert "RuntimeError: unexpected" in caplog.text


def test_other_codes_keep_their_status(failing_app):
    response = failing_app.test_client().get("/teapot")
    assert response.status_code == 418
    assert "Something was wrong with that request" in response.get_data(as_text=True)
