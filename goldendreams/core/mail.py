"""E-mail to staff and claimants: rendered in the recipient's language, sent from the queue.

With ``MAIL_SERVER`` set, messages go through that SMTP server (STARTTLS with
``MAIL_USE_TLS``, the server's certificate checked against the system's authorities or
``MAIL_CA_FILE``; a login with ``MAIL_USERNAME``); without one, each is written as an
``.eml`` file to ``MAIL_FOLDER`` (``instance/mail`` by default), so a site on its embedded
defaults still works and one can read what it would have sent.

A message is a template pair, ``templates/mail/<name>.txt`` and ``.html``; the text
template sets ``subject``. Messages never carry a worker's words, a tracking code, an
applicant's phone or anything else that identifies a worker: callers pass counts, record
numbers and links to pages behind a login (tests/core/test_mail.py renders every template
with hostile data to prove it).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, g
from flask_babel import force_locale

from goldendreams.core import queue

log = logging.getLogger("goldendreams.mail")

#: Tries of one message before it is kept as a failed task: waits of 1, 2, 4 … minutes.
SEND_RETRIES = 8


def init_app(app) -> None:
    if not app.config["MAIL_SERVER"]:
        log.info(
            "no mail server set (GOLDENDREAMS_MAIL_SERVER): e-mails are written to %s",
            app.config["MAIL_FOLDER"] or Path(app.instance_path) / "mail",
        )


def site_url(endpoint: str, **values) -> str:
    """An absolute link into the site, also outside a request (from the queue):
    ``SITE_URL`` is where the site's readers reach it."""
    base = current_app.config["SITE_URL"].rstrip("/")
    scheme, _, rest = base.partition("://")
    netloc, _, script = rest.partition("/")
    adapter = current_app.url_map.bind(netloc, script_name="/" + script, url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)


def send(to: str, template: str, locale: str | None = None, **context) -> None:
    """Render ``template`` for ``to`` in ``locale`` and queue it; the message leaves once the
    current transaction commits (an invitation is not mailed if its creation fails)."""
    message = render(to, template, locale, **context)
    queue.after_commit(deliver, message)


def render(to: str, template: str, locale: str | None = None, **context) -> dict:
    """The message as plain data (what the queue stores): to, subject, text, html."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    context.setdefault("site_url", site_url)
    # Not render_template: no request here to feed the site's context processors.
    context["site_name"] = current_app.config["SITE_NAME"]
    env = current_app.jinja_env
    # The templates' gettext keeps the catalog it first used in ``g`` (core/templating.py):
    # without dropping it, a second message (or the page after) would keep that language.
    g.pop("_catalog", None)
    try:
        with force_locale(locale):
            module = env.get_template(f"mail/{template}.txt").make_module(context)
            subject = " ".join(str(module.subject).split())  # one line, whatever it did
            html = env.get_template(f"mail/{template}.html").render(
                context, subject=subject, locale=locale
            )
    finally:
        g.pop("_catalog", None)
    return {
        "to": to,
        "subject": subject,
        "text": str(module).strip() + "\n",
        "html": html,
        "locale": locale,
    }


def compose(message: dict) -> EmailMessage:
    """The MIME message: plain text first, the same in simple HTML as the alternative."""
    email = EmailMessage()
    email["Subject"] = message["subject"]
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message["to"]
    # Random, not make_msgid's (which holds the time to the hundredth of a second).
    email["Message-ID"] = f"<{secrets.token_hex(16)}@{_sender_domain()}>"
    email.set_content(message["text"])
    email.add_alternative(message["html"], subtype="html")
    # After the parts are made: making them moves every Content-* header into the first.
    email["Content-Language"] = message["locale"]
    for part in email.iter_parts():
        if "Content-Language" not in part:
            part["Content-Language"] = message["locale"]
    return email


def _sender_domain() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >") or None


@queue.task(retries=SEND_RETRIES, retry_delay=30)
def deliver(message: dict) -> None:
    """Send one rendered message (from the queue; a refusal or a dead server retries)."""
    email = compose(message)
    config = current_app.config
    # No log line per message (failures log through the queue): a mail sent the moment a
    # worker asked for help (an emergency reaches its caseworkers at once) would date their
    # message in the logs.
    if not config["MAIL_SERVER"]:
        _write_to_folder(email)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            # Checked like a browser checks a site (smtplib checks nothing by default): the
            # password must not go to whoever sits between us and the mail server.
            smtp.starttls(context=ssl.create_default_context(cafile=config["MAIL_CA_FILE"] or None))
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def mail_folder() -> Path:
    return Path(current_app.config["MAIL_FOLDER"] or Path(current_app.instance_path) / "mail")


def _write_to_folder(email: EmailMessage) -> Path:
    folder = mail_folder()
    folder.mkdir(parents=True, exist_ok=True)
    # A random name: a dated one would date a mail sent the moment a worker acted.
    path = folder / f"{secrets.token_hex(8)}.eml"
    path.write_bytes(bytes(email))
    return path
