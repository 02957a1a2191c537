"""Telegram, through the Bot API (https://core.telegram.org/bots/api).

Receiving: Telegram POSTs one JSON ``Update`` per request to the webhook set with
``setWebhook``; it does not sign the body, but sends back the ``secret_token`` given there in
the ``X-Telegram-Bot-Api-Secret-Token`` header, which ``verify`` compares with
TELEGRAM_SECRET_TOKEN. Only new messages in private chats with a person become events:
edits, channel posts, groups, bots and membership changes are left out.

Sending: ``sendMessage`` with the chat's id. The languages to choose from are a
``ReplyKeyboardMarkup`` (one tap sends the language's name as a plain text message, which
``greeting.chosen_language`` reads); an inline keyboard would need every tap answered with
``answerCallbackQuery`` and a second kind of update, for nothing the worker would see.
Links are written as lines of text: Telegram makes them tappable itself.

Telegram has no delivery or read receipts for bots: a reply shows "sent" at most.

A worker's first message is usually ``/start`` (the app's Start button sends it): it is
kept as written, so it opens the conversation and brings the greeting, as any first
message does.

Attachments: ``getFile`` gives a ``file_path``, downloaded from ``/file/bot<token>/<path>``
(the Bot API serves files up to 20 MB). The bot token is part of those addresses: it never
appears in a ``PlatformError``'s reason or a log.
"""

from __future__ import annotations

import hmac
import json

import httpx
from flask import Request

from goldendreams.channels.adapters.base import (
    Adapter,
    Event,
    EventKind,
    Fetched,
    Media,
    MediaKind,
    Outgoing,
    PlatformError,
    Recipient,
    TooLarge,
)
from goldendreams.channels.models import Platform

#: The header Telegram sends the webhook's ``secret_token`` back in.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header's name)

#: The update kinds the site asks for (``setWebhook``'s ``allowed_updates``).
ALLOWED_UPDATES = ["message"]

#: The attachments of a ``Message`` this site keeps, and what each is to a caseworker.
_MEDIA_FIELDS = {
    "voice": MediaKind.VOICE,
    "audio": MediaKind.VOICE,
    "video": MediaKind.VIDEO,
    "video_note": MediaKind.VIDEO,
    "document": MediaKind.DOCUMENT,
}


