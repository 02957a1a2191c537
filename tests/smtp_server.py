"""A real SMTP server for the tests (aiosmtpd), on 127.0.0.1 and a free port.

It asks for a login (AUTH LOGIN or PLAIN, with ``USERNAME``/``PASSWORD``) before it takes
mail, keeps what it received, can refuse the next messages with "451 try later", and can
offer STARTTLS with a self-signed certificate made here (``tls_smtp_server``).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import warnings
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"
USERNAME = "goldendreams-mailer"
PASSWORD = "mail-password-for-tests"
SENDER = "Golden Dreams <no-reply@goldendreams.example>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Handler:
    """Keeps each message it accepts; refuses the next ``refuse`` ones (a server that asks
    to try later); notes every login and every try."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, str]] = []
        self.tries: list[float] = []
        self.tls_sessions = 0
        self.refuse = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.tries.append(time.monotonic())
            if session.ssl is not None:
                self.tls_sessions += 1
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            self.received.append(envelope.original_content or envelope.content)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        with self.lock:
            self.logins.append((login, password))
        return AuthResult(success=(login, password) == (USERNAME, PASSWORD))


class SMTPServer:
    def __init__(self, handler: Handler, port: int, ca_file: str = "") -> None:
        self.handler = handler
        self.host = HOST
        self.port = port
        self.ca_file = ca_file

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            raw = list(self.handler.received)
        return [BytesParser(policy=policy.default).parsebytes(data) for data in raw]

    def wait_for(self, count: int, timeout: float = 20) -> list[EmailMessage]:
        """The messages, once ``count`` have arrived (fails after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.handler.received) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"{len(self.handler.received)} messages arrived, not {count}")

    def settings(self, use_tls: bool = False) -> dict:
        """The site's settings to send through this server."""
        return {
            "MAIL_SERVER": self.host,
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": use_tls,
            "MAIL_USERNAME": USERNAME,
            "MAIL_PASSWORD": PASSWORD,
            "MAIL_DEFAULT_SENDER": SENDER,
            "MAIL_CA_FILE": self.ca_file,
        }


class _Controller(Controller):
    def factory(self):
        # aiosmtpd warns of a login without TLS: fine on 127.0.0.1, and the tests run with
        # warnings as errors.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


def _start(handler: Handler, tls_context: ssl.SSLContext | None = None) -> Controller:
    controller = _Controller(
        handler,
        hostname=HOST,
        port=free_port(),
        authenticator=handler.authenticate,
        auth_required=True,
        # Without STARTTLS on offer the login goes in clear: fine on 127.0.0.1.
        auth_require_tls=tls_context is not None,
        tls_context=tls_context,
        require_starttls=tls_context is not None,
    )
    controller.start()
    return controller


@pytest.fixture
def smtp_server():
    handler = Handler()
    controller = _start(handler)
    try:
        yield SMTPServer(handler, controller.port)
    finally:
        controller.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_smtp_server(tmp_path):
    """The same server, offering STARTTLS (and refusing mail and logins without it)."""
    cert_path, key_path = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    handler = Handler()
    controller = _start(handler, context)
    try:
        yield SMTPServer(handler, controller.port, ca_file=str(cert_path))
    finally:
        controller.stop()
