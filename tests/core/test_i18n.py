from datetime import date

import pytest
from babel.dates import format_date

from goldendreams.core.i18n import LANGUAGE_NAMES
from tests.conftest import translated
from tests.factories import AgencyFactory

HOME_TITLE = "Know before you go"


def lang_of(response) -> str:
    return response.get_data(as_text=True).split('<html lang="')[1].split('"')[0]


def test_default_is_english(client):
    assert lang_of(client.get("/")) == "en"


@pytest.mark.parametrize("locale", ["my", "km", "th", "lo", "ne"])
def test_accept_language_is_followed(client, locale):
    response = client.get("/", headers={"Accept-Language": f"{locale},en;q=0.5"})
    assert lang_of(response) == locale
    page = response.get_data(as_text=True)
    assert HOME_TITLE not in page
    assert translated(locale, HOME_TITLE) in page


def test_unsupported_browser_language_falls_back_to_english(client):
    assert lang_of(client.get("/", headers={"Accept-Language": "fr-FR,de;q=0.8"})) == "en"


def test_explicit_choice_wins_over_browser(client):
    response = client.get("/language/km?next=/directory/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/directory/"
    cookie = response.headers["Set-Cookie"]
    assert "gd_lang=km" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert lang_of(client.get("/", headers={"Accept-Language": "th"})) == "km"


def test_unknown_language_is_404(client):
    assert client.get("/language/fr").status_code == 404


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/th", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_switcher_names_each_language_in_its_own_script(client):
    page = client.get("/directory/?country=TH").get_data(as_text=True)
    for code, name in LANGUAGE_NAMES.items():
        assert f'lang="{code}" hreflang="{code}"' in page
        assert name in page
    assert "/language/my?next=/directory/?country%3DTH" in page


def test_country_names_and_dates_follow_the_locale(client):
    expiry = date(2030, 1, 31)
    agency = AgencyFactory(country="MM", licence_expiry=expiry)
    client.set_cookie("gd_lang", "th")
    page = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert "เมียนมา" in page  # Myanmar, in Thai, from CLDR
    assert format_date(expiry, "medium", locale="th") in page


@pytest.mark.parametrize("locale", ["my", "km", "th", "lo", "ne"])
def test_error_pages_are_translated(client, locale):
    client.set_cookie("gd_lang", locale)
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "Page not found" not in page
    assert translated(locale, "Page not found") in page
    assert lang_of(client.get("/no/such/page")) == locale
