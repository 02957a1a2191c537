"""Organisations and brands never learn who reported them, nor anything internal.

One scenario holds every kind of secret: an agency recruiting for an employer that a brand
buys from; reviews of both written through the site (so tracking codes are real), whose
original text holds personal data that the published copy hides; cases opened from those
reviews, with internal notes, an assignee, shared notes, remediation and the worker's
answer; a hotline case with its internal summary and contact; a case not yet referred; job
applications; and what workers told the network (issue 18): conversations asked at /ask
(a way to be reached, a name and a phone in the words, a caseworker's reply and note), a
review's thread, a case opened from a conversation (referred, fixed, answered with the
conversation's code), a case logged from a call with a code read out and an answer
recorded on the phone, a logged call. Then the staff of the agency, of the employer and of
the brand each crawl every GET route of the app (ids of their own and of the other
organisations put in every id of every rule), every link those pages hold, the CSV exports
and a few searches for the secrets. No response — page, CSV, redirect or error — holds:

- the original review text or its personal data (phone in any spelling, name, chat id),
  nor anything of a review still waiting for a moderator;
- a tracking code (any case, with or without dashes or spaces) or its stored hash;
- internal case events, the assignee, the caseworkers, the summary or the worker's contact;
- the worker's answer to "Was it fixed?" and their comment;
- on case pages: anything that links the case to its review (its text, title, id, address,
  or that it came from a review at all) — "We never tell you who reported";
- cases of other organisations, or cases not yet referred;
- applicants' names and phones, except to the agency whose job they applied for;
- a conversation's words, the worker's contact or code, a caseworker's reply or note, a
  link to the inbox; on case pages, anything that ties a case to its conversation (that it
  came from a message, the word "conversation", an answer recorded by a caseworker).

Government officers, association staff, mobilizers and moderators crawl the same way: no
conversation, message or contact reaches them either.

Positive checks make sure the crawl reached what each reader should see (otherwise the
search for secrets would prove nothing).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
from sqlalchemy import select

from goldendreams.cases import choices as case_choices
from goldendreams.cases import confirmation, referrals, taxonomy
from goldendreams.cases import services as case_services
from goldendreams.core import tracking
from goldendreams.extensions import db
from goldendreams.inbox import call_log
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import Conversation
from goldendreams.jobs.models import Application
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    ArticleTextFactory,
    AssociationFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    CaseReferralFactory,
    ExchangeRateFactory,
    FlagFactory,
    GovernmentOfficeFactory,
    HotlineFactory,
    JobFactory,
    JobFlagFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    ProfileClaimFactory,
    ReplyFactory,
    RoutingRuleFactory,
    SavedAnswerFactory,
    UserFactory,
    consent_to_refer,
    network_cso,
    referred,
)
from tests.reviews.test_views import CODE, review_form

#: Routes not crawled: static files, and the language switch (it would change the language
#: of every later page, and it shows nothing).
SKIPPED_ENDPOINTS = {"static", "core.set_language"}
#: Safety net: a crawl that grows past this is following links it should not.
MAX_PAGES = 1500


def squash(text: str) -> str:
    """Text without spaces, dashes, dots, brackets or plus signs, case-folded: a phone
    number or a code matches however it is spelled."""
    return re.sub(r"[\s\-.()+/]", "", text).casefold()


# --- the scenario -------------------------------------------------------------------------


def write_review(client, org, title: str, body: str) -> tuple[Review, str]:
    """A worker writes a review through the site; returns it and its tracking code."""
    response = client.post(
        f"/organisations/{org.id}/review", data=review_form(title=title, body=body)
    )
    assert response.status_code == 200
    code = CODE.search(response.get_data(as_text=True)).group(1)
    return db.session.scalars(select(Review).filter_by(title=title)).one(), code


def apply_for(client, job, name: str, phone: str) -> str:
    """A jobseeker applies through the site; returns the tracking code."""
    form = {"name": name, "phone": phone, "origin_country": "MM", "language": "my",
            "consent": "y"}  # fmt: skip
    page = client.post(f"/jobs/{job.id}/apply", data=form).get_data(as_text=True)
    return CODE.search(page).group(1)


class Reported:
    """A review of ``org`` with personal data, published redacted, and the case opened from
    it, taken through the workflow with internal and shared events."""

    def __init__(self, client, org, tag: str, staff, moderator, caseworker, assignee):
        self.phone = {"agency": "081 234 5678", "employer": "089 765 4321"}[org.kind]
        self.name = f"Somchai {tag}wattana"
        self.chat = f"{tag.lower()}_broker77"
        self.phrase = f"{tag} LANTERN"
        self.title = f"{tag} title of the review"
        self.body = (
            f"Broker {self.name} took 15,000 baht and said {self.phrase} was normal. "
            f"Call me on {self.phone} or LINE: {self.chat}."
        )
        self.review, self.code = write_review(client, org, self.title, self.body)
        review_services.publish_review(
            self.review, moderator, set(range(len(self.review.redactions))), [self.name]
        )
        assert self.phone not in self.review.public_body and self.phrase in self.review.public_body

        case = case_services.open_from_review(self.review, moderator, ["FEE-01"], "high", 3)
        case_services.move(case, caseworker, "triaged")
        self.internal_note = f"{tag} KESTREL: the worker fears the broker"
        case_services.add_note(case, caseworker, self.internal_note, shared=False)
        case_services.assign(case, caseworker, assignee)
        consent_to_refer(case)
        case_services.move(case, caseworker, "referred")
        self.shared_note = f"{tag} HERON: please repay the fees"
        case_services.add_note(case, caseworker, self.shared_note, shared=True)
        case_services.acknowledge(case, staff)
        case_services.record_remediation(
            case, caseworker, "fee_repayment", Decimal("15000"), "THB", 3, f"{tag} repaid"
        )
        self.case = case
        # The worker answers through the site, with the code.
        self.comment = f"{tag} OSPREY: only half came back"
        answered = client.post(
            "/check/answer", data={"code": self.code, "answer": "partly", "comment": self.comment}
        )
        assert answered.status_code == 200
        db.session.refresh(case)
        assert case.worker_comment == self.comment

    def secrets(self) -> list[str]:
        """What no organisation may see anywhere."""
        canonical = tracking.canonical(self.code)
        return [
            self.body, self.name, self.chat, squash(self.phone),
            self.code, canonical, squash(self.code),
            self.review.tracking_hash, self.review.tracking_hash[:16],
            self.internal_note, "KESTREL", self.comment, "OSPREY",
        ]  # fmt: skip

    def links_to_review(self) -> list[str]:
        """What would tie the case to its review, on a case page."""
        return [
            self.phrase, self.title, self.review.public_body,
            f"/reviews/{self.review.id}", f"/moderation/reviews/{self.review.id}",
            f"#review-{self.review.id}", str(case_choices.SOURCES["review"]),
        ]  # fmt: skip


def ask(client, data: dict) -> tuple[Conversation, str]:
    """A worker asks for help at /ask; returns the conversation and its code."""
    response = client.post("/ask", data=data)
    assert response.status_code == 200
    code = CODE.search(response.get_data(as_text=True)).group(1)
    conversation = db.session.scalar(select(Conversation).order_by(Conversation.id.desc()))
    return conversation, code


class Voice:
    """Worker voice (issue 18): what workers told the network, and what links it to cases.

    - a question about the agency asked at /ask, with a way to be reached, naming someone
      and a phone; a caseworker's reply and note; the worker writes again with the code;
    - a question whose case is opened from it against the employer, referred, with a fix
      recorded and shared, answered "Was it fixed?" with the conversation's code;
    - the agency's review thread: a caseworker asks its worker, who answers with the
      review's code;
    - a case at the employer logged from a call, with a code read out to the worker and
      their answer recorded by a caseworker on the phone;
    - a logged call, and a saved answer.
    """

    def __init__(self, client, agency, employer, staff, caseworker, reported_at_agency):
        network_cso()  # the routing rules' default answers what workers ask
        self.asked, self.code = ask(client, {
            "topic": "recruitment", "country": "TH", "organisation": agency.name,
            "text": "VOICE MAGPIE: broker Ko Thurazaw took my passport, call 0891112233.",
            "contact_method": "viber", "contact_value": "viber.zqsecret.77",
        })  # fmt: skip
        assert self.asked.organisation_id == agency.id  # about the agency, from the directory
        inbox.reply(self.asked, caseworker, "REPLY CORMORANT: we will call you on Viber.")
        inbox.add_note(self.asked, caseworker, "NOTE GANNET: the broker is the boss's cousin.")
        written = {"code": self.code, "text": "FOLLOWUP PELICAN: he still has it."}
        assert client.post("/check/write", data=written).status_code == 200

        about_case, self.case_code = ask(client, {
            "topic": "work", "country": "TH", "organisation": employer.name,
            "text": "VOICE PUFFIN: no pay for two months at Ma Khinhnin's line.",
        })  # fmt: skip
        self.case = inbox.open_case(about_case, caseworker, employer, ["FEE-01"], "high", 2,
                                    "SUMMARY ALBATROSS: wages unpaid")  # fmt: skip
        case_services.move(self.case, caseworker, "triaged")
        consent_to_refer(self.case)
        case_services.move(self.case, caseworker, "referred")
        self.shared_note = "CONV SHARED: please pay the two months"
        case_services.add_note(self.case, caseworker, self.shared_note, shared=True)
        case_services.acknowledge(self.case, staff["employer_staff"])
        case_services.record_remediation(
            self.case, caseworker, "back_pay", Decimal("24000"), "THB", 2, "Back pay"
        )
        answered = {"code": self.case_code, "answer": "yes", "comment": "COMMENT SKUA: paid"}
        assert client.post("/check/answer", data=answered).status_code == 200
        db.session.refresh(self.case)
        assert self.case.worker_comment == "COMMENT SKUA: paid"
        self.conversations = [self.asked, about_case]

        review = reported_at_agency.review
        self.thread = inbox.ask_reviewer(review, caseworker, "QUESTION GREBE: who was he?")
        answer = {"code": reported_at_agency.code, "text": "THREAD SHEARWATER: Ko Thurazaw."}
        assert client.post("/check/write", data=answer).status_code == 200
        self.conversations.append(self.thread)

        self.called = case_services.open_hotline_case(
            caseworker, employer, "hotline", ["FEE-01"], "high", 1, "SUMMARY PETREL",
            "Ko Tun, LINE petrel.private",
        )  # fmt: skip
        self.called_code = confirmation.give_worker_code(self.called, caseworker)
        case_services.move(self.called, caseworker, "triaged")
        consent_to_refer(self.called)
        case_services.move(self.called, caseworker, "referred")
        case_services.record_remediation(
            self.called, caseworker, "fee_repayment", None, None, 1, None
        )
        assert client.post("/check", data={"code": self.called_code}).status_code == 200
        confirmation.record_worker_answer(self.called, caseworker, "partly", "phone",
                                           "RECORDED TURNSTONE: half came back")  # fmt: skip
        call_log.log_call(caseworker, "phone", "work", "FEE-01", "my", "TH", "information", 7)
        self.answer = SavedAnswerFactory(body="SAVED KITTIWAKE: call 1506")
        db.session.commit()

    def secrets(self) -> list[str]:
        """What nobody outside the CSO's caseworkers may see, anywhere: the workers' words,
        contact and codes, the caseworkers' replies and notes, what a worker answered."""
        codes = [self.code, self.case_code, self.called_code]
        hashes = [c.code_hash for c in self.conversations if c.code_hash] + [self.called.code_hash]
        return [
            "MAGPIE", "Thurazaw", "0891112233", "viber.zqsecret", "CORMORANT", "GANNET",
            "PELICAN", "PUFFIN", "Khinhnin", "ALBATROSS", "SKUA", "GREBE", "SHEARWATER",
            "PETREL", "petrel.private", "TURNSTONE", "KITTIWAKE",
            *codes, *map(tracking.canonical, codes), *map(squash, codes),
            *hashes, *(h[:16] for h in hashes),
            'href="/inbox', "Conversation with this worker",
        ]  # fmt: skip

    def links_to_conversation(self) -> list[str]:
        """What would tie a case to a conversation, on a case page."""
        return [
            "conversation",
            str(case_choices.SOURCES["message"]),
            "Recorded by",
            *(f"/inbox/{c.id}" for c in self.conversations),
        ]


