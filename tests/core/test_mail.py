"""E-mail: written to a folder without a mail server (the quick start), in the recipient's
language, plain text plus HTML, a one-line subject; STARTTLS with the server's certificate
checked when MAIL_USE_TLS, and a server that offers no STARTTLS is refused (an error: the
queue retries it, tests/core/test_queue.py).

The queue runs each message at once here (QUEUE_URL "immediate"); tests/core/test_queue.py
delivers through real consumers.
"""

from __future__ import annotations

import smtplib
import ssl

import pytest
from jinja2 import ChoiceLoader, DictLoader

from goldendreams.core import mail
from goldendreams.extensions import db
from tests.conftest import translated
from tests.mailbox import html_of, links_in, text_of

TEMPLATES = {
    "mail/mail_check.txt": (
        '{% extends "mail/base.txt" %}'
        '{% set subject %}{{ _("Staff accounts") }}\n  {{ suffix }}\n{% endset %}'
        "{% block body %}{{ link }}{% endblock %}"
    ),
    "mail/mail_check.html": (
        '{% extends "mail/base.html" %}'
        '{% block body %}<p><a href="{{ link }}">{{ link }}</a></p>{% endblock %}'
    ),
}


@pytest.fixture
def app(app):
    app.jinja_loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_loader])
    return app


def send(to: str = "somchai@example.org", locale: str = "th", **context) -> None:
    context.setdefault("suffix", "")
    mail.send(to, "mail_check", locale, link=mail.site_url("accounts.staff_home"), **context)
    db.session.commit()


def test_without_a_mail_server_mail_is_written_to_the_folder(app, mailbox):
    assert not app.config["MAIL_SERVER"]
    send()
    (path,) = mailbox.folder.glob("*.eml")
    assert path.read_bytes().startswith(b"Subject:") or b"\nSubject:" in path.read_bytes()
    message = mailbox.last_to("somchai@example.org")
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Subject"] == translated("th", "Staff accounts")
    assert message["Message-ID"]
    assert links_in(message)[0] == "http://127.0.0.1:5000/staff/"


def test_a_message_is_plain_text_and_html_in_the_recipients_language(app, mailbox):
    send(locale="my")
    message = mailbox.last_to("somchai@example.org")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["Content-Language"] == "my"
    assert all(part["Content-Language"] == "my" for part in message.iter_parts())
    assert message["Subject"] == translated("my", "Staff accounts")
    assert "http://127.0.0.1:5000/staff/" in text_of(message)
    html = html_of(message)
    assert '<html lang="my">' in html
    assert 'href="http://127.0.0.1:5000/staff/"' in html


def test_the_subject_is_one_line_whatever_the_template_does(app, mailbox):
    send(suffix="second\r\nBcc: everyone@example.org\n  line")
    message = mailbox.last_to("somchai@example.org")
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Bcc"] is None
    assert message["Subject"].endswith("second Bcc: everyone@example.org line")


@pytest.fixture
def tls_settings(app, tls_smtp_server):
    app.config.update(tls_smtp_server.settings(use_tls=True))
    return tls_smtp_server


def test_starttls_is_used_with_the_servers_certificate_checked(app, tls_settings, mailbox):
    send()
    (message,) = tls_settings.wait_for(1)
    assert tls_settings.handler.tls_sessions == 1
    assert tls_settings.handler.logins == [(app.config["MAIL_USERNAME"], "mail-password-for-tests")]
    assert message["Subject"] == translated("th", "Staff accounts")
    assert not mailbox.messages, "sent, not written to the folder"


def test_an_unknown_certificate_is_refused_before_the_password_goes(app, tls_settings):
    app.config["MAIL_CA_FILE"] = ""  # the self-signed certificate is nobody's the system trusts
    with pytest.raises(ssl.SSLCertVerificationError):
        mail.deliver.call_local(mail.render("somchai@example.org", "mail_check", "en", suffix=""))
    assert not tls_settings.handler.logins
    assert not tls_settings.handler.received


def test_a_server_without_starttls_is_refused_when_tls_is_asked(app, smtp_server):
    app.config.update(smtp_server.settings(use_tls=True))
    with pytest.raises(smtplib.SMTPNotSupportedError):
        mail.deliver.call_local(mail.render("somchai@example.org", "mail_check", "en", suffix=""))
    assert not smtp_server.handler.logins, "no password in clear"
    assert not smtp_server.handler.received
