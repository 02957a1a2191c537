"""Controls as a phone shows them: checkboxes look like checkboxes, buttons say what kind of
step they are, and a review is only withdrawn once the worker says they are sure."""

import re
from pathlib import Path

from sqlalchemy import select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from tests.factories import AgencyFactory, CaseFactory, JobFactory, ReviewFactory
from tests.reviews.test_services import GOOD

STYLESHEET = Path(__file__).parents[1] / "goldendreams" / "static" / "style.css"


def declarations(selector: str) -> dict[str, str]:
    """The declarations of every rule whose selector list names ``selector`` exactly, in
    file order (later ones win, as in the browser for equal specificity)."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    found: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector in (s.strip() for s in selectors.split(",")):
            for declaration in body.split(";"):
                if ":" in declaration:
                    name, value = declaration.split(":", 1)
                    found[name.strip()] = value.strip()
    return found


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_checkbox_is_a_small_box_beside_a_tall_label():
    box = declarations("input[type=checkbox]")
    assert box.get("width") not in (None, "100%") and box.get("min-height") == "0"
    assert declarations("input[type=radio]") == box
    label = declarations("label.choice")
    assert label.get("display") == "flex" and label.get("min-height") == "48px"


def test_every_checkbox_sits_in_its_label(client, login_as):
    job = JobFactory()
    pages = [page(client.get("/jobs/")), page(client.get(f"/jobs/{job.id}/apply"))]
    login_as(Role.CASEWORKER)
    pages.append(page(client.get(f"/cases/{CaseFactory().id}")))
    for html in pages:
        boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', html)
        assert boxes
        assert len(re.findall(r'<label class="choice"><input[^>]*type="checkbox"', html)) == len(
            boxes
        )


def test_secondary_and_danger_buttons_are_not_primary():
    primary = declarations("input[type=submit]")["background"]
    # A submit input outweighs a bare class: each kind must name it.
    assert declarations("input[type=submit].secondary")["background"] == "#fff"
    danger = declarations("input[type=submit].danger")
    assert danger["background"] not in (primary, "#fff") and danger["color"] == "#fff"
    assert declarations(".button.danger")["background"] == danger["background"]


def test_destructive_buttons_use_the_danger_style(client, login_as):
    _review, code = review_services.submit_review(AgencyFactory(), GOOD)
    status = page(client.post("/check", data={"code": code}))
    assert re.search(r'<input class="danger"[^>]*value="Withdraw my review"', status)
    login_as(Role.MODERATOR)
    review = ReviewFactory()
    decision = page(client.get(f"/moderation/reviews/{review.id}"))
    assert re.search(r'<input class="danger"[^>]*value="Do not publish"', decision)


def test_withdrawing_asks_first_and_keeps_the_code(client):
    _review, code = review_services.submit_review(AgencyFactory(), GOOD)
    status = page(client.post("/check", data={"code": code}))
    assert 'name="confirm" type="checkbox"' in status
    assert "Yes, erase my review for ever" in status

    refused = client.post("/check/withdraw", data={"code": code})
    assert refused.status_code == 400
    html = page(refused)
    assert "Tick the box if you are sure." in html
    assert f'value="{code}"' in html  # the hidden code is still there for the second try
    db.session.expire_all()
    assert db.session.scalars(select(Review)).one().status == "pending"

    done = client.post("/check/withdraw", data={"code": code, "confirm": "y"})
    assert done.status_code == 200 and "Your review is withdrawn." in page(done)
    db.session.expire_all()
    assert db.session.scalars(select(Review)).one().status == "withdrawn"
