"""The caseworker's case page, the brand page and /metrics as a phone shows them: the
assign menu tells the truth, empty sections say so in words, main links are tall enough."""

import re

from goldendreams.core.auth import Role
from tests.factories import BuyerFactory, CaseFactory, UserFactory


def selected_assignee(page: str) -> list[str]:
    menu = re.search(r'<select[^>]*name="assignee_id".*?</select>', page, re.S).group(0)
    return re.findall(r'<option selected value="([^"]*)">', menu)


def test_assign_menu_shows_the_current_caseworker(client, login_as):
    me = login_as(Role.CASEWORKER)
    first = UserFactory(role="caseworker", email="aaa-first@example.org")
    other = UserFactory(role="caseworker", email="zzz-other@example.org")
    case = CaseFactory(assignee_id=other.id)
    assert first.email < other.email and me.email < other.email  # "other" is not on top
    page = client.get(f"/cases/{case.id}").text
    assert selected_assignee(page) == [str(other.id)]


def test_assign_menu_says_nobody_when_nobody_is_assigned(client, login_as):
    login_as(Role.CASEWORKER)
    UserFactory(role="caseworker", email="aaa-first@example.org")
    page = client.get(f"/cases/{CaseFactory().id}").text
    assert selected_assignee(page) == ["0"]
    assert '<option selected value="0">Nobody yet</option>' in page


def test_a_switched_off_assignee_is_still_shown(client, login_as):
    login_as(Role.CASEWORKER)
    gone = UserFactory(role="caseworker", email="gone@example.org", active=False)
    page = client.get(f"/cases/{CaseFactory(assignee_id=gone.id).id}").text
    assert selected_assignee(page) == [str(gone.id)]


def test_an_empty_timeline_says_so(client, login_as):
    login_as(Role.CASEWORKER)
    page = client.get(f"/cases/{CaseFactory().id}").text
    assert "Nothing has happened in this case yet." in page
    assert '<ol class="timeline">' not in page


def test_main_links_of_the_case_page_are_tall(client, login_as):
    login_as(Role.CASEWORKER)
    page = client.get(f"/cases/{CaseFactory().id}").text
    assert re.search(r'<a class="link" href="/cases/">Back</a>', page)


def test_empty_charts_say_so_on_metrics_and_the_brand_page(client, login_as):
    metrics = client.get("/metrics").text
    resolved = metrics.split("Cases resolved by month", 1)[1].split("<h2>", 1)[0]
    assert "Nothing to show yet." in resolved and "<table" not in resolved
    login_as(Role.BRAND, organisation=BuyerFactory())
    page = client.get("/brand/").text
    by_month = page.split("By month", 1)[1].split("<h2>", 1)[0]
    assert "Nothing to show yet." in by_month and "<table" not in by_month
