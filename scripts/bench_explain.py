"""EXPLAIN ANALYZE the public pages' queries on a PostgreSQL database filled by
scripts/bench_data.py, and flag any full scan of a large table.

    .venv/bin/python scripts/bench_explain.py postgresql+psycopg://postgres@127.0.0.1:5432/bench

The queries are the pages' own (built by the same functions), with the filters the load
benchmark uses. Exit status 1 when a query reads a table of over 10,000 rows in full.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LARGE = 10_000


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].startswith("postgresql"):
        sys.exit(__doc__)
    os.environ["GOLDENDREAMS_DATABASE_URL"] = sys.argv[1]
    os.environ.setdefault("GOLDENDREAMS_SECRET_KEY", "bench-" * 8)
    from sqlalchemy import func, select, text

    from goldendreams import create_app
    from goldendreams.agencies import queries as directory
    from goldendreams.cases.models import Case
    from goldendreams.cases.queries import referred_to_organisation
    from goldendreams.extensions import db
    from goldendreams.jobs import queries as jobs
    from goldendreams.reviews import queries as reviews
    from goldendreams.reviews.models import OrganisationScore, Review
    from scripts import bench_inbox_explain

    with create_app().app_context():
        busiest = db.session.scalar(
            select(OrganisationScore.organisation_id)
            .order_by(OrganisationScore.review_count.desc())
            .limit(1)
        )
        checks = {
            "directory, agencies in MM": directory.directory_query(
                directory.DirectoryFilters(kind="agency", country="MM")
            ).limit(20),
            "directory, seafood": directory.directory_query(
                directory.DirectoryFilters(sector="seafood")
            ).limit(20),
            "organisation's reviews": reviews.published_reviews(busiest).limit(10),
            "organisation's review count": select(func.count()).select_from(
                reviews.published_reviews(busiest).subquery()
            ),
            "jobs in TH, seafood": jobs.open_jobs(
                jobs.JobFilters(country="TH", sector="seafood")
            ).limit(20),
            "jobs in TH by pay": jobs.open_jobs(jobs.JobFilters(country="TH", sort="salary")).limit(
                20
            ),
            "an agency's open jobs": jobs.open_jobs()
            .where(jobs.Job.agency_id == busiest)
            .limit(20),
            "an employer's open jobs": jobs.open_jobs()
            .where(jobs.Job.employer_id == busiest)
            .limit(20),
            "an organisation's case record": select(Case.opened_on, Case.resolved_on).where(
                Case.organisation_id == busiest, referred_to_organisation()
            ),
            "reviews by day (metrics)": select(Review.written_on, func.count()).group_by(
                Review.written_on
            ),
        }
        sizes = dict(
            db.session.execute(text("SELECT relname, n_live_tup FROM pg_stat_user_tables")).all()
        )
        plans = []
        for name, query in checks.items():
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            explained = db.session.execute(text(f"EXPLAIN ANALYZE {compiled}"))
            plans.append((name, explained.scalars().all()))
        # The inbox's statements, as its read side runs them (scripts/bench_inbox_explain.py).
        for name, statement, parameters in bench_inbox_explain.statements():
            explained = db.session.connection().exec_driver_sql(
                "EXPLAIN ANALYZE " + statement, parameters
            )
            plans.append((name, [row[0] for row in explained]))
        failed = False
        for name, plan in plans:
            scans = {
                table
                for line in plan
                for table in re.findall(r"Seq Scan on (\w+)", line)
                if sizes.get(table, 0) > LARGE
            }
            timing = next((line for line in plan if line.startswith("Execution Time")), "")
            verdict = f"FULL SCAN of {', '.join(sorted(scans))}" if scans else "ok"
            print(f"{name:<36} {timing:<28} {verdict}")
            if scans:
                failed = True
                print("    " + "\n    ".join(plan))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
