"""Sample rights articles and public hotline numbers shipped with the site (``flask rights
seed``, also run by ``flask demo``). Everything is loaded as demo content, to be checked.
The demo also loads sample exchange rates, dated."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from goldendreams.config import LOCALES
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.rights import services
from goldendreams.rights.models import Article, ExchangeRate, Hotline

DATA = Path(__file__).parent / "data"


def read_article_file(path: Path) -> dict[str, str]:
    """``# Title``, then ``> summary``, then the Markdown body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 3 or not lines[0].startswith("# ") or not lines[1].startswith("> "):
        raise ValueError(f"{path}: expected '# title' then '> summary' on the first lines")
    return {
        "title": lines[0][2:].strip(),
        "summary": lines[1][2:].strip(),
        "body_markdown": "\n".join(lines[2:]).strip(),
    }


def load_articles(actor=None) -> int:
    """Add the sample articles whose address is not taken yet; returns how many."""
    index = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))["articles"]
    taken = set(db.session.scalars(select(Article.slug)))
    added = 0
    for entry in index:
        if entry["slug"] in taken:
            continue
        article = services.save_article(actor, status="draft", demo=True, **entry)
        for locale in LOCALES:
            path = DATA / "articles" / entry["slug"] / f"{locale}.md"
            if path.exists():
                services.save_text(actor, article, locale=locale, **read_article_file(path))
        services.save_article(actor, article, **{**entry, "status": "published", "demo": True})
        added += 1
    return added


def load_hotlines(actor=None) -> int:
    """Add the sample hotlines whose number is not listed yet; returns how many."""
    entries = json.loads((DATA / "hotlines.json").read_text(encoding="utf-8"))["hotlines"]
    listed = {tuple(row) for row in db.session.execute(select(Hotline.country, Hotline.phone))}
    added = 0
    for entry in entries:
        if (entry["country"], entry.get("phone")) in listed:
            continue
        times = {
            name: time.fromisoformat(entry[name]) if entry.get(name) else None
            for name in ("opens_at", "closes_at")
        }
        services.save_hotline(actor, **{**entry, **times, "demo": True})
        added += 1
    return added


#: Sample default rates for the fee calculator (1 base = rate quote), as of SAMPLE_RATES_ON:
#: about the official rates of that day. Admins change them at /staff/rights/exchange-rates/.
SAMPLE_RATES_ON = date(2026, 11, 30)
SAMPLE_RATES = (
    ("THB", "MMK", "64"), ("THB", "KHR", "121"), ("THB", "LAK", "650"), ("THB", "NPR", "4.1"),
    ("MYR", "MMK", "490"), ("MYR", "KHR", "930"), ("MYR", "LAK", "5000"), ("MYR", "NPR", "31"),
    ("USD", "THB", "33"), ("USD", "MYR", "4.3"), ("USD", "MMK", "2100"),
)  # fmt: skip


def load_rates(actor=None) -> int:
    """Add the sample rates for pairs that have none yet (either way round); returns how many."""
    pairs = {
        frozenset(row) for row in db.session.execute(select(ExchangeRate.base, ExchangeRate.quote))
    }
    added = 0
    for base, quote, rate in SAMPLE_RATES:
        if frozenset((base, quote)) in pairs:
            continue
        services.save_rate(
            actor, base=base, quote=quote, value=Decimal(rate), set_on=min(SAMPLE_RATES_ON, today())
        )
        added += 1
    return added