class TelegramAdapter(Adapter):
    platform = Platform.TELEGRAM
    media_hosts = ("telegram.org",)
    required = (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_SECRET_TOKEN",
    )
    max_text = 4096

    # --- receiving ------------------------------------------------------------------------

    def verify(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "").encode()
        expected = self.setting("SECRET_TOKEN").encode()
        return bool(expected) and hmac.compare_digest(given, expected)

    def parse(self, request: Request) -> list[Event]:
        update = request.get_json(silent=True)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise ValueError("not a Telegram update")
        message = update.get("message")
        if not isinstance(message, dict):
            return []  # edited_message, channel_post, my_chat_member...: not used here
        chat, sender = message.get("chat") or {}, message.get("from") or {}
        if chat.get("type") != "private" or not sender.get("id") or sender.get("is_bot"):
            return []
        media = _media(message)
        text = message.get("text") or message.get("caption")
        if not text and not media:
            return []  # a sticker, a location, a contact...: nothing a caseworker can read
        return [
            Event(
                kind=EventKind.MESSAGE,
                # The update's id: unique for the bot, and says nothing of the worker.
                key=f"update:{update['update_id']}",
                sender_id=str(chat.get("id") or sender["id"]),
                text=text,
                media=media,
                profile_name=sender.get("first_name"),
                locale=sender.get("language_code"),
                sent_at=message.get("date"),
            )
        ]

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        lines = [f"{label}: {url}" for label, url in message.links]
        text = "\n\n".join([message.text, *lines]) if lines else message.text
        markup = _keyboard(message.choices) if message.choices else None
        if len(text) > self.max_text:  # the links would not fit: a second message
            self._call("sendMessage", {"chat_id": recipient.user_id, "text": message.text})
            text = "\n\n".join(lines)
        body: dict = {"chat_id": recipient.user_id, "text": text}
        if markup:
            body["reply_markup"] = markup
        result = self._call("sendMessage", body)
        return str(result.get("message_id", "")) if isinstance(result, dict) else ""

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        if media.size is not None and media.size > max_bytes:
            raise TooLarge()
        try:
            file = self._call("getFile", {"file_id": media.ref})
        except PlatformError as error:
            if "file is too big" in error.reason:  # over the Bot API's 20 MB
                raise TooLarge() from None
            raise
        if not isinstance(file, dict) or not file.get("file_path"):
            raise PlatformError("Telegram: the file cannot be downloaded")
        size = file.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise TooLarge()
        url = f"{self.api_base}/file/bot{self.setting('BOT_TOKEN')}/{file['file_path']}"
        fetched = self.download(url, max_bytes)
        if fetched.mime in ("application/octet-stream", "") and media.mime:
            fetched.mime = media.mime
        return fetched

    def register_webhook(self, url: str) -> str:
        self._call("setWebhook", {
            "url": url, "secret_token": self.setting("SECRET_TOKEN"),
            "allowed_updates": ALLOWED_UPDATES,
        })  # fmt: skip
        return "Telegram: webhook set"

    # --- the Bot API ----------------------------------------------------------------------

    def _call(self, method: str, body: dict):
        """POST one Bot API method; its ``result``, or PlatformError with Telegram's own
        description (never the address: it holds the bot's token)."""
        url = f"{self.api_base}/bot{self.setting('BOT_TOKEN')}/{method}"
        try:
            with self.client() as client:
                response = client.post(url, json=body)
        except httpx.HTTPError as error:
            raise PlatformError(f"Telegram: {type(error).__name__}", retry=True) from None
        try:
            answer = response.json()
        except json.JSONDecodeError:
            answer = None
        if not isinstance(answer, dict):
            raise PlatformError(
                f"Telegram: HTTP {response.status_code}", retry=response.status_code >= 500
            )
        if answer.get("ok") is True:
            return answer.get("result")
        code = answer.get("error_code") or response.status_code
        description = str(answer.get("description") or f"HTTP {code}")
        parameters = answer.get("parameters") or {}
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        if not isinstance(retry_after, int | float):
            retry_after = self.retry_after(response)
        retry = code == 429 or (isinstance(code, int) and code >= 500)
        raise PlatformError(f"Telegram: {description}", retry=retry, retry_after=retry_after)


def _media(message: dict) -> list[Media]:
    found = []
    photos = message.get("photo")
    if isinstance(photos, list) and photos:
        # Telegram sends each photo in several sizes: the largest is the one to keep.
        largest = max(photos, key=lambda p: (p.get("width", 0) * p.get("height", 0),
                                             p.get("file_size") or 0))  # fmt: skip
        found.append(Media(MediaKind.PHOTO, largest["file_id"], "image/jpeg",
                           largest.get("file_size")))  # fmt: skip
    for name, kind in _MEDIA_FIELDS.items():
        item = message.get(name)
        if isinstance(item, dict) and item.get("file_id"):
            mime = item.get("mime_type") or ("video/mp4" if name == "video_note" else None)
            found.append(Media(kind, item["file_id"], mime, item.get("file_size")))
    return found


def _keyboard(choices: list[tuple[str, str]]) -> dict:
    """The choices as a keyboard shown instead of the phone's, two buttons a row, gone once
    one is tapped. A button sends its label as the worker's message."""
    buttons = [{"text": label} for _payload, label in choices]
    return {
        "keyboard": [buttons[i : i + 2] for i in range(0, len(buttons), 2)],
        "one_time_keyboard": True,
        "resize_keyboard": True,
    }
