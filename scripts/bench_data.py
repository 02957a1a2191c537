"""Fill an empty database with benchmark data: 5,000 organisations, 20,000 jobs, 100,000
reviews in six languages, 5,000 cases with timelines run by 20 CSOs, and 60 articles; then
the inbox (scripts/bench_inbox.py): 8 caseworkers per CSO, 250,000 conversations with
1,000,000 messages over three years, contacts, saved answers, 60,000 logged calls (the
default sizes).

    .venv/bin/python scripts/bench_data.py --database sqlite:////tmp/bench.db
    .venv/bin/python scripts/bench_data.py --search-backend postgres \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/bench

Seeded: the same arguments give the same rows (dates are counted from today). Rows go in
with bulk INSERTs (the write layer would take an hour for this volume), with the fields the
write layer derives (a job's monthly pay and "employer pays") filled in; organisation scores
are then computed by the write layer's own function and the search index is rebuilt.
``--drop`` empties the database first. Texts are sentences of the sample rights articles in
each language; names are long on purpose (page weight). Every organisation is marked as demo data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text

from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.extensions import db
from scripts import bench_inbox

ARTICLES_DIR = ROOT / "goldendreams/rights/data/articles"
LOCALES = tuple(LANGUAGE_NAMES)
BATCH = 5000

PROVINCES = {
    "TH": ("Bangkok", "Samut Sakhon", "Chon Buri", "Rayong", "Songkhla", "Tak", "Chiang Mai",
           "Surat Thani", "Nakhon Ratchasima", "Pathum Thani", "Ranong", "Lop Buri"),
    "MY": ("Selangor", "Penang", "Johor", "Kuala Lumpur", "Sabah", "Sarawak", "Perak", "Kedah"),
    "MM": ("Yangon", "Mandalay", "Mon", "Bago", "Ayeyarwady", "Shan"),
    "KH": ("Phnom Penh", "Battambang", "Siem Reap", "Prey Veng", "Kampong Cham"),
    "LA": ("Vientiane", "Savannakhet", "Champasak", "Luang Prabang"),
    "NP": ("Kathmandu", "Lalitpur", "Jhapa", "Morang", "Rupandehi", "Kaski"),
}  # fmt: skip
WORDS = (
    "Siam", "Golden", "Mekong", "Lotus", "Ocean", "Andaman", "Rubber", "Palm", "Harvest",
    "Orchid", "Bridge", "Star", "Union", "Pacific", "Delta", "Royal", "Eastern", "Northern",
    "Southern", "Global", "Prosperity", "Fortune", "Emerald", "Sapphire", "Lucky", "Bright",
)  # fmt: skip
TRADES = {
    "seafood": "Seafood Processing and Cold Storage", "fishing": "Deep Sea Fishing Fleet",
    "poultry": "Poultry and Food Products", "garments": "Garment and Knitting Industries",
    "electronics": "Electronics and Precision Components",
    "construction": "Construction and Engineering",
    "agriculture": "Plantation and Agricultural Products", "domestic_work": "Home Care Services",
    "manufacturing": "Rubber Gloves Manufacturing", "hospitality": "Hotel and Resort Management",
    "retail": "Retail and Wholesale Trading", "recruitment": "Overseas Employment Services",
}  # fmt: skip
SUFFIX = {"TH": "Co., Ltd.", "MY": "Sdn. Bhd.", "MM": "Co., Ltd.", "KH": "Co., Ltd.",
          "LA": "Sole Co., Ltd.", "NP": "Pvt. Ltd."}  # fmt: skip
LOCAL_PREFIX = {"TH": "บริษัท ", "MM": "ကုမ္ပဏီ ", "KH": "ក្រុមហ៊ុន ", "LA": "ບໍລິສັດ ",
                "NP": "कम्पनी "}  # fmt: skip
ORIGIN_LANGUAGE = {"MM": "my", "KH": "km", "LA": "lo", "NP": "ne"}
EMPLOYER_SECTORS = [s for s in TRADES if s != "recruitment"]
YES_NO = ("yes", "no", "unsure", None)


def sentences() -> dict[str, list[str]]:
    """Plain sentences of the sample articles, by language."""
    found: dict[str, list[str]] = {locale: [] for locale in LOCALES}
    for path in sorted(ARTICLES_DIR.glob("*/*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip("-#*|> ").strip()
            if len(line) > 20:
                found[path.stem].append(line)
    return found


class Generator:
    def __init__(self, sizes: argparse.Namespace, seed: int):
        self.rng = random.Random(seed)
        # The CSOs and which of them runs each case have a generator of their own: the rows
        # drawn before the network (organisations, jobs, reviews, cases) stay the same.
        self.network_rng = random.Random(f"network-{seed}")
        self.sizes = sizes
        self.text = sentences()
        self.today = date.today()

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def insert(self, model, rows: list[dict]) -> None:
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(model.__table__), rows[start : start + BATCH])

    def local_name(self, prefix: str, country: str) -> str:
        return prefix + self.paragraph(ORIGIN_LANGUAGE.get(country, "th"), 1, 1)[:60]

    def paragraph(self, locale: str, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.text[locale], k=self.rng.randint(low, high)))

    # -- organisations -------------------------------------------------------------------
    def organisations(self) -> None:
        from goldendreams.agencies.models import Organisation

        rng, rows = self.rng, []
        count = self.sizes.organisations
        for number in range(1, count + 1):
            share = number / count
            kind = "agency" if share <= 0.4 else "buyer" if share > 0.96 else "employer"
            if kind == "agency":
                country = rng.choice(("MM", "KH", "LA", "NP", "TH", "MY"))
                sector = "recruitment"
            else:
                country = rng.choice(("TH", "TH", "MY")) if kind == "employer" else "TH"
                sector = rng.choice(EMPLOYER_SECTORS)
            base = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {TRADES[sector]}"
            name = f"{base} {SUFFIX[country]} ({rng.choice(PROVINCES[country])} branch {number})"
            local = LOCAL_PREFIX.get(country)
            licence = kind == "agency"
            rows.append({
                "id": number, "kind": kind, "name": name, "sort_name": name.casefold(),
                "name_local": self.local_name(local, country) if local else None,
                "country": country, "province": rng.choice(PROVINCES[country]), "sector": sector,
                "licence_number": f"L-{country}-{number:06d}" if licence else None,
                "licence_authority": f"Department of Labour ({country})" if licence else None,
                "licence_status": rng.choice(("valid",) * 8 + ("expired", "suspended", "revoked"))
                if licence else None,
                "licence_expiry": self.today + timedelta(days=rng.randint(-200, 1500))
                if licence else None,
                "verified": rng.random() < 0.3, "contact_phone": f"+66 2 {number:07d}",
                "is_demo": True,
            })  # fmt: skip
        self.insert(Organisation, rows)
        self.csos = self.network(count)
        self.agencies = [r["id"] for r in rows if r["kind"] == "agency"]
        self.employers = [r["id"] for r in rows if r["kind"] == "employer"]
        self.buyers = [r["id"] for r in rows if r["kind"] == "buyer"]
        self.kind_of = {r["id"]: r["kind"] for r in rows}
        self.country_of = {r["id"]: r["country"] for r in rows}

    def network(self, after: int) -> list[int]:
        """The CSOs that run the cases (ids after the other organisations'), and the routing
        rules that send new cases to them."""
        from goldendreams.agencies.models import Organisation
        from goldendreams.cases.models import RoutingRule

        rng, rows = self.network_rng, []
        for number in range(after + 1, after + self.sizes.csos + 1):
            country = rng.choice(("TH", "TH", "MY"))
            name = f"{rng.choice(WORDS)} Migrant Workers' Rights Network ({number})"
            rows.append({
                "id": number, "kind": rng.choice(("ngo", "ngo", "ngo", "union")), "name": name,
                "sort_name": name.casefold(), "country": country,
                "province": rng.choice(PROVINCES[country]), "verified": True,
                "countries_covered": [country, rng.choice(("MM", "KH", "LA", "NP"))],
                "provinces_covered": [], "languages": rng.sample(["my", "km", "lo", "ne"], 2),
                "services": ["case_support"], "contact_phone": f"+66 2 {number:07d}",
                "is_demo": True,
            })  # fmt: skip
        self.insert(Organisation, rows)
        # The first CSO takes what no other rule matches; each CSO, the workers who speak
        # its first language.
        rules = [{"worker_language": None, "cso_id": rows[0]["id"]}] + [
            {"worker_language": row["languages"][0], "cso_id": row["id"]} for row in rows
        ]
        self.insert(RoutingRule, [rule | {"id": n} for n, rule in enumerate(rules, start=1)])
        return [row["id"] for row in rows]

    def links(self) -> None:
        from goldendreams.agencies.models import OrganisationLink

        pairs = set()
        for agency in self.agencies:
            for employer in self.rng.sample(self.employers, 3):
                pairs.add(("recruits_for", agency, employer))
        for buyer in self.buyers:
            for employer in self.rng.sample(self.employers, 15):
                pairs.add(("buys_from", buyer, employer))
        rows = [{"kind": k, "source_id": s, "target_id": t} for k, s, t in sorted(pairs)]
        self.insert(OrganisationLink, rows)
        self.recruits_for = {}
        for kind, source, target in sorted(pairs):
            if kind == "recruits_for":
                self.recruits_for.setdefault(source, []).append(target)

    # -- jobs ----------------------------------------------------------------------------
    def jobs(self) -> None:
        from goldendreams.jobs.choices import FEE_KINDS
        from goldendreams.jobs.models import FeeLine, Job, JobText

        rng = self.rng
        jobs, texts, fees = [], [], []
        for number in range(1, self.sizes.jobs + 1):
            agency = rng.choice(self.agencies)
            employer = rng.choice(self.recruits_for.get(agency) or self.employers)
            destination = self.country_of[employer] if self.country_of[employer] in (
                "TH", "MY") else "TH"  # fmt: skip
            currency = "THB" if destination == "TH" else "MYR"
            monthly = Decimal(
                rng.randrange(9000, 16000, 50)
                if currency == "THB"
                else rng.randrange(1500, 2600, 10)
            )
            status = rng.choices(("published", "submitted", "draft", "closed", "rejected"),
                                 (70, 8, 8, 10, 4))[0]  # fmt: skip
            created = self.days_ago(20, 400)
            lines = []
            for kind in rng.sample(list(FEE_KINDS), rng.randint(2, 5)):
                paid_by = "worker" if rng.random() < 0.35 else "employer"
                amount = Decimal(rng.randrange(500, 20000, 100))
                lines.append({"job_id": number, "kind": kind, "amount": amount,
                              "currency": currency, "paid_by": paid_by})  # fmt: skip
            fees.extend(lines)
            jobs.append({
                "id": number, "agency_id": agency, "employer_id": employer, "status": status,
                "sector": rng.choice(EMPLOYER_SECTORS), "destination_country": destination,
                "province": rng.choice(PROVINCES[destination]),
                "positions": rng.randint(1, 200), "salary_amount": monthly,
                "salary_currency": currency, "salary_period": "month", "monthly_salary": monthly,
                "hours_per_day": Decimal(8), "rest_days_per_week": 1,
                "overtime_rate": Decimal("1.5"),
                "accommodation": rng.choice(("free", "deducted", "none")),
                "food": rng.choice(("free", "deducted", "none")), "contract_months": 24,
                "gender": rng.choice(("any", "women", "men")), "age_min": 18, "age_max": 45,
                "languages": rng.sample(["my", "km", "lo", "ne", "th"], 2),
                "skills": self.paragraph("en", 1, 2),
                "recruiting_from": rng.sample(["MM", "KH", "LA", "NP"], 2),
                "deadline": self.today + timedelta(days=rng.randint(5, 200)),
                "employer_pays": all(line["paid_by"] == "employer" for line in lines),
                "checks": [], "created_on": created,
                "submitted_on": created if status != "draft" else None,
                "published_on": created + timedelta(days=2)
                if status in ("published", "closed") else None,
                "closed_on": self.today - timedelta(days=1) if status == "closed" else None,
            })  # fmt: skip
            for locale in ["en", *rng.sample(LOCALES[1:], rng.randint(1, 3))]:
                title = rng.choice(self.text[locale])[:120]
                texts.append({"job_id": number, "locale": locale, "title": title,
                              "description": self.paragraph(locale, 4, 10)})  # fmt: skip
        self.insert(Job, jobs)
        self.insert(JobText, texts)
        self.insert(FeeLine, fees)

    # -- reviews -------------------------------------------------------------------------
    def reviews(self) -> None:
        from goldendreams.reviews.choices import CRITERIA_BY_KIND, DOCUMENT_HOLDERS, FEE_PAID_TO
        from goldendreams.reviews.models import Review

        rng = self.rng
        reviewed = self.agencies + self.employers
        # A few organisations get very many reviews (the heavy org pages), most get some.
        weights = [1 / (rank + 10) for rank in range(len(reviewed))]
        rows = []
        for number in range(1, self.sizes.reviews + 1):
            org = rng.choices(reviewed, weights)[0]
            locale = rng.choice(LOCALES)
            criteria = CRITERIA_BY_KIND[self.kind_of[org]]
            fees_paid = rng.choice(YES_NO)
            status = rng.choices(("published", "pending", "rejected", "withdrawn"), (86, 8, 5, 1))[
                0
            ]
            written = self.days_ago(1, 1000)
            title = rng.choice(self.text[locale])[:100]
            body = self.paragraph(locale, 2, 6)[:4000]
            rows.append({
                "id": number, "organisation_id": org, "status": status, "language": locale,
                "rating": rng.choices((1, 2, 3, 4, 5), (15, 15, 25, 25, 20))[0],
                "sub_ratings": {c: rng.randint(1, 5) for c in criteria if rng.random() < 0.7},
                "fees_paid": fees_paid,
                "fee_amount": Decimal(rng.randrange(1000, 60000, 500))
                if fees_paid == "yes" else None,
                "fee_currency": rng.choice(("THB", "MMK", "USD")) if fees_paid == "yes" else None,
                "fee_paid_to": rng.choice(list(FEE_PAID_TO)) if fees_paid == "yes" else None,
                "documents_holder": rng.choice(list(DOCUMENT_HOLDERS)),
                "job_as_promised": rng.choice(YES_NO), "contract_in_language": rng.choice(YES_NO),
                "wages_on_time": rng.choice(YES_NO), "forced_overtime": rng.choice(YES_NO),
                "free_to_leave": rng.choice(YES_NO),
                "relationship_kind": rng.choice(("applied", "current", "former")),
                "year": written.year, "title": title, "body": body, "zawgyi_converted": False,
                "redactions": [], "public_title": title, "public_body": body,
                "written_on": written,
                "published_on": written + timedelta(days=1) if status == "published" else None,
                "tracking_hash": hashlib.sha256(f"bench-review-{number}".encode()).hexdigest(),
            })  # fmt: skip
        self.insert(Review, rows)
        self.published_reviews = [
            (r["id"], r["organisation_id"]) for r in rows if r["status"] == "published"
        ]

    # -- cases ---------------------------------------------------------------------------
    def cases(self) -> None:
        from goldendreams.cases import taxonomy
        from goldendreams.cases.models import Case, CaseEvent, IssueCategory, case_categories

        taxonomy.load()
        categories = list(db.session.scalars(select(IssueCategory.id)))
        rng = self.rng
        cases, events, links = [], [], []
        from_reviews = rng.sample(self.published_reviews, self.sizes.cases // 2)
        flow = ("new", "triaged", "referred", "in_remediation", "resolved", "closed")
        for number in range(1, self.sizes.cases + 1):
            if number <= len(from_reviews):
                review_id, org = from_reviews[number - 1]
                source = "review"
            else:
                review_id, org = None, rng.choice(self.agencies + self.employers)
                source = rng.choice(("hotline", "outreach"))
            opened = self.days_ago(10, 700)
            steps = rng.randint(0, len(flow) - 1)
            status = flow[steps]
            day = opened
            for step in range(steps):
                day = min(self.today, day + timedelta(days=rng.randint(1, 20)))
                events.append(event_row(
                    number, day, "status", shared=flow[step + 1] != "triaged",
                    status_from=flow[step], status_to=flow[step + 1],
                ))  # fmt: skip
                if rng.random() < 0.5:
                    events.append(event_row(number, day, "note", text=self.paragraph("en", 1, 3)))
            cases.append({
                "id": number, "reference": f"ILM-{opened.year}-{number:05d}", "source": source,
                "organisation_id": org, "review_id": review_id,
                "owner_id": self.network_rng.choice(self.csos),
                "severity": rng.choice(("low", "medium", "high", "urgent")), "status": status,
                "workers_affected": rng.randint(1, 300),
                "summary": self.paragraph("en", 2, 4) if source != "review" else None,
                "opened_on": opened, "stage_since": day,
                "resolved_on": day if status in ("resolved", "closed") else None,
                "closed_on": day if status == "closed" else None,
                "outcome": rng.choice(("resolved_confirmed", "resolved_unconfirmed"))
                if status == "closed" else None,
                "worker_answer": rng.choice(("yes", "partly", "no"))
                if status == "closed" else None,
            })  # fmt: skip
            for category in rng.sample(categories, rng.randint(1, 3)):
                links.append({"case_id": number, "category_id": category})
        self.insert(Case, cases)
        self.insert(CaseEvent, events)
        for start in range(0, len(links), BATCH):
            db.session.execute(insert(case_categories), links[start : start + BATCH])

    # -- articles ------------------------------------------------------------------------
    def articles(self) -> None:
        """The 13 sample articles, then generated ones up to the count, in six languages."""
        from goldendreams.rights import seed
        from goldendreams.rights.choices import TOPICS
        from goldendreams.rights.models import Article, ArticleText
        from goldendreams.rights.services import save_article, save_text

        seed.load_articles()
        seed.load_hotlines()
        have = db.session.scalar(select(func.count(Article.id)))
        for number in range(have + 1, self.sizes.articles + 1):
            fields = {
                "slug": f"bench-article-{number}", "topic": self.rng.choice(list(TOPICS)),
                "countries": ["TH"], "position": number, "demo": True,
            }  # fmt: skip
            article = save_article(None, status="draft", **fields)
            for locale in LOCALES:
                save_text(
                    None, article, locale=locale,
                    title=self.rng.choice(self.text[locale])[:150],
                    summary=self.paragraph(locale, 1, 1)[:400],
                    body_markdown="\n\n".join(self.paragraph(locale, 2, 4) for _ in range(6)),
                )  # fmt: skip
            save_article(None, article, status="published", **fields)
        assert db.session.scalar(select(func.count(ArticleText.id))) >= self.sizes.articles


def event_row(case_id: int, day: date, kind: str, shared: bool = False, **fields) -> dict:
    """A case event with every column given (a bulk INSERT needs the same keys in each row)."""
    row = dict.fromkeys(("status_from", "status_to", "text"))
    return row | fields | {"case_id": case_id, "kind": kind, "shared": shared, "happened_on": day}


def reset_sequences() -> None:
    """Rows went in with their ids: move PostgreSQL's sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            # The names are our own tables' (no user input).
            statement = "SELECT setval(pg_get_serial_sequence(:name, 'id'), GREATEST(MAX(id), 1)) "
            db.session.execute(text(statement + f"FROM {table.name}"), {"name": table.name})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--drop", action="store_true", help="drop every table first")
    parser.add_argument("--search-backend", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--search-index", default=str(ROOT / "instance/bench-search-index"))
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=20000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--csos", type=int, default=20, help="CSOs that run the cases")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=8)
    bench_inbox.add_arguments(parser)
    args = parser.parse_args()

    os.environ.update({
        "GOLDENDREAMS_DATABASE_URL": args.database,
        "GOLDENDREAMS_SEARCH_BACKEND": args.search_backend,
        "GOLDENDREAMS_SEARCH_INDEX_PATH": args.search_index,
        "GOLDENDREAMS_SECRET_KEY": os.environ.get("GOLDENDREAMS_SECRET_KEY", "bench-" * 8),
    })  # fmt: skip
    from flask_migrate import upgrade

    from goldendreams import create_app
    from goldendreams.agencies.models import Organisation
    from goldendreams.reviews import scores
    from goldendreams.search import indexer
    from goldendreams.search.backends import backend_for

    app = create_app()
    with app.app_context():
        if args.drop:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))
        if db.session.scalar(select(func.count(Organisation.id))):
            sys.exit("The database holds data already: give an empty one, or --drop.")
        generator = Generator(args, args.seed)
        for step in ("organisations", "links", "jobs", "reviews", "cases", "articles"):
            started = time.perf_counter()
            getattr(generator, step)()
            db.session.commit()
            print(f"{step:<14} {time.perf_counter() - started:6.1f} s", flush=True)
        bench_inbox.fill(
            generator, args, args.seed,
            lambda step, seconds: print(f"{step:<14} {seconds:6.1f} s", flush=True),
        )  # fmt: skip
        reset_sequences()
        db.session.commit()
        started = time.perf_counter()
        count = scores.recompute_all(
            app.config["REVIEW_MIN_FOR_SCORES"], app.config["FEE_MIN_FOR_SCORES"]
        )
        print(f"{'scores':<14} {time.perf_counter() - started:6.1f} s ({count} organisations)")
        started = time.perf_counter()
        documents = indexer.reindex(backend_for())
        print(
            f"{'search index':<14} {time.perf_counter() - started:6.1f} s ({documents} documents)"
        )
        if db.engine.dialect.name == "postgresql":
            # As autovacuum leaves a live site: statistics, and the visibility map that lets
            # counts (the inbox's per state) read only the index.
            db.session.commit()
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE")
                )
    print(json.dumps({k: v for k, v in vars(args).items() if k != "database"}))


if __name__ == "__main__":
    main()