@pytest.fixture
def scenario(app, client):
    taxonomy.load()
    agency, employer, brand = AgencyFactory(), OrganisationFactory(), BuyerFactory()
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    OrganisationLinkFactory(kind="buys_from", source=brand, target=employer)
    # Organisations the readers have no part in, with their own secrets.
    other_agency, other_employer = AgencyFactory(), OrganisationFactory()
    other_brand = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=other_brand, target=other_employer)

    # Organisation admins: their colleagues' page is crawled too.
    staff = {
        "agency_staff": UserFactory(role="agency_staff", organisation=agency, org_admin=True),
        "employer_staff": UserFactory(role="employer_staff", organisation=employer, org_admin=True),
        "brand": UserFactory(role="brand", organisation=brand, org_admin=True),
    }
    moderator = UserFactory(role="moderator", email="mod.thiri@ngo.example")
    caseworker = UserFactory(role="caseworker", email="cw.aye@ngo.example")
    assignee = UserFactory(role="caseworker", email="nandar.assignee@ngo.example")

    at_agency = Reported(client, agency, "AGX", staff["agency_staff"], moderator, caseworker,
                         assignee)  # fmt: skip
    at_employer = Reported(client, employer, "EMX", staff["employer_staff"], moderator,
                           caseworker, assignee)  # fmt: skip

    # A review still waiting for a moderator: nobody outside the team sees any of it.
    waiting, waiting_code = write_review(
        client, agency, "ORCHID waiting title", "ORCHID: they kept my passport, call 0823456789."
    )
    # A hotline case at the employer, referred: its summary and contact stay internal.
    hotline = referred(CaseFactory(organisation=employer, summary="Hotline summary: PLOVER",
                                   contact="Ma Hla, LINE ma.hla.private"))  # fmt: skip
    CaseEventFactory(case=hotline, text="Internal: PLOVER worker is afraid")
    voice = Voice(client, agency, employer, staff, caseworker, at_agency)
    # A case at the employer not referred yet, and one at an organisation nobody here owns.
    unreferred = CaseFactory(organisation=employer, reference="ILM-2026-77701")
    other_case = referred(CaseFactory(organisation=other_employer, reference="ILM-2026-77702"))
    CaseEventFactory(case=other_case, kind="note", shared=True, text="Other firm: WREN shared")

    # Jobs and applications: the agency's own, and another agency's.
    job = JobFactory(agency=agency, employer=employer)
    applicant = ("Ma Thandar Hlaingoo", "09 777 123 456")
    job_code = apply_for(client, job, *applicant)
    other_job = JobFactory(agency=other_agency, employer=other_employer)
    other_applicant = ("Ko Zawlintun Myint", "09 555 987 654")
    other_code = apply_for(client, other_job, *other_applicant)
    hashes = list(db.session.scalars(select(Application.tracking_hash)))

    # Something for every other id the routes take.
    reply = ReplyFactory(review__organisation=agency, body="Our reply, pending.")
    flag = FlagFactory(review=at_agency.review, note="FLAG NOTE: writer is my cousin")
    job_flag = JobFlagFactory(job=job, note="JOB FLAG NOTE: they asked me for 80,000")
    article = ArticleTextFactory().article
    hotline_number = HotlineFactory()
    rate = ExchangeRateFactory()
    # The employer case's worker sent to a service (support/): internal, never theirs.
    from tests.support.factories import ServiceReferralFactory

    service_referral = ServiceReferralFactory(
        case=at_employer.case, note="Needs a lawyer zqservice, Ma Hla", outcome="zqservice seen"
    )
    # Safeguarding (safeguarding/): the employer's case at high risk, with the worker's safe
    # way to be reached, a plan, a check-in and a retaliation report (pay cut): the brand
    # reads how many of each kind per supplier and month (never the case); the employer
    # (accused) nothing.
    from tests.safeguarding.factories import (
        CheckInFactory,
        RetaliationReportFactory,
        RiskAssessmentFactory,
    )

    RiskAssessmentFactory(case_id=at_employer.case.id, high=True,
                          safe_contact="zqsafe: LINE after 9 pm")  # fmt: skip
    CheckInFactory(case_id=at_employer.case.id, note="zqcheckin: Ma Hla was scared")
    RetaliationReportFactory(case_id=at_employer.case.id, note="zqretaliation: U Kyaw cut it")
    # Someone asked for an account at the agency: only moderators read who.
    claim = ProfileClaimFactory(
        organisation=agency, claimant_name="Claimant Wirachai", email="wirachai@claim.example"
    )

    team = [moderator.email, caseworker.email, assignee.email, "nandar.assignee", "cw.aye"]
    everyone = [
        *at_agency.secrets(), *at_employer.secrets(), *team,
        "ORCHID", "0823456789", waiting_code, squash(waiting_code), waiting.tracking_hash,
        "PLOVER", "ma.hla.private", unreferred.reference, other_case.reference, "WREN",
        job_code, squash(job_code), other_code, squash(other_code), *hashes,
        *other_applicant, squash(other_applicant[1]),
        "FLAG NOTE", "JOB FLAG NOTE", "Was it fixed?", "Claimant Wirachai",
        "wirachai@claim.example", "zqreferral", "zqservice", *voice.secrets(),
        "zqsafe", "zqcheckin", "zqretaliation", "High risk", "Safety plan",
    ]  # fmt: skip
    applicant_secrets = [applicant[0], squash(applicant[1])]
    forbidden = {
        "agency_staff": [*everyone, at_employer.case.reference, at_employer.shared_note,
                         voice.case.reference, voice.shared_note, voice.called.reference],
        # The agency's applicants are the agency's: not the employer's, nor the brand's.
        "employer_staff": [*everyone, *applicant_secrets, at_agency.case.reference,
                           at_agency.shared_note, "Retaliation", "Pay cut"],
        "brand": [*everyone, *applicant_secrets, at_agency.case.reference, at_agency.shared_note],
    }  # fmt: skip
    # On case pages, also anything tying a case to its review or conversation.
    case_page_forbidden = (
        at_agency.links_to_review() + at_employer.links_to_review()
        + voice.links_to_conversation()
    )  # fmt: skip
    must_see = {
        "agency_staff": [at_agency.case.reference, at_agency.shared_note, at_agency.phrase,
                         applicant[0], "[•••]"],
        "employer_staff": [at_employer.case.reference, at_employer.shared_note,
                           hotline.reference, at_employer.phrase, voice.case.reference,
                           voice.shared_note, voice.called.reference],
        "brand": [at_employer.case.reference, hotline.reference, employer.name,
                  voice.case.reference, voice.called.reference,
                  "Retaliation against workers who spoke up"],
    }  # fmt: skip
    # The employer's case offered to another CSO (its note names the worker's town).
    referral = CaseReferralFactory(
        case=at_employer.case, note="Referral note zqreferral: Ma Hla, Myawaddy"
    )
    rule = RoutingRuleFactory(worker_language="my")
    # Improvement plans (plans/): the employer's, naming its shared case and the one not
    # yet referred (never shown to them), a step with evidence; another employer's.
    from tests.plans.factories import PlanFactory, PlanItemFactory

    plan = PlanFactory(organisation=employer, title="Plan zqplan lockers",
                       cases=[at_employer.case, unreferred])  # fmt: skip
    plan_item = PlanItemFactory(plan=plan, status="verified", evidence="Lockers zqevidence")
    other_plan = PlanFactory(organisation=other_employer, title="Other zqotherplan")
    forbidden["agency_staff"].append("zqplan")
    for reader in forbidden:
        forbidden[reader].append("zqotherplan")
    must_see["employer_staff"] += ["Plan zqplan lockers", "Lockers zqevidence"]
    must_see["brand"] += ["Plan zqplan lockers", "Lockers zqevidence"]
    # The employer's case escalated to the brand (brands/; the worker agreed): the brand
    # reads the CSO's note and answers; the employer sees what the brand committed to,
    # never the note nor who escalated; the agency sees none of it.
    from goldendreams.brands import services as brand_services
    from goldendreams.cases import consent
    from goldendreams.core.base import today

    consent.record(caseworker, "brand", ["issue"], "phone", None, case_id=at_employer.case.id)
    escalation = brand_services.escalate(caseworker, employer, [at_employer.case], "severe",
                                         "Escalation zqescnote: no answer")  # fmt: skip
    commitment = brand_services.add_commitment(staff["brand"], escalation.brands[0], "visit",
                                               "Visit zqvisit", today())  # fmt: skip
    forbidden["agency_staff"] += ["zqescnote", "zqvisit"]
    forbidden["employer_staff"].append("zqescnote")
    must_see["brand"] += ["Escalation zqescnote: no answer", "Visit zqvisit"]
    must_see["employer_staff"].append("Visit zqvisit")
    # A collective case (collective/) grouping the employer's case: the employer sees its
    # reference and schedule, never its internal description nor a beneficiary line; the
    # agency and the brand see neither; another employer's stays its own.
    from tests.collective import factories as collective_factories

    CollectiveFactory = collective_factories.CollectiveFactory

    collective = CollectiveFactory(organisation=employer, owner=at_employer.case.owner,
                                   description="Dormitory zqdorm, room of Ko Aung")  # fmt: skip
    collective_factories.MemberFactory(collective=collective, case=at_employer.case)
    line = collective_factories.BeneficiaryFactory(
        collective=collective, label="Ma Hnin zqbeneficiary"
    )
    instalment = collective_factories.InstalmentFactory(collective=collective)
    other_collective = CollectiveFactory(
        organisation=other_employer, reference="ILM-C-2026-ZQOTHER1"
    )
    collective_factories.MemberFactory(collective=other_collective, case=other_case)
    for reader in forbidden:
        forbidden[reader] += ["zqdorm", "zqbeneficiary", other_collective.reference]
    forbidden["agency_staff"].append(collective.reference)
    forbidden["brand"].append(collective.reference)
    must_see["employer_staff"].append(collective.reference)
    # The employer's sign-off with a file (validation/), shared with the brand (the worker
    # agreed documents may go to brands); the CSO's verification note and the file's
    # original name stay internal (the name: the employer's own); another employer's.
    from tests.validation import factories as validation_factories

    consent.record(caseworker, "brand", ["issue", "documents"], "phone", None,
                   case_id=at_employer.case.id)  # fmt: skip
    signoff = validation_factories.SignOffFactory(
        case=at_employer.case, statement="Signed zqsignoff", signer_title="Payroll zqtitle",
        shared_with_brands=True,
    )  # fmt: skip
    evidence = validation_factories.EvidenceFactory(signoff=signoff, filename="zqfilename.pdf")
    validation_factories.VerificationFactory(case=at_employer.case, note="Checked zqverified")
    other_signoff = validation_factories.SignOffFactory(case=other_case, statement="zqothersign")
    other_evidence = validation_factories.EvidenceFactory(signoff=other_signoff)
    for reader in forbidden:
        forbidden[reader] += ["zqverified", "zqothersign"]
    forbidden["agency_staff"] += ["zqsignoff", "zqfilename"]
    forbidden["brand"].append("zqfilename")
    must_see["employer_staff"] += ["Signed zqsignoff", "Payroll zqtitle", "zqfilename.pdf"]
    must_see["brand"] += ["Signed zqsignoff", "Payroll zqtitle"]
    ids = {
        # Ints: the caseworkers' route takes those; the pages link to the others.
        "evidence_id": [evidence.id, other_evidence.id],
        "collective_id": [collective.public_id, other_collective.public_id],
        "instalment_id": [instalment.public_id],
        "line_id": [line.id],
        "plan_id": [plan.public_id, other_plan.public_id],
        "item_id": [plan_item.public_id],
        "referral_id": [referral.id],
        "escalation_id": [escalation.brands[0].public_id, escalation.public_id],
        "commitment_id": [commitment.public_id],
        "service_id": [service_referral.service.public_id],
        "service_referral_id": [service_referral.id],
        "rule_id": [rule.id],
        "org_id": [agency.id, employer.id, brand.id, other_agency.id, other_employer.id,
                   other_brand.id],
        "case_id": [at_agency.case.id, at_employer.case.id, hotline.id, unreferred.id,
                    other_case.id, voice.case.id, voice.called.id],
        "conversation_id": [c.id for c in voice.conversations],
        "answer_id": [voice.answer.id],
        "review_id": [at_agency.review.id, at_employer.review.id, waiting.id, reply.review_id],
        "job_id": [job.id, other_job.id],
        "flag_id": [flag.id, job_flag.id],
        "reply_id": [reply.id],
        "article_id": [article.id],
        "hotline_id": [hotline_number.id],
        "rate_id": [rate.id],
        "locale": ["en"],
        "slug": [article.slug],
        "user_id": [moderator.id, caseworker.id, staff["agency_staff"].id],
        "token": ["no-such-token"],  # invitation and password-reset links
        "claim_id": [claim.id],
        "name": ["telegram"],  # a messaging app's webhook (off here: not found)
        "key": ["0" * 32],  # an attachment (none here: not found for every reader)
    }  # fmt: skip
    own = {"agency_staff": agency.id, "employer_staff": employer.id, "brand": brand.id}
    # Downloads each reader has, which the crawl must have fetched.
    exports = {
        "agency_staff": [f"/portal/{agency.id}/jobs/{job.id}/applications.csv"],
        "employer_staff": [],
        "brand": ["/brand/cases.csv"],
    }
    searches = [at_agency.name, at_agency.chat, "KESTREL", "ORCHID", "PLOVER", applicant[0],
                "0812345678", "OSPREY", "MAGPIE", "Thurazaw", "SHEARWATER",
                "TURNSTONE"]  # fmt: skip
    members, member_must_see = network_members(voice, employer, agency, moderator, caseworker,
                                               at_agency)  # fmt: skip
    return {
        "staff": staff, "forbidden": forbidden, "case_page_forbidden": case_page_forbidden,
        "must_see": must_see, "ids": ids, "own": own, "searches": searches,
        "exports": exports, "members": members, "member_must_see": member_must_see,
        "voice_secrets": voice.secrets(), "voice": voice, "caseworker": caseworker,
    }  # fmt: skip


