"""Reading the e-mails the site wrote to its mail folder (tests run without MAIL_SERVER)."""

from __future__ import annotations

import re
import shutil
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


class Mailbox:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def messages(self) -> list[EmailMessage]:
        if not self.folder.exists():
            return []
        return [
            BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            for path in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
        ]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no e-mail to {address}; sent: {[m['To'] for m in self.messages]}"
        return found[-1]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text_of(message))
