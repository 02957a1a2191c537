"""A review's tracking code is stored as HMAC-SHA256 under TRACKING_KEY (SECRET_KEY when that is
empty), so a copy of the database alone cannot be searched for codes.

The expected hash is worked out here with hmac and hashlib, never with the code under test, and
compared with what a real submission through the form left in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from sqlalchemy import select

from goldendreams.core import tracking
from goldendreams.extensions import db
from goldendreams.reviews.models import Review
from tests.conftest import make_config
from tests.factories import AgencyFactory
from tests.reviews.test_views import CODE, review_form

KEY_A = "tracking-key-a-0123456789-abcdefghijklmnopqrstuvwxyz"
KEY_B = "tracking-key-b-0123456789-abcdefghijklmnopqrstuvwxyz"
FIXED_CODE = "7KQM-R2XD-9PWA"


@pytest.fixture
def app_config(request, database_url) -> dict:
    return make_config(database_url, TRACKING_KEY=getattr(request, "param", KEY_A))


def keyed(key: str, code: str) -> str:
    """HMAC-SHA256 of the code in upper case without dashes or spaces."""
    plain = re.sub(r"[^0-9A-Z]", "", code.upper())
    return hmac.new(key.encode(), plain.encode(), hashlib.sha256).hexdigest()


def submit(client) -> tuple[str, str]:
    """Send a review through the form; return the code shown and the hash stored."""
    response = client.post(f"/organisations/{AgencyFactory().id}/review", data=review_form())
    assert response.status_code == 200
    code = CODE.search(response.get_data(as_text=True)).group(1)
    stored = db.session.scalars(select(Review.tracking_hash).order_by(Review.id.desc())).first()
    return code, stored


@pytest.mark.parametrize("app_config", [KEY_A, KEY_B], indirect=True)
def test_the_stored_hash_is_keyed_with_tracking_key(app, client):
    code, stored = submit(client)
    key = app.config["TRACKING_KEY"]
    assert stored == keyed(key, code)
    assert stored != keyed(app.config["SECRET_KEY"], code)  # the tracking key, not the secret
    assert stored != hashlib.sha256(code.replace("-", "").encode()).hexdigest()  # not unkeyed


def test_another_tracking_key_stores_another_hash(app, client, monkeypatch):
    """The same code under another TRACKING_KEY (same SECRET_KEY) is stored differently."""
    monkeypatch.setattr(tracking, "new_code", lambda: FIXED_CODE)
    _, under_a = submit(client)
    app.config["TRACKING_KEY"] = KEY_B
    _, under_b = submit(client)
    assert (under_a, under_b) == (keyed(KEY_A, FIXED_CODE), keyed(KEY_B, FIXED_CODE))
    assert under_a != under_b


@pytest.mark.parametrize("app_config", [""], indirect=True)
def test_an_empty_tracking_key_falls_back_to_the_secret_key(app, client):
    code, stored = submit(client)
    assert stored == keyed(app.config["SECRET_KEY"], code)