def network_members(voice: Voice, employer, agency, moderator, caseworker, at_agency):
    """Members of the network who are not caseworkers, each with something to see: an
    office the conversation's case was sent to (it accepted), an association of the employer
    and the agency, a mobilizer of the CSO with a group complaint of their own, and the
    moderator who published the reviews. Returns their users and what each must reach."""
    office = GovernmentOfficeFactory()
    officer = UserFactory(role="government", organisation=office)
    offer = referrals.propose(voice.case, caseworker, office, "Please inspect the line.",
                              "phone", "She agreed on the phone.")  # fmt: skip
    referrals.accept(offer, officer)
    association = AssociationFactory()
    for member in (employer, agency):
        OrganisationLinkFactory(kind="member_of", source=member, target=association)
    mobilizer = UserFactory(role="mobilizer", organisation=network_cso())
    group = case_services.open_group_case(mobilizer, employer, ["FEE-01"], 12, "Group KITE")
    users = {
        "government": officer,
        "association": UserFactory(role="association", organisation=association),
        "mobilizer": mobilizer,
        "moderator": moderator,
    }
    must_see = {
        "government": [voice.case.reference, "Please inspect the line."],
        "association": [association.name, employer.name],
        "mobilizer": [group.reference],
        "moderator": [at_agency.phrase, at_agency.title],
    }
    return users, must_see


