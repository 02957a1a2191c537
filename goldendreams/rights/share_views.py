"""Sharing know-your-rights articles with workers: mobilizers and caseworkers pick an
article and tap the messaging app the worker uses; the app opens with the link written in.

Plain links (no JavaScript): each app's "share" address with the message URL-encoded. The
article's link is absolute (``SITE_URL``) and names the language shared, so the worker
reads the version the sharer chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from goldendreams.core.mail import site_url
from goldendreams.rights import permissions, queries
from goldendreams.rights.models import Article, ArticleText

bp = Blueprint("rights_share", __name__, template_folder="templates")


@bp.app_context_processor
def rights_permission_vocabulary() -> dict:
    return {"rights_permissions": permissions}


@dataclass(frozen=True)
class ShareLink:
    app: str
    href: str


def _encoded(text: str) -> str:
    """Every reserved character escaped (``&``, ``?``, ``#``, spaces, non-Latin script)."""
    return quote(text, safe="")


def share_links(title: str, link: str) -> list[ShareLink]:
    """The addresses that open each messaging app with ``title`` and ``link`` written in."""
    message = _encoded(f"{title} {link}")
    return [
        ShareLink("WhatsApp", f"https://wa.me/?text={message}"),
        ShareLink(
            "Telegram",
            f"https://t.me/share/url?url={_encoded(link)}&text={_encoded(title)}",
        ),
        ShareLink("LINE", f"https://line.me/R/msg/text/?{message}"),
        ShareLink("Viber", f"viber://forward?text={message}"),
        ShareLink("Messenger", f"fb-messenger://share/?link={_encoded(link)}"),
    ]


@dataclass(frozen=True)
class Shared:
    article: Article
    text: ArticleText
    link: str
    links: list[ShareLink]


def _language() -> str:
    """The language to share in: the one asked for (?lang=), else the reader's."""
    asked = request.args.get("lang")
    if asked in current_app.config["LOCALES"]:
        return asked
    return str(get_locale() or "en")


@bp.get("/staff/share")
@login_required
def share():
    if not permissions.may_share_articles(current_user):
        abort(403)
    language = _language()
    rows = []
    for article in queries.published_articles():
        text = article.text_for(language)
        link = site_url("rights.article", slug=article.slug, lang=text.locale)
        rows.append(Shared(article, text, link, share_links(text.title, link)))
    return render_template(
        "rights/share.html",
        rows=rows,
        language=language,
        locales=current_app.config["LOCALES"],
    )
