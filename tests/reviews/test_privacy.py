"""Nothing stored with a review, or logged while taking it, can identify the writer."""

import logging
from datetime import date, datetime

from sqlalchemy import inspect, select

from goldendreams.extensions import db
from goldendreams.reviews.models import Review
from tests.factories import AgencyFactory
from tests.reviews.test_views import review_form

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Linux; Android 9; TestPhone-7731) UniqueBrowser/42.1"


def every_stored_value():
    """Every value in every table of the database."""
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            yield from ((table.name, value) for value in row)


def test_a_review_stores_and_logs_nothing_about_the_writer(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    agency = AgencyFactory()
    response = client.post(
        f"/organisations/{agency.id}/review",
        data=review_form(),
        environ_base={"REMOTE_ADDR": ADDRESS},
        headers={"User-Agent": BROWSER, "X-Forwarded-For": ADDRESS},
    )
    assert response.status_code == 200
    for table, value in every_stored_value():
        text = str(value)
        assert ADDRESS not in text, table
        assert ADDRESS not in text and "UniqueBrowser" not in text and "TestPhone" not in text
    assert ADDRESS not in caplog.text and "UniqueBrowser" not in caplog.text

    review = db.session.scalars(select(Review)).one()
    times = [
        column.key
        for column in inspect(Review).columns
        if isinstance(getattr(review, column.key), datetime)
    ]
    assert times == []  # dates only: no time of day
    assert isinstance(review.written_on, date)


def test_the_rate_limit_keeps_no_address(app, client):
    from goldendreams.extensions import limiter

    agency = AgencyFactory()
    client.post(
        f"/organisations/{agency.id}/review",
        data=review_form(),
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    storage = limiter.storage
    keys = list(getattr(storage, "storage", {}).keys())
    assert keys, "the limiter counted nothing"
    assert not any(ADDRESS in key for key in keys)
