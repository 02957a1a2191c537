"""From index hits to what a reader sees: records checked against the database again (only
what is public now), grouped by type, with the matching words marked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import Organisation
from goldendreams.core.pii import to_ascii_digits
from goldendreams.core.sanitize import markdown_to_text
from goldendreams.extensions import db
from goldendreams.jobs import queries as job_queries
from goldendreams.jobs.models import Job
from goldendreams.reviews.models import Review
from goldendreams.rights.models import Article, ArticleText
from goldendreams.search.analyzer import display_form, words
from goldendreams.search.backends import Hit
from goldendreams.search.documents import KINDS

SNIPPET = 180


@dataclass(frozen=True)
class Result:
    kind: str
    record: object
    title: Markup
    snippet: Markup
    locale: str | None


#: Long texts are searched for their first match a piece at a time (about this long, cut
#: at a space): segmenting a whole article for a 180-character snippet was most of a
#: search page's time.
PIECE = 600


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + PIECE)
        if end < len(text):
            space = text.rfind(" ", start + PIECE // 2, end)
            end = space + 1 if space >= 0 else end
        yield start, end
        start = end


def _first_match(text: str, wanted: set[str]) -> int | None:
    for start, end in _pieces(text):
        for word in words(text[start:end]):
            if word.token in wanted:
                return start + word.start
    return None


def highlight(text: str, wanted: set[str], width: int | None = None) -> Markup:
    """``text`` (cut to about ``width`` characters around the first match) with the words
    whose tokens are ``wanted`` in <mark>."""
    shown = display_form(text)
    digits = to_ascii_digits(shown)  # same length as ``shown``
    start, end = 0, len(shown)
    if width and len(shown) > width:
        first = _first_match(digits, wanted) or 0
        start = max(0, first - width // 3)
        if start:  # begin at a word: the space nearest before ``start``, else after it
            space = shown.rfind(" ", max(0, start - 20), start + 1)
            if space < 0:
                space = shown.find(" ", start, first)
            start = space + 1 if space >= 0 else first
        end = min(len(shown), start + width)
    pieces, position = [], start
    for word in words(digits[start:end]):
        cut = end < len(shown) and start + word.end >= end  # the window may end mid-word
        if word.token not in wanted or cut:
            continue
        pieces.append(escape(shown[position : start + word.start]))
        pieces.append(Markup("<mark>%s</mark>") % shown[start + word.start : start + word.end])
        position = start + word.end
    pieces.append(escape(shown[position:end]))
    if start > 0:
        pieces.insert(0, escape("… "))
    if end < len(shown):
        pieces.append(escape(" …"))
    return escape("").join(pieces)


def _jobs(ids):
    return job_queries.open_jobs().where(Job.id.in_(ids))


def _organisations(ids):
    return select(Organisation).where(Organisation.id.in_(ids))


def _articles(ids):
    return (
        select(Article)
        .where(Article.id.in_(ids), Article.status == "published")
        .options(selectinload(Article.texts).defer(ArticleText.body_html))
    )


def _reviews(ids):
    return (
        select(Review)
        .where(Review.id.in_(ids), Review.status == "published")
        .options(selectinload(Review.organisation))
    )


#: Per type: the query of the records among ``ids`` that are public now.
QUERIES = {"job": _jobs, "organisation": _organisations, "article": _articles, "review": _reviews}
MODELS = {"job": Job, "organisation": Organisation, "article": Article, "review": Review}


def _present(kind: str, record, locale: str | None, wanted: set[str], reader: str):
    if kind == "job":
        text = record.text_for(reader)
        title = text.title if text else ""
        body = text.description if text else ""
        locale = text.locale if text else None
    elif kind == "organisation":
        title = record.name + (f" · {record.name_local}" if record.name_local else "")
        body = record.province or ""
    elif kind == "article":
        texts = {t.locale: t for t in record.texts}
        text = texts.get(locale) or record.text_for(reader)
        if text is None:  # every language deleted since it was indexed
            return None
        body = text.summary + "\n" + markdown_to_text(text.body_markdown)
        title, locale = text.title, text.locale
    else:
        title, body, locale = record.public_title, record.public_body, record.language
    return Result(kind, record, highlight(title, wanted), highlight(body, wanted, SNIPPET), locale)


@dataclass(frozen=True)
class Found:
    """One type's public hits, best first: ``(record id, matched language)`` pairs."""

    kind: str
    hits: list[tuple[int, str | None]]

    def present(self, start: int, stop: int, wanted: set[str], reader: str) -> list[Result]:
        """The results ``start:stop``: only these are loaded and highlighted."""
        window = self.hits[start:stop]
        records = {r.id: r for r in db.session.scalars(QUERIES[self.kind]([i for i, _ in window]))}
        shown = (
            _present(self.kind, records[record_id], locale, wanted, reader)
            for record_id, locale in window
            if record_id in records
        )
        return [result for result in shown if result is not None]


def resolve(hits: list[Hit], reader: str) -> dict[str, Found]:
    """The hits whose records are public now, best first, grouped by type. An article found
    in several languages counts once: in the reader's language if that one matched."""
    ordered: dict[str, dict[int, str | None]] = {}
    for hit in hits:
        seen = ordered.setdefault(hit.kind, {})
        if hit.record_id not in seen or hit.locale == reader:
            seen[hit.record_id] = hit.locale
    grouped = {}
    for kind, found in sorted(ordered.items(), key=lambda item: KINDS.index(item[0])):
        query = QUERIES[kind](list(found)).with_only_columns(MODELS[kind].id)
        public = set(db.session.scalars(query))
        grouped[kind] = Found(kind, [(i, loc) for i, loc in found.items() if i in public])
    return grouped
