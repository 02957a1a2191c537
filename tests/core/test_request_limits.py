"""Requests refused before any work: too many form fields or too big a body (413, a
translated page, nothing stored), control characters in a path (400) or in ?next=."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.reviews.models import Review
from tests.conftest import TEST_PASSWORD, enter_code
from tests.factories import AgencyFactory, OrganisationFactory
from tests.reviews.test_views import review_form


def reviews() -> int:
    return db.session.scalar(select(func.count()).select_from(Review))


def post_form(client, path: str, body: str):
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


def test_the_review_form_as_sent_is_stored(client):
    org = OrganisationFactory()
    post_form(client, f"/organisations/{org.id}/review", urlencode(review_form()))
    assert reviews() == 1  # so the refusals below are the caps, not a bad form


def test_a_form_of_100000_fields_is_refused_at_once_and_nothing_is_stored(client):
    org = OrganisationFactory()
    padding = "&".join(f"x{n}=1" for n in range(100_000))
    body = urlencode(review_form()) + "&" + padding
    began = time.perf_counter()
    response = post_form(client, f"/organisations/{org.id}/review", body)
    assert time.perf_counter() - began < 0.5
    assert response.status_code == 413
    assert "This form is too big" in response.get_data(as_text=True)
    assert reviews() == 0


def test_a_body_over_the_size_cap_is_refused(client, app):
    org = OrganisationFactory()
    body = urlencode(review_form(body="a" * app.config["MAX_CONTENT_LENGTH"]))
    response = post_form(client, f"/organisations/{org.id}/review", body)
    assert response.status_code == 413
    assert reviews() == 0


def test_the_biggest_form_fits_under_the_caps(client, login_as, app):
    """A job form with every language's text at its longest (Burmese: 3 bytes a letter)
    and 50 cost lines is well under the field and size caps."""
    agency = AgencyFactory()
    login_as(Role.AGENCY_STAFF, agency)
    page = client.get(f"/portal/{agency.id}/jobs/new").get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', page))
    fee_fields = {name for name in names if name.startswith("fees-0-")}
    assert fee_fields, "the job form has no cost lines"
    fields = dict.fromkeys(names, "1")
    for locale in ("en", "my", "km", "th", "lo", "ne"):
        fields[f"texts-{locale}-description"] = "က" * 10_000
    pairs = list(fields.items()) + [
        (name.replace("fees-0-", f"fees-{n}-"), "1") for n in range(50) for name in fee_fields
    ]
    body = urlencode(pairs)
    assert len(pairs) < app.config["MAX_FORM_PARTS"] // 2 + 10
    assert len(body.encode()) < app.config["MAX_CONTENT_LENGTH"]
    response = post_form(client, f"/portal/{agency.id}/jobs/new", body)
    assert response.status_code in (200, 302)  # answered (valid or not), not refused


@pytest.mark.parametrize(
    "path",
    ["/rights/%00", "/organisations/1%00/reviews", "/search%00", "/jobs/%0d%0aforged: line"],
)
def test_a_path_with_control_characters_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Something was wrong with that request" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/jobs/%0d%0aSet-Cookie:%20x=1", "/help%00", "/jobs%09"])
def test_a_next_with_control_characters_is_ignored(client, user_for, target):
    user = user_for(Role.MODERATOR)
    response = client.post(
        f"/login?next={target}", data={"email": user.email, "password": TEST_PASSWORD}
    )
    # The code step carries it along, encoded; where the login ends, it is dropped.
    assert response.status_code == 302 and "\r" not in response.headers["Location"]
    response = enter_code(client, user, response.headers["Location"])
    assert response.headers["Location"] in ("/staff", "/moderation/", "/staff/")
    assert "\r" not in response.headers["Location"] and "x=1" not in str(response.headers)


@pytest.mark.parametrize("target", ["/jobs/%0d%0aSet-Cookie:%20x=1", "/help%00"])
def test_the_language_switch_ignores_a_next_with_control_characters(client, target):
    response = client.get(f"/language/th?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