# --- crawling -----------------------------------------------------------------------------


def route_urls(app, ids: dict[str, list]) -> list[str]:
    """Every GET route, with each id a rule takes replaced by each scenario id."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: give this test ids for {unknown}"
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [{**combo, name: value} for combo in combos for value in ids[name]]
        urls += [adapter.build(rule.endpoint, values) for values in combos]
    return sorted(set(urls))


HREF = re.compile(r'href="([^"]+)"')


def local_links(page: str) -> list[str]:
    links = []
    for href in HREF.findall(page):
        parts = urlsplit(html.unescape(href))
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/static/", "/language/")):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client, seeds: list[str]) -> dict[str, tuple[int, str]]:
    """GET every seed and every local link or redirect found; returns url -> (status, text
    of headers and body)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(seeds)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl does not end"
        with client.get(url) as response:  # closes files sent from disk (/sw.js)
            text = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
            text += "\n" + response.get_data(as_text=True)
        seen[url] = (response.status_code, text)
        location = response.headers.get("Location")
        if location:
            queue += local_links(f'href="{html.escape(location)}"')
        if response.status_code == 200 and response.mimetype == "text/html":
            queue += local_links(text)
    return seen


def own_words_removed(url: str, text: str) -> str:
    """A search page repeats what the reader typed (in the box, the title, the links to
    more results): that is not something it learnt from us."""
    query = parse_qs(urlsplit(url).query).get("q")
    if not query:
        return text
    for form in (query[0], html.escape(query[0]), quote(query[0]), quote_plus(query[0])):
        text = text.replace(form, "")
    return text


