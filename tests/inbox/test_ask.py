"""Ask for help (/ask): two steps without JavaScript, an emergency's numbers before anything
is sent, one conversation stored with a code shown once, and nothing the worker typed lost
(bad input, the rate limit)."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from sqlalchemy import func, select

from goldendreams.extensions import db
from goldendreams.inbox.models import Contact, Conversation, Message
from tests.conftest import translated
from tests.factories import AgencyFactory, HotlineFactory, OrganisationFactory, network_cso

CODE = re.compile(r'<p class="code" translate="no">([A-Z0-9-]+)</p>')
WORDS = "The agency kept my passport and wants 20,000 baht to give it back. zqwords"
SECRET_CONTACT = "ma.hla.zq.line"


def ask_form(**overrides) -> dict:
    data = {"topic": "recruitment", "country": "TH", "text": WORDS, "organisation": "",
            "contact_method": "", "contact_value": ""}  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Conversation, Message, Contact)
    )


def test_step_one_asks_what_and_where_and_stores_nothing(client):
    page = client.get("/ask").get_data(as_text=True)
    assert 'method="get"' in page
    assert "An emergency: I am in danger now" in page and "A problem at work" in page
    for country in ("Thailand", "Malaysia", "Myanmar", "Cambodia", "Laos", "Nepal"):
        assert country in page
    assert counts() == (0, 0, 0)


def test_the_help_page_country_is_chosen_already(client):
    client.set_cookie("gd_country", "MY")
    page = client.get("/ask").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="country"[^>]*value="MY"', page) or re.search(
        r'<input[^>]*checked[^>]*value="MY"', page
    )


def test_an_emergency_shows_the_numbers_before_anything_is_sent(client):
    HotlineFactory(country="TH", organisation="Samut Sakhon Migrant Helpline")
    HotlineFactory(country="MY", organisation="Penang Helpline")
    response = client.get("/ask?topic=emergency&country=TH")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert counts() == (0, 0, 0)  # a GET: nothing stored
    form_at = page.index('method="post"')
    for number in ("191", "1669", "1155"):
        assert page.index(f'href="tel:{number}"') < form_at
    assert page.index("Samut Sakhon Migrant Helpline") < form_at
    assert "Penang Helpline" not in page and 'href="tel:999"' not in page
    assert "You can also write to us below." in page


def test_other_topics_show_no_emergency_box(client):
    page = client.get("/ask?topic=question&country=MY").get_data(as_text=True)
    assert 'href="tel:999"' not in page and "You can also write to us below." not in page
    assert 'name="text"' in page and 'value="question"' in page


@pytest.mark.parametrize(
    "query", ["topic=party&country=TH", "topic=question&country=FR", "topic=question", "country=TH"]
)
def test_unknown_choices_show_step_one_again(client, query):
    response = client.get(f"/ask?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'method="get"' in page and 'name="text"' not in page
    assert 'class="error"' in page
    assert any(m in page for m in ("Choose what it is about.", "Choose a country from the list.",
                                   "Choose an answer from the list."))  # fmt: skip


def test_change_goes_back_to_step_one_with_the_choices(client):
    page = client.get("/ask?topic=work&country=KH&step=1").get_data(as_text=True)
    assert 'name="text"' not in page
    assert re.search(r'<input[^>]*checked[^>]*value="work"', page)
    assert re.search(r'<input[^>]*checked[^>]*value="KH"', page)


def test_asking_stores_one_conversation_and_shows_the_code_once(client):
    network_cso()
    client.set_cookie("gd_lang", "th")
    response = client.post("/ask", data=ask_form())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    code = CODE.search(page).group(1)
    assert counts() == (1, 1, 0)
    conversation = db.session.scalars(select(Conversation)).one()
    assert (conversation.topic, conversation.country, conversation.channel) == (
        "recruitment", "TH", "web",
    )  # fmt: skip
    assert conversation.language == "th"  # the page's language (the words say nothing else)
    assert conversation.messages[0].text == WORDS and conversation.code_hash != code
    assert "/check" in page
    # The code opens the thread; it is stored nowhere readable.
    client.set_cookie("gd_lang", "en")
    thread = client.post("/check", data={"code": code.lower()}).get_data(as_text=True)
    assert WORDS in thread and "Your conversation" in thread
    assert code not in client.get("/ask").get_data(as_text=True)


def test_the_thanks_page_promises_what_happens_next(client):
    network_cso()
    page = client.post("/ask", data=ask_form()).get_data(as_text=True)
    assert "will answer within 2 working days" in page
    assert "Write this code down or take a photo now." in page


def test_an_emergency_is_urgent_and_its_numbers_stay_on_the_thanks_page(client):
    network_cso()
    page = client.post("/ask", data=ask_form(topic="emergency", country="MY")).get_data(
        as_text=True
    )
    assert 'href="tel:999"' in page
    assert db.session.scalars(select(Conversation)).one().urgent


def test_a_listed_organisation_typed_in_any_case_is_linked(client):
    network_cso()
    agency = AgencyFactory(name="Golden Land Recruitment")
    OrganisationFactory(name="Golden Land Recruitment", kind="buyer")  # not an employer/agency
    page = client.get("/ask?topic=recruitment&country=MM").get_data(as_text=True)
    assert '<option value="Golden Land Recruitment">' in page  # the suggestions of Myanmar
    client.post("/ask", data=ask_form(country="MM", organisation="  golden land RECRUITMENT "))
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.organisation_id == agency.id and conversation.organisation_name is None


def test_a_worker_abroad_with_a_recruitment_problem_is_offered_the_agencies_at_home(client):
    AgencyFactory(name="Home Agency Yangon", country="MM")
    OrganisationFactory(name="Factory Far Away", country="MY")
    OrganisationFactory(name="Factory Here", country="TH")
    recruitment = client.get("/ask?topic=recruitment&country=TH").get_data(as_text=True)
    work = client.get("/ask?topic=work&country=TH").get_data(as_text=True)
    assert '<option value="Home Agency Yangon">' in recruitment
    assert '<option value="Home Agency Yangon">' not in work
    for page in (recruitment, work):
        assert '<option value="Factory Here">' in page
        assert '<option value="Factory Far Away">' not in page


def test_an_unlisted_organisation_is_kept_as_typed(client):
    network_cso()
    client.post("/ask", data=ask_form(organisation="Mr Broker Aung's office"))
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.organisation_id is None
    assert conversation.organisation_name == "Mr Broker Aung's office"


def test_a_contact_is_kept_encrypted_and_never_shown_to_the_worker(client):
    network_cso()
    response = client.post(
        "/ask", data=ask_form(contact_method="line", contact_value=SECRET_CONTACT)
    )
    page = response.get_data(as_text=True)
    assert counts() == (1, 1, 1) and SECRET_CONTACT not in page
    contact = db.session.scalars(select(Contact)).one()
    assert (contact.method, contact.value) == ("line", SECRET_CONTACT)
    raw = db.session.execute(db.text("SELECT value FROM conversation_contacts")).scalar()
    assert SECRET_CONTACT not in raw
    code = CODE.search(page).group(1)
    thread = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "You left a way to reach you: LINE name." in thread and SECRET_CONTACT not in thread


def test_the_contact_promise_says_who_sees_it_and_when_it_goes(client):
    page = client.get("/ask?topic=question&country=TH").get_data(as_text=True)
    assert "Only the caseworkers who answer you see it." in page
    assert "or after 90 days" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "w" * 5001}, "This is too long. Write at most 5000 letters."),
        ({"text": "   "}, "Please write something."),
        ({"contact_method": "line"}, "Write your number or name, or choose no contact."),
        ({"contact_value": "0812345678"}, "Choose how we can reach you from the list."),
        ({"contact_method": "pigeon", "contact_value": "x"}, "Choose an answer from the list."),
        ({"contact_method": "phone", "contact_value": "9" * 101}, "too long"),
        ({"organisation": "o" * 201}, "This name is too long."),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_the_text(client, overrides, message):
    network_cso()
    data = ask_form(**{"text": WORDS + " kept", **overrides})
    response = client.post("/ask", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert counts() == (0, 0, 0)
    assert (data["text"].strip() or "x") in page or data["text"] == "   "
    assert 'value="recruitment"' in page and 'value="TH"' in page


def test_a_tampered_topic_goes_back_to_step_one(client):
    response = client.post("/ask", data=ask_form(topic="nothing"))
    assert response.status_code == 400 and counts() == (0, 0, 0)
    assert 'method="get"' in response.get_data(as_text=True)


def test_asking_speaks_the_readers_language(client):
    client.set_cookie("gd_lang", "my")
    page = client.get("/ask?topic=emergency&country=TH").get_data(as_text=True)
    assert translated("my", "Send") in page
    assert Locale("my").territories["TH"] in page and "Thailand" not in page


def test_every_page_links_to_ask_and_the_help_page_too(client):
    for path in ("/", "/help/", "/check"):
        assert 'href="/ask"' in client.get(path).get_data(as_text=True), path


# --- the rate limit counts what is stored, and keeps what was refused -------------------------


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ASK_RATE_LIMIT": "2 per hour"}


def test_only_stored_conversations_count_and_a_refusal_keeps_everything(client):
    network_cso()
    for _ in range(3):  # mistakes cost nothing
        assert client.post("/ask", data=ask_form(text="")).status_code == 200
    for n in range(2):
        assert CODE.search(client.post("/ask", data=ask_form(text=f"{WORDS} {n}")).get_data(
            as_text=True
        ))  # fmt: skip
    data = ask_form(text="Third message zqthird", organisation="Typed Agency",
                    contact_method="viber", contact_value="0998877")  # fmt: skip
    response = client.post("/ask", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Nothing was sent yet" in page and not CODE.search(page)
    for kept in ("Third message zqthird", "Typed Agency", "0998877"):
        assert kept in page
    assert re.search(r'<input checked[^>]*value="viber"', page)
    assert counts() == (2, 2, 0)
