"""Worker voice end to end on a 360x640 phone, in each of the six languages (issue 18): a
worker asks for help (an emergency shows its numbers before anything is sent), a caseworker
answers (from a saved answer in one language), the worker reads it with the code and writes
again, the caseworker opens a case from the conversation and refers it, the employer records
a fee repayment, the worker sees what was done in their language and says it was fixed, and
the caseworker closes the case as confirmed by the worker.

Three browser contexts, as three people on three phones: the worker (no account), the
caseworker of the CSO the routing rules send it to (the demo's Mae Sot centre takes workers
in Thailand) and the employer's staff. Each page of the flow is photographed and must not
scroll sideways. Expected words are taken from the app's own catalogs (whatever is
translated now), so the test checks the flow and the layout, not how complete the
translations are.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from goldendreams.cases.choices import OUTCOMES, REMEDIATION_KINDS
from goldendreams.config import LOCALES
from goldendreams.core.money import format_money
from goldendreams.desk.pages import WORKER_STATES
from goldendreams.extensions import db
from goldendreams.inbox.choices import EMERGENCY_NUMBERS
from goldendreams.inbox.models import Conversation, ConversationState
from tests.browser.steps import click_to_load, log_in
from tests.browser.test_phone import overflow
from tests.browser.test_phone_platform import small_targets

pytestmark = pytest.mark.browser

EMPLOYER = "Siam Ocean Seafood Co., Ltd."
PHONE_NUMBER = "081 234 5678"
#: In this language the worker says it is an emergency; in that one the caseworker replies
#: from a saved answer.
EMERGENCY_LOCALE = "lo"
SAVED_ANSWER_LOCALE = "km"
SAVED_ANSWER_TITLE = "លិខិតឆ្លងដែន"  # "Passport"

#: What each worker writes and what the caseworker answers, in the worker's language:
#: (first message, reply, second message). No digits: the site normalises them.
WORDS = {
    "en": (
        "My employer keeps my passport and I paid a broker fee for this job. What can I do?",
        "You have the right to keep your own passport. We will talk to your employer.",
        "Thank you. Six of us paid the broker fee.",
    ),
    "my": (
        "အလုပ်ရှင်က ပတ်စ်ပို့ကို သိမ်းထားတယ်။ ပွဲစားခ ပေးခဲ့ရတယ်။ ဘာလုပ်ရမလဲ။",
        "ပတ်စ်ပို့ကို သင်ကိုယ်တိုင် ကိုင်ခွင့်ရှိပါတယ်။ အလုပ်ရှင်နဲ့ ကျွန်ုပ်တို့ ပြောပါမယ်။",
        "ကျေးဇူးတင်ပါတယ်။ ကျွန်တော်တို့ ခြောက်ယောက် ပွဲစားခ ပေးခဲ့ရတယ်။",
    ),
    "km": (
        "ថៅកែយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ហើយខ្ញុំបានបង់ថ្លៃឈ្មួញកណ្តាល។ តើខ្ញុំគួរធ្វើអ្វី?",
        "អ្នកមានសិទ្ធិរក្សាលិខិតឆ្លងដែនរបស់អ្នក។ យើងនឹងនិយាយជាមួយថៅកែ។",
        "អរគុណ។ ពួកយើងប្រាំមួយនាក់បានបង់ថ្លៃនេះ។",
    ),
    "th": (
        "นายจ้างยึดหนังสือเดินทางของฉัน และฉันจ่ายค่านายหน้าเพื่องานนี้ ฉันควรทำอย่างไร",
        "คุณมีสิทธิ์เก็บหนังสือเดินทางของคุณเอง เราจะคุยกับนายจ้าง",
        "ขอบคุณ พวกเราหกคนจ่ายค่านายหน้า",
    ),
    "lo": (
        "ນາຍຈ້າງເອົາໜັງສືຜ່ານແດນຂອງຂ້ອຍໄປ ແລະ ຂ້ອຍໄດ້ຈ່າຍຄ່ານາຍໜ້າ. ຂ້ອຍຄວນເຮັດແນວໃດ?",
        "ທ່ານມີສິດເກັບໜັງສືຜ່ານແດນຂອງທ່ານເອງ. ພວກເຮົາຈະລົມກັບນາຍຈ້າງ.",
        "ຂອບໃຈ. ພວກເຮົາຫົກຄົນໄດ້ຈ່າຍຄ່ານາຍໜ້າ.",
    ),
    "ne": (
        "मेरो रोजगारदाताले राहदानी राख्यो र मैले दलाललाई शुल्क तिरेँ। म के गरूँ?",
        "तपाईंलाई आफ्नो राहदानी आफैँ राख्ने अधिकार छ। हामी रोजगारदातासँग कुरा गर्छौँ।",
        "धन्यवाद। हामी छ जनाले दलाललाई शुल्क तिर्यौँ।",
    ),
}


class Photographer:
    """Photographs each page of one language's flow, in order, and checks that it fits a
    360 px screen (and, on the worker's pages, that every tap target is big enough)."""

    def __init__(self, artifacts, locale: str):
        self.artifacts, self.locale, self.count = artifacts, locale, 0

    def __call__(self, page: Page, name: str, worker: bool = False) -> None:
        self.count += 1
        expect(page.locator("html")).to_have_attribute("lang", self.locale)
        shot = self.artifacts / f"voice-{self.locale}-{self.count:02d}-{name}.png"
        page.screenshot(path=shot, full_page=True)
        assert overflow(page) <= 0, f"{name} ({self.locale}) scrolls sideways"
        if worker:
            assert small_targets(page) == [], f"{name} ({self.locale})"


def phone_for(browser, server: str, locale: str) -> Page:
    """A new 360x640 phone (a browser context of its own) reading the site in ``locale``."""
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{server}/language/{locale}?next=/")
    return page


def said(locale: str, message) -> str:
    """A lazy message (or a callable) as the site says it in ``locale`` right now."""
    with force_locale(locale):
        return str(message() if callable(message) else message)


def spaced(text: str) -> str:
    """Text as a reader sees it: no-break and narrow spaces count as spaces."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def text_of(locator) -> str:
    return spaced(locator.inner_text())


def conversations() -> int:
    db.session.rollback()  # a fresh look: the server wrote from its own threads
    return db.session.scalar(select(func.count(Conversation.id)))


def worker_opens_thread(page: Page, server: str, code: str, shoot=None) -> None:
    """The worker types their code at Check with my code (a POST: never in the URL)."""
    page.goto(f"{server}/")
    click_to_load(page, "header a[href='/check']")
    page.fill("#code", code)
    if shoot is not None:
        shoot(page, "check", worker=True)
    click_to_load(page, "main form input[type=submit]")
    assert code not in page.url


#: Every language on the embedded database; on PostgreSQL (CI's second run) one flow proves
#: the database's side: the languages are the same code and catalogs (a minute each saved).
FLOW_LOCALES = ["my"] if os.environ.get("GOLDENDREAMS_TEST_DATABASE_URL") else LOCALES


@pytest.mark.parametrize("locale", FLOW_LOCALES)
def test_worker_voice_flow_on_a_phone(app, live_server, browser, artifacts, locale):
    first, reply, second = WORDS[locale]
    emergency = locale == EMERGENCY_LOCALE
    shoot = Photographer(artifacts, locale)
    worker = phone_for(browser, live_server, locale)

    # The worker asks for help from the header link: what it is about, the country.
    click_to_load(worker, "header a.ask")
    shoot(worker, "ask", worker=True)
    worker.check(f"input[name=topic][value={'emergency' if emergency else 'recruitment'}]")
    worker.check("input[name=country][value=TH]")
    before = conversations()
    click_to_load(worker, "main form[method=get] button[type=submit]")
    expect(worker.locator("#text")).to_be_visible()
    if emergency:  # the numbers are on the screen, and nothing is sent yet
        for number, _label in EMERGENCY_NUMBERS["TH"]:
            expect(worker.locator(f".emergency > .actions a[href='tel:{number}']")).to_be_visible()
        assert conversations() == before
    else:
        expect(worker.locator(".emergency")).to_have_count(0)
    worker.fill("#text", first)
    worker.fill("#organisation", EMPLOYER)
    worker.check("input[name=contact_method][value=phone]")
    worker.fill("#contact_value", PHONE_NUMBER)
    shoot(worker, "ask-write", worker=True)
    click_to_load(worker, "main form[method=post] input[type=submit]")
    code = worker.locator("p.code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    expect(worker.locator(".emergency")).to_have_count(1 if emergency else 0)
    shoot(worker, "ask-thanks", worker=True)
    assert conversations() == before + 1
    stored = db.session.scalars(select(Conversation).order_by(Conversation.id.desc())).first()
    assert (stored.language, stored.country, stored.urgent) == (locale, "TH", emergency)
    assert stored.owner.name == "Mae Sot Workers' Rights Centre"

    # The caseworker of the CSO it was routed to finds it in the inbox, sees the worker's
    # contact (audited) and replies in the worker's language.
    caseworker = phone_for(browser, live_server, locale)
    log_in(caseworker, live_server, "caseworker")
    if locale == SAVED_ANSWER_LOCALE:
        caseworker.goto(f"{live_server}/inbox/answers/new")
        caseworker.select_option("#language", locale)
        caseworker.fill("#title", SAVED_ANSWER_TITLE)
        caseworker.fill("#body", reply)
        shoot(caseworker, "saved-answer")
        click_to_load(caseworker, "main form[method=post] input[type=submit]")
        expect(caseworker.locator("main .cards")).to_contain_text(reply)
    caseworker.goto(f"{live_server}/inbox/")
    card = caseworker.locator(".card", has_text=first[:20])
    expect(card).to_have_count(1)
    if emergency:
        expect(card.locator(".badge.warn")).to_have_count(1)
    shoot(caseworker, "inbox")
    click_to_load(caseworker, f".card:has-text('{first[:20]}') a")
    expect(caseworker.locator("ol.thread")).to_contain_text(first)
    conversation_page = caseworker.url
    click_to_load(caseworker, "form[action$='/contact'] input[type=submit]")
    expect(caseworker.locator(".contact-value")).to_have_text(PHONE_NUMBER)
    shoot(caseworker, "conversation")
    if locale == SAVED_ANSWER_LOCALE:
        caseworker.select_option("#answer", label=SAVED_ANSWER_TITLE)
        click_to_load(caseworker, "#use-answer")
        expect(caseworker.locator("#reply-text")).to_have_value(reply)
    else:
        caseworker.fill("#reply-text", reply)
    click_to_load(caseworker, "form[action$='/reply'] input[type=submit]")
    expect(caseworker.locator("p.flash.success")).to_be_visible()
    expect(caseworker.locator("ol.thread .to_worker")).to_contain_text(reply)

    # The worker reads the reply with the code (not the contact they left), writes again.
    worker_opens_thread(worker, live_server, code, shoot)
    answered = said(locale, WORKER_STATES[ConversationState.WAITING_FOR_WORKER])
    expect(worker.locator("main")).to_contain_text(answered)
    expect(worker.locator(".msg.ours")).to_contain_text(reply)
    expect(worker.locator("main")).not_to_contain_text(PHONE_NUMBER)
    shoot(worker, "check-reply", worker=True)
    worker.fill("#text", second)
    click_to_load(worker, "#write-submit")
    expect(worker.locator("p.flash.success")).to_be_visible()
    expect(worker.locator(".msg.mine")).to_have_count(2)
    expect(worker.locator(".msg.mine").last).to_contain_text(second)
    shoot(worker, "check-wrote", worker=True)

    # The caseworker opens a case from the conversation (the employer named by the worker
    # is chosen already), and follows the link to it.
    caseworker.reload()
    expect(caseworker.locator("ol.thread")).to_contain_text(second)
    click_to_load(caseworker, "main a[href$='/case']")
    expect(caseworker.locator("#organisation_id option:checked")).to_have_text(EMPLOYER)
    caseworker.check("input[name=categories][value=FEE-01]")
    caseworker.fill("#workers", "6")
    caseworker.fill("#summary", "Six workers paid a broker fee; passports kept.")
    shoot(caseworker, "open-case")
    click_to_load(caseworker, "main form[method=post] input[type=submit]")
    expect(caseworker.locator("p.flash.success")).to_be_visible()
    expect(caseworker.locator("main a[href$='/case']")).to_have_count(0)  # once only
    reference = caseworker.locator("dl.facts a[href^='/cases/']").inner_text()
    shoot(caseworker, "conversation-case")
    click_to_load(caseworker, "dl.facts a[href^='/cases/']")
    expect(caseworker.locator("h1")).to_have_text(reference)
    for step in ("triaged", "referred"):
        if step == "referred":  # the worker agreed in a message that the employer be told
            caseworker.check("#consent-first input[name='consent-method'][value=message]")
            click_to_load(caseworker, "#consent-first input[type=submit]")
            expect(caseworker.locator("p.flash.success")).to_be_visible()
        caseworker.select_option("#to_status", step)
        click_to_load(caseworker, "form[action$='/move'] input[type=submit]")
        expect(caseworker.locator("p.flash.success")).to_be_visible()
    shoot(caseworker, "case-referred")

    # The worker's thread shows the case.
    worker_opens_thread(worker, live_server, code)
    expect(worker.locator("main")).to_contain_text(reply)
    expect(worker.locator("form[action$='/check/answer']")).to_have_count(0)  # nothing fixed yet
    shoot(worker, "check-case", worker=True)

    # The employer records a fee repayment; never sees the worker's words nor their contact.
    employer = phone_for(browser, live_server, locale)
    log_in(employer, live_server, "employer")
    employer.goto(f"{live_server}/portal/")
    click_to_load(employer, "main a[href$='/cases/']")
    click_to_load(employer, f".card a:has-text('{reference}')")
    portal = employer.locator("main")
    for private in (first, second, reply, PHONE_NUMBER, "passports kept"):
        expect(portal).not_to_contain_text(private)
    employer.select_option("#kind", "fee_repayment")
    employer.fill("#amount", "18000")
    employer.select_option("#currency", "THB")
    employer.fill("#workers", "6")
    click_to_load(employer, "form[action$='/remediation'] input[type=submit]")
    expect(employer.locator("p.flash.success")).to_be_visible()
    shoot(employer, "portal-remediation")
    employer.context.close()

    # The worker sees what was done, in their language, and says it was fixed.
    worker_opens_thread(worker, live_server, code)
    card = worker.locator("main .card", has_text=said(locale, REMEDIATION_KINDS["fee_repayment"]))
    expect(card).to_have_count(1)
    with force_locale(locale):
        amount = format_money(Decimal(18000), "THB")
        covered = ngettext("%(num)s worker", "%(num)s workers", 6)
    assert spaced(amount) in text_of(card.locator(".amount"))
    assert spaced(covered) in text_of(card)
    shoot(worker, "check-remediation", worker=True)
    worker.check("input[name=answer][value=yes]")
    click_to_load(worker, "#answer-submit")
    expect(worker.locator("p.flash.success")).to_be_visible()
    shoot(worker, "check-answered", worker=True)

    # The caseworker resolves and closes it: confirmed by the worker.
    caseworker.reload()
    caseworker.select_option("#to_status", "resolved")
    click_to_load(caseworker, "form[action$='/move'] input[type=submit]")
    click_to_load(caseworker, "form[action$='/close'] button")
    confirmed = said(locale, OUTCOMES["resolved_confirmed"])
    expect(caseworker.locator("dl.facts").first).to_contain_text(confirmed)
    shoot(caseworker, "case-closed")

    # ... and the conversation, counted as "case opened" (the worker's contact is erased).
    caseworker.goto(conversation_page)
    caseworker.select_option("#close-outcome", "case_opened")
    click_to_load(caseworker, "form[action$='/close'] input[type=submit]")
    expect(caseworker.locator("p.flash.success")).to_be_visible()
    expect(caseworker.locator("form[action$='/contact']")).to_have_count(0)
    db.session.rollback()
    closed = db.session.get(Conversation, stored.id)
    assert (closed.state, closed.outcome, closed.contact) == ("closed", "case_opened", None)
    shoot(caseworker, "conversation-closed")
    caseworker.context.close()

    # The worker's thread says so: fixed, confirmed, the conversation closed.
    worker_opens_thread(worker, live_server, code)
    fixed = said(locale, lambda: gettext("You said it was fixed. Thank you."))
    expect(worker.locator("main")).to_contain_text(fixed)
    ended = said(locale, WORKER_STATES[ConversationState.CLOSED])
    expect(worker.locator("main")).to_contain_text(ended)
    expect(worker.locator("form[action$='/check/answer']")).to_have_count(0)
    expect(worker.locator("form[action$='/check/close']")).to_have_count(0)
    shoot(worker, "check-closed", worker=True)
    worker.context.close()