def leaks(text: str, secrets: list[str]) -> list[str]:
    plain, squashed = html.unescape(text), squash(html.unescape(text))
    return [
        secret for secret in secrets if secret and (secret in plain or squash(secret) in squashed)
    ]


def is_case_page(url: str) -> bool:
    return "/cases" in url or url.startswith("/brand")


@pytest.mark.parametrize("role", ["agency_staff", "employer_staff", "brand"])
def test_no_reporter_and_nothing_internal_reaches_organisations(app, scenario, role):
    reader = app.test_client()
    login(reader, scenario["staff"][role])
    seeds = route_urls(app, scenario["ids"])
    seeds += [f"/search?q={quote(term)}" for term in scenario["searches"]]
    pages = crawl(reader, seeds)

    found = {}
    for url, (_status, text) in pages.items():
        secrets = scenario["forbidden"][role]
        if is_case_page(url):
            secrets = secrets + scenario["case_page_forbidden"]
        if bad := leaks(own_words_removed(url, text), secrets):
            found[url] = bad
    assert found == {}, f"{role} sees what it must not"

    # Another organisation's portal is closed (ids of every organisation were tried).
    own = scenario["own"][role]
    for url, (status, _text) in pages.items():
        match = re.match(r"/portal/(\d+)", url)
        if match and int(match.group(1)) != own:
            assert status in (403, 404), url

    # The crawl reached what this reader should see: the checks above looked at real pages.
    everything = "\n".join(text for status, text in pages.values() if status == 200)
    missing = [item for item in scenario["must_see"][role] if item not in everything]
    assert missing == [], f"{role} never reached these pages"
    for url in scenario["exports"][role]:
        assert pages[url][0] == 200 and "text/csv" in pages[url][1], url
    ok = sum(status == 200 for status, _text in pages.values())
    print(f"\n{role}: {len(pages)} responses checked, {ok} of them pages (200)")
    assert ok >= 20


