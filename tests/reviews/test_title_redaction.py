"""Personal data in a review's title is hidden in the public title, as in the body."""

from dataclasses import replace

import pytest

from goldendreams.reviews import services
from tests.factories import AgencyFactory
from tests.reviews.test_services import GOOD

MARKER = "[•••]"


@pytest.mark.parametrize(
    ("title", "secret"),
    [
        pytest.param("Agent 081-234-5678 took my money", "081-234-5678", id="phone"),
        pytest.param("Broker aung(at)gmail(dot)com lies", "aung(at)gmail(dot)com", id="email"),
        pytest.param("Boss on my LINE is somchai99", "somchai99", id="chat-name"),
        pytest.param("ไลน์ somchai.job โกงเงิน", "somchai.job", id="thai-chat-word"),
    ],
)
def test_personal_data_in_the_title_is_hidden_in_public(app, title: str, secret: str) -> None:
    review, _code = services.submit_review(AgencyFactory(), replace(GOOD, title=title))
    assert review.title == title  # moderators still see the original
    assert review.public_title == title.replace(secret, MARKER)
    assert review.redactions[0]["field"] == "title"
    assert secret not in review.public_title
