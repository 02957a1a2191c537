"""Fixtures of the core tests: a real SMTP server (tests/smtp_server.py)."""

from tests.smtp_server import smtp_server, tls_smtp_server  # noqa: F401