@pytest.mark.parametrize("role", ["government", "association", "mobilizer", "moderator"])
def test_no_conversation_reaches_the_networks_other_members(app, scenario, role):
    """Government officers, association staff, mobilizers and moderators crawl everything
    they can reach, as organisations do: no worker's words, contact or code from a
    conversation, no caseworker's reply or note, no link to the inbox; on case pages (the
    office's), nothing that ties the case to its conversation or review."""
    reader = app.test_client()
    login(reader, scenario["members"][role])
    seeds = route_urls(app, scenario["ids"])
    seeds += [f"/search?q={quote(term)}" for term in scenario["searches"]]
    pages = crawl(reader, seeds)

    found = {}
    for url, (_status, text) in pages.items():
        secrets = scenario["voice_secrets"]
        if is_case_page(url):
            secrets = secrets + scenario["case_page_forbidden"]
        if bad := leaks(own_words_removed(url, text), secrets):
            found[url] = bad
    assert found == {}, f"{role} sees what it must not"
    # None of them opens the inbox, a conversation, the saved answers or the contact log.
    for url, (status, _text) in pages.items():
        if url.startswith("/inbox"):
            assert status == 403, url

    everything = "\n".join(text for status, text in pages.values() if status == 200)
    missing = [item for item in scenario["member_must_see"][role] if item not in everything]
    assert missing == [], f"{role} never reached these pages"
    ok = sum(status == 200 for status, _text in pages.values())
    print(f"\n{role}: {len(pages)} responses checked, {ok} of them pages (200)")
    assert ok >= 5


