"""The fixed answers of rights articles and hotlines, with labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TOPICS = {
    "before_you_go": _l("Before you go"),
    "fees": _l("Recruitment and fees"),
    "contracts": _l("Contracts"),
    "wages_hours": _l("Wages and hours"),
    "documents": _l("Documents"),
    "safety_health": _l("Safety and health"),
    "getting_help": _l("Getting help"),
}
#: Where articles apply: the destination countries (an article with none applies to all).
DESTINATIONS = ("TH", "MY")
ARTICLE_STATUSES = {"draft": _l("Draft"), "published": _l("Published")}

#: Hotlines serve workers where they are: in a destination or at home.
HOTLINE_COUNTRIES = ("TH", "MY", "MM", "KH", "LA", "NP")
#: Chat apps a hotline may answer on, and the start every link to each must have.
CHANNELS = {
    "viber": ("Viber", ("viber://", "https://invite.viber.com/")),
    "line": ("LINE", ("https://line.me/",)),
    "messenger": ("Facebook Messenger", ("https://m.me/",)),
    "whatsapp": ("WhatsApp", ("https://wa.me/",)),
}
DAYS = {
    "every_day": _l("Every day"),
    "mon_fri": _l("Monday to Friday"),
    "mon_sat": _l("Monday to Saturday"),
}
