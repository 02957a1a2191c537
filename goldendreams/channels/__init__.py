"""Messaging apps (Messenger, WhatsApp, Viber, LINE, Telegram, SMS) into the inbox."""