def test_the_conversation_secrets_are_there_to_find(app, scenario):
    """The other side of the checks above: the conversation's caseworkers do find those
    secrets, spelled as the pages spell them (so a leak would not slip past the search)."""
    voice = scenario["voice"]
    reader = app.test_client()
    login(reader, scenario["caseworker"])
    page = reader.get(f"/inbox/{voice.asked.id}").get_data(as_text=True)
    page += reader.post(f"/inbox/{voice.asked.id}/contact").get_data(as_text=True)
    page += reader.get(f"/inbox/{voice.thread.id}").get_data(as_text=True)
    found = leaks(page, scenario["voice_secrets"])
    for secret in ("MAGPIE", "Thurazaw", "0891112233", "viber.zqsecret", "CORMORANT",
                   "GANNET", "PELICAN", "GREBE", "SHEARWATER", 'href="/inbox'):  # fmt: skip
        assert secret in found, secret
    case_page = reader.get(f"/cases/{voice.case.id}").get_data(as_text=True)
    case_page += reader.get(f"/cases/{voice.called.id}").get_data(as_text=True)
    found = leaks(case_page, scenario["case_page_forbidden"])
    assert {str(case_choices.SOURCES["message"]), "Recorded by", "TURNSTONE"} <= set(
        found + leaks(case_page, scenario["voice_secrets"])
    )
