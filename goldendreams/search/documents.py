"""What goes into an index: the public documents of each searchable record.

Only public content makes a document: published jobs, published articles (one per
language), published reviews (their redacted text), and organisations. Results are checked
against the database again when shown (a job's deadline passes without any write).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import PRIVATE_KINDS, Organisation
from goldendreams.core.sanitize import markdown_to_text
from goldendreams.extensions import db
from goldendreams.jobs.models import Job
from goldendreams.reviews.models import Review
from goldendreams.rights import choices as rights_choices
from goldendreams.rights.models import Article
from goldendreams.search.analyzer import tokens

KINDS = ("job", "organisation", "article", "review")
BATCH = 500


@dataclass(frozen=True)
class Document:
    kind: str
    record_id: int
    locale: str | None
    countries: tuple[str, ...]
    title: str
    body: str

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.record_id}" + (f":{self.locale}" if self.locale else "")

    @property
    def record(self) -> str:
        return f"{self.kind}:{self.record_id}"

    def title_tokens(self) -> list[str]:
        return tokens(self.title)

    def body_tokens(self) -> list[str]:
        return tokens(self.body)


def _join(*parts) -> str:
    return "\n".join(part for part in parts if part)


def _organisation_documents(ids) -> Iterator[Document]:
    # Government offices and associations have no public page: nothing to find.
    query = select(Organisation).where(
        Organisation.id.in_(ids), Organisation.kind.not_in(PRIVATE_KINDS)
    )
    for org in db.session.scalars(query):
        yield Document(
            "organisation",
            org.id,
            None,
            (org.country,),
            _join(org.name, org.name_local),
            _join(org.province, org.sector, org.licence_number),
        )


def _job_documents(ids) -> Iterator[Document]:
    query = (
        select(Job)
        .where(Job.id.in_(ids), Job.status == "published")
        .options(selectinload(Job.texts), selectinload(Job.employer), selectinload(Job.agency))
    )
    for job in db.session.scalars(query):
        yield Document(
            "job",
            job.id,
            None,
            (job.destination_country,) if job.destination_country else (),
            _join(*(text.title for text in job.texts)),
            _join(
                *(text.description for text in job.texts),
                job.province,
                job.sector,
                job.employer.name if job.employer else None,
                job.employer.name_local if job.employer else None,
                job.agency.name,
            ),
        )


def _article_documents(ids) -> Iterator[Document]:
    query = (
        select(Article)
        .where(Article.id.in_(ids), Article.status == "published")
        .options(selectinload(Article.texts))
    )
    for article in db.session.scalars(query):
        countries = tuple(article.countries) or rights_choices.DESTINATIONS
        for text in article.texts:
            yield Document(
                "article",
                article.id,
                text.locale,
                countries,
                text.title,
                _join(text.summary, markdown_to_text(text.body_markdown)),
            )


def _review_documents(ids) -> Iterator[Document]:
    query = (
        select(Review)
        .where(Review.id.in_(ids), Review.status == "published")
        .options(selectinload(Review.organisation))
    )
    for review in db.session.scalars(query):
        yield Document(
            "review",
            review.id,
            None,
            (review.organisation.country,),
            review.public_title,
            review.public_body,
        )


BUILDERS = {
    "organisation": _organisation_documents,
    "job": _job_documents,
    "article": _article_documents,
    "review": _review_documents,
}
MODELS = {"organisation": Organisation, "job": Job, "article": Article, "review": Review}


def documents_for(records: Iterable[tuple[str, int]]) -> list[Document]:
    """The current public documents of ``records`` ((kind, id) pairs); records that are not
    public (or gone) have none."""
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in records:
        if kind in BUILDERS:
            by_kind.setdefault(kind, []).append(record_id)
    found = []
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), BATCH):
            found.extend(BUILDERS[kind](ids[start : start + BATCH]))
    return found


def all_records() -> Iterator[list[tuple[str, int]]]:
    """Every searchable record, in batches (for a rebuild)."""
    for kind, model in MODELS.items():
        ids = list(db.session.scalars(select(model.id).order_by(model.id)))
        for start in range(0, len(ids), BATCH):
            yield [(kind, record_id) for record_id in ids[start : start + BATCH]]
