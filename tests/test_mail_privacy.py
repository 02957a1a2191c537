"""No e-mail ever carries a worker's words, a tracking code, an applicant's name or phone,
or anything else that identifies a worker.

Every template in goldendreams/templates/mail/ must have a scenario in ``SCENARIOS`` (a
template without one fails ``test_every_mail_template_has_a_scenario``). A scenario drives
the real code path that sends that mail, in a world where everything workers and readers
wrote is hostile: their name, phone, a messaging id, "<script>" text, and the tracking
codes the site gave them. Every message sent (subject, text and HTML, as delivered) must be
free of all of it.

To add a scenario for a new template: write ``def scenario(world: World) -> None`` that
makes the site send it (through services or tasks, never by calling ``mail.send``) and add
it to ``SCENARIOS`` under the template's name.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from goldendreams.accounts import invitations
from goldendreams.accounts import services as account_services
from goldendreams.accounts import tasks as account_tasks
from goldendreams.accounts.models import User
from goldendreams.agencies import claims
from goldendreams.agencies.models import Organisation
from goldendreams.cases import services as case_services
from goldendreams.cases import tasks as case_tasks
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core import mail
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs import services as job_services
from goldendreams.jobs import tasks as job_tasks
from goldendreams.jobs.models import Application, Job, JobFlag
from goldendreams.moderation import tasks as moderation_tasks
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    JobFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
    consent_to_refer,
)
from tests.mailbox import html_of, text_of

MAIL_TEMPLATES = Path(__file__).parent.parent / "goldendreams" / "templates" / "mail"

NAME = "Ma Hla Hostile"
PHONE = "09 450 111 222"
SCRIPT = "<script>alert('gd')</script>"
MESSENGER = "line.id.kohostile"
#: What a worker or reader wrote, everywhere they write.
HOSTILE = f"{NAME} {PHONE} {SCRIPT} {MESSENGER} says the supervisor took our passports."


@dataclass
class World:
    """A site where workers and readers wrote hostile text everywhere, and staff of every
    kind who may be mailed."""

    employer: Organisation
    agency: Organisation
    job: Job
    review: Review
    application: Application
    case: Case
    admin: User
    moderator: User
    caseworker: User
    employer_staff: User
    agency_staff: User
    brand: User
    #: Tracking codes the site gave workers (shown once, never stored): never in a mail.
    codes: list[str] = field(default_factory=list)
    #: What else a scenario adds (which conversation an emergency mail is about).
    more: list[str] = field(default_factory=list)

    def needles(self) -> list[str]:
        """What must never appear in a message."""
        found = [NAME, PHONE, PHONE.replace(" ", ""), "alert(", "script>", MESSENGER]
        found += [html.escape(SCRIPT), "passports", *self.codes, *self.more]
        return found


def build_world() -> World:
    taxonomy.load()
    employer = OrganisationFactory()
    agency = AgencyFactory(licence_expiry=None)
    buyer = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=buyer, target=employer)
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    admin = UserFactory(role="admin")
    moderator = UserFactory(role="moderator", preferred_locale="my")
    caseworker = UserFactory(role="caseworker")
    UserFactory(role="caseworker", preferred_locale="km")  # hears of what the other does
    employer_staff = UserFactory(
        role="employer_staff", organisation=employer, preferred_locale="th"
    )
    agency_staff = UserFactory(role="agency_staff", organisation=agency, preferred_locale="ne")
    brand = UserFactory(role="brand", organisation=buyer)

    review, review_code = review_services.submit_review(
        employer,
        review_services.ReviewInput(
            rating=1,
            title=f"{NAME} {SCRIPT}",
            body=HOSTILE,
            relationship_kind="current",
            year=today().year,
            fees_paid="yes",
            fee_amount=Decimal("20000"),
            fee_currency="THB",
        ),
    )
    review_services.publish_review(review, moderator, keep=set(), hide_also=[])
    review_services.flag_review(review, "other", HOSTILE[:400])
    review_services.submit_reply(review, employer_staff, "We are looking into this.")
    review_services.submit_review(
        employer,
        review_services.ReviewInput(
            rating=2, title=NAME, body=HOSTILE, relationship_kind="former", year=today().year
        ),
    )  # pending: in the moderators' queue

    job = JobFactory(agency=agency, employer=employer)
    application, application_code = job_services.apply(
        job, f"{NAME} {SCRIPT}", PHONE, "MM", f"Village of {NAME}", "my", True
    )
    job_services.flag_job(job, "scam", HOSTILE[:400])

    case = case_services.open_from_review(review, caseworker, ["FEE-01"], "high", 3)
    case.summary, case.contact = HOSTILE, f"{PHONE} {MESSENGER}"
    db.session.commit()
    case_services.add_note(case, caseworker, HOSTILE, shared=False)
    return World(
        employer=employer, agency=agency, job=job, review=review, application=application,
        case=case, admin=admin, moderator=moderator, caseworker=caseworker,
        employer_staff=employer_staff, agency_staff=agency_staff, brand=brand,
        codes=[review_code, application_code],
    )  # fmt: skip


def refer(world: World) -> None:
    case_services.move(world.case, world.caseworker, "triaged")
    consent_to_refer(world.case)
    case_services.move(world.case, world.caseworker, "referred")


# --- scenarios: one per template -------------------------------------------------------------


def invitation(world: World) -> None:
    invitations.invite(world.admin, "new.colleague@example.org", "employer_staff", world.employer)


def notify_case_referred(world: World) -> None:
    refer(world)  # to the employer's staff and the brand buying from it


def notify_case_event(world: World) -> None:
    refer(world)
    case_services.add_note(world.case, world.caseworker, HOSTILE, shared=True)
    case_services.record_remediation(
        world.case, world.caseworker, "fee_repayment", Decimal("20000"), "THB", 3, HOSTILE
    )
    case_services.worker_answer(world.case, "partly", HOSTILE)
    case_services.move(world.case, world.caseworker, "resolved")
    case_services.close_resolved(world.case, world.caseworker)


def notify_case_deadline(world: World) -> None:
    refer(world)
    stage_days = current_app.config["CASE_STAGE_DAYS"]["referred"]
    world.case.stage_since = today() - timedelta(days=stage_days - 2)
    db.session.commit()
    assert case_tasks.remind_deadlines.call_local() >= 1


def notify_urgent_case(world: World) -> None:
    case_services.open_hotline_case(
        world.caseworker, world.employer, "hotline", ["ILO-03"], "urgent", 2, HOSTILE,
        f"{PHONE} {MESSENGER}",
    )  # fmt: skip


def notify_job_returned(world: World) -> None:
    job_flag = db.session.scalar(select(JobFlag).filter_by(job_id=world.job.id))
    job_services.decide_job_flag(job_flag, world.moderator, uphold=True)
    other = JobFactory(agency=world.agency, employer=world.employer, status="submitted")
    job_services.reject_job(other, world.moderator, "other", HOSTILE)


def notify_job_order_submitted(world: World) -> None:
    other = JobFactory(agency=world.agency, employer=world.employer, status="draft")
    job_services.submit_job(other, world.agency_staff)  # to the employer's staff


def notify_job_order_decided(world: World) -> None:
    other = JobFactory(agency=world.agency, employer=world.employer, status="submitted")
    job_services.decide_job_order(other, world.employer_staff, False, note=HOSTILE)


def notify_reply_decided(world: World) -> None:
    review_services.decide_reply(world.review.reply, world.moderator, False, "abusive")
    review_services.submit_reply(world.review, world.employer_staff, "We paid the fees back.")
    review_services.decide_reply(world.review.reply, world.moderator, True)


def notify_applications_digest(world: World) -> None:
    world.application.applied_on = today() - timedelta(days=1)
    db.session.commit()
    assert job_tasks.applications_digest.call_local() == 1


def notify_staff_digest(world: World) -> None:
    refer(world)
    case_services.record_remediation(
        world.case, world.caseworker, "fee_repayment", None, None, None, None
    )
    case_services.worker_answer(world.case, "no", HOSTILE)
    world.case.stage_since = today() - timedelta(days=100)  # and overdue
    db.session.commit()
    assert moderation_tasks.staff_digest.call_local() >= 3


def password_reset(world: World) -> None:
    # Through the queued task, as /login/forgot does (immediate in tests).
    account_tasks.send_password_reset(world.moderator.email)


def second_factor_reset(world: World) -> None:
    account_services.reset_second_factor(world.admin, world.caseworker)


def claim_refused(world: World) -> None:
    # A claim made through the public form, refused by a moderator with a reason.
    claim = claims.submit_claim(
        world.agency,
        claims.ClaimInput(name="Somchai Jaidee", email="hr@agency.example",
                          job_title="HR manager", licence_number="LIC-1", locale="th"),
    )  # fmt: skip
    claims.refuse_claim(claim, world.moderator, "We could not confirm that you work there.")


def notify_group_case_update(world: World) -> None:
    # A mobilizer logs a group complaint in the workers' words; the CSO's caseworker runs it
    # to the end: every status change mails the mobilizer.
    mobilizer = UserFactory(role="mobilizer", preferred_locale="my")
    case = case_services.open_group_case(mobilizer, world.employer, ["FEE-01"], 12, HOSTILE)
    case_services.move(case, world.caseworker, "triaged")
    consent_to_refer(case)
    case_services.move(case, world.caseworker, "referred")
    case_services.record_remediation(
        case, world.caseworker, "fee_repayment", Decimal("20000"), "THB", 12, HOSTILE
    )
    case_services.worker_answer(case, "yes", HOSTILE)
    case_services.move(case, world.caseworker, "resolved")
    case_services.close_resolved(case, world.caseworker)


def notify_referral_received(world: World) -> None:
    # The case goes to another CSO with a note in the worker's words: once with consent
    # recorded by the caseworker, once asked through the worker's code (they say yes).
    from goldendreams.cases import referrals
    from tests.factories import CsoFactory

    receiver = CsoFactory()
    UserFactory(role="caseworker", organisation=receiver, preferred_locale="lo")
    referral = referrals.propose(world.case, world.caseworker, receiver, HOSTILE, "phone",
                                 HOSTILE[:400])  # fmt: skip
    referrals.withdraw(referral, world.caseworker)
    referral = referrals.propose(world.case, world.caseworker, receiver, HOSTILE, "worker_code")
    referrals.worker_consents(referral, yes=True)


def notify_referral_decided(world: World) -> None:
    # A CSO declines (its reason quotes the worker), then a government office accepts.
    from goldendreams.cases import referrals
    from tests.factories import CsoFactory, GovernmentOfficeFactory

    cso, office = CsoFactory(), GovernmentOfficeFactory()
    cso_worker = UserFactory(role="caseworker", organisation=cso)
    officer = UserFactory(role="government", organisation=office)
    referral = referrals.propose(world.case, world.caseworker, cso, HOSTILE, "in_person", HOSTILE)
    referrals.decline(referral, cso_worker, HOSTILE)
    referral = referrals.propose(world.case, world.caseworker, office, HOSTILE, "message", NAME)
    referrals.accept(referral, officer)


def notify_member_figures(world: World) -> None:
    # On the first of the month, an association whose members (the employer and the agency)
    # had cases last month, from reviews and calls in the workers' words, hears the counts.
    from tests.factories import AssociationFactory

    association = AssociationFactory()
    for member in (world.employer, world.agency):
        OrganisationLinkFactory(kind="member_of", source=member, target=association)
    UserFactory(role="association", organisation=association, preferred_locale="th")
    refer(world)
    last_month = today().replace(day=1) - timedelta(days=1)
    for _ in range(3):
        case = case_services.open_hotline_case(
            world.caseworker, world.agency, "hotline", ["FEE-01"], "high", 2, HOSTILE,
            f"{PHONE} {MESSENGER}",
        )  # fmt: skip
        case_services.move(case, world.caseworker, "triaged")
        consent_to_refer(case)
        case_services.move(case, world.caseworker, "referred")
        case.opened_on = last_month
    world.case.opened_on = last_month
    db.session.commit()
    assert case_tasks.member_figures.call_local() == 1


def _escalate(world: World):
    """The case, sent to the employer, escalated to the brand with a hostile note (the
    worker agreed that brands may be told what happened)."""
    from goldendreams.brands import services as brand_services
    from goldendreams.cases import consent

    if world.case.status != "referred":
        consent.record(world.caseworker, "organisation", ["issue"], "phone", None,
                       case_id=world.case.id)  # fmt: skip
        refer(world)
    return brand_services.escalate(
        world.caseworker, world.employer, [world.case], "severe", HOSTILE,
        consent_method="phone", consent_note=HOSTILE[:400],
    )  # fmt: skip


def notify_escalation_received(world: World) -> None:
    _escalate(world)


def notify_escalation_overdue(world: World) -> None:
    from goldendreams.brands import tasks as brand_tasks

    part = _escalate(world).brands[0]
    part.ack_due_on = today() - timedelta(days=1)
    db.session.commit()
    assert brand_tasks.remind_overdue_acknowledgements.call_local() >= 1


def notify_escalation_answered(world: World) -> None:
    from goldendreams.brands import services as brand_services

    part = _escalate(world).brands[0]
    brand_services.acknowledge(world.brand, part)
    commitment = brand_services.add_commitment(world.brand, part, "visit", HOSTILE, today())
    brand_services.mark_done(world.brand, commitment)


def notify_urgent_conversation(world: World) -> None:
    # A worker asks about an emergency at /ask in hostile words, naming the employer in
    # hostile words too and leaving a messaging id: the CSO's caseworkers hear at once. They
    # hear again when the worker writes after a reply, and the CSO it is handed over to
    # (the note quotes the worker) hears too. Another emergency is about a listed agency.
    # A mail is dated: it names no conversation (its number, its page), so it cannot date
    # one worker's message.
    from goldendreams.inbox import services as inbox_services
    from tests.factories import CsoFactory

    conversation, code = inbox_services.ask(
        "emergency", "TH", "my", HOSTILE, organisation_name=f"{NAME} {SCRIPT}",
        contact_method="line", contact_value=MESSENGER,
    )  # fmt: skip
    world.codes.append(code)
    inbox_services.reply(conversation, world.caseworker, "We are calling you now.")
    inbox_services.worker_writes(conversation, HOSTILE)
    receiver = CsoFactory()
    UserFactory(role="caseworker", organisation=receiver, preferred_locale="ne")
    inbox_services.hand_over(conversation, world.caseworker, receiver, HOSTILE)
    other, other_code = inbox_services.ask(
        "emergency", "MY", "km", HOSTILE, organisation=world.agency, contact_method="phone",
        contact_value=PHONE,
    )  # fmt: skip
    world.codes.append(other_code)
    for item in (conversation, other):
        world.more += [f"/inbox/{item.id}", f"conversation {item.id}"]


def notify_service_referral_overdue(world: World) -> None:
    # The worker was sent to a legal-aid service with a note and an outcome in their words;
    # the follow-up date passes and the daily task reminds the caseworkers.
    from goldendreams.support import services as support_services
    from goldendreams.support import tasks as support_tasks
    from tests.support.factories import ServiceFactory

    referral = support_services.refer(
        world.caseworker, world.case, ServiceFactory(), HOSTILE, consent_method="phone",
        consent_items=["issue", "identity"], consent_note=HOSTILE[:400],
    )  # fmt: skip
    support_services.update_referral(world.caseworker, referral, "accepted", HOSTILE, None)
    referral.follow_up_on = today() - timedelta(days=1)  # a week went by
    db.session.commit()
    support_tasks.remind_overdue_referrals()


def notify_plan_item_overdue(world: World) -> None:
    # An improvement plan for the employer; its steps and evidence hold hostile text; one
    # step's due date passes and the daily task tells the employer's staff.
    from goldendreams.plans import services as plan_services
    from goldendreams.plans import tasks as plan_tasks
    from goldendreams.plans.models import PlanAuthor

    plan = plan_services.create_plan(
        world.caseworker, world.employer, PlanAuthor.CSO, "Passport lockers", ["ILO-07"], []
    )
    item = plan_services.add_item(world.caseworker, plan, HOSTILE[:2000], NAME, today())
    plan_services.start(world.caseworker, plan)
    plan_services.progress(world.employer_staff, item, HOSTILE, None)
    item.due_on = today() - timedelta(days=1)  # a day went by
    db.session.commit()
    plan_tasks.remind_overdue_items()


#: Template name → the scenario that makes the site send it. Other engineers' templates
#: (password_reset, second_factor_reset, claim_*): add yours here.
def _collective(world: World):
    """The case, sent to the employer, grouped under a collective case whose description
    and beneficiary line are hostile; one instalment of 60,000 baht a week late."""
    from goldendreams.cases import consent
    from goldendreams.collective import services as collective_services

    consent.record(world.caseworker, "organisation", ["issue"], "phone", None,
                   case_id=world.case.id)  # fmt: skip
    refer(world)
    collective = collective_services.start(world.caseworker, world.case, "dormitory",
                                           HOSTILE, 12)  # fmt: skip
    collective_services.add_beneficiary(world.caseworker, collective, NAME, Decimal("18000"),
                                        None, "THB", None, None)  # fmt: skip
    return collective_services.add_instalment(
        world.caseworker, collective, today() - timedelta(days=7), Decimal("60000"), "THB"
    )


def notify_collective_payment_reported(world: World) -> None:
    from goldendreams.collective import services as collective_services

    instalment = _collective(world)
    collective_services.report_payment(world.employer_staff, instalment, Decimal("60000"),
                                       today())  # fmt: skip


def notify_instalment_overdue(world: World) -> None:
    from goldendreams.collective import tasks as collective_tasks

    _collective(world)
    assert collective_tasks.remind_overdue_instalments.call_local() >= 1


def _hostile_high_risk_case(world: World) -> Case:
    """A hostile case of the world's caseworker's CSO, assessed as high risk with the
    worker's hostile safe way to be reached."""
    from goldendreams.safeguarding import services as safeguarding_services

    case = case_services.open_hotline_case(
        world.caseworker, world.employer, "hotline", ["FEE-01"], "medium", 2, HOSTILE,
        f"{PHONE} {MESSENGER}",
    )  # fmt: skip
    answers = {"danger": "yes", "movement": "no", "documents": "no", "debt": "no",
               "threats": "no", "children": "no"}  # fmt: skip
    safeguarding_services.assess_case(case, world.caseworker, answers, HOSTILE)
    return case


def notify_safeguarding_alert(world: World) -> None:
    """High risk: the CSO's caseworkers are alerted (nobody is on call)."""
    _hostile_high_risk_case(world)


def notify_check_in_due(world: World) -> None:
    from goldendreams.safeguarding import alerts
    from goldendreams.safeguarding import services as safeguarding_services

    case = _hostile_high_risk_case(world)
    case.assignee_id = world.caseworker.id
    safeguarding_services.save_plan(case, world.caseworker, HOSTILE, today(), "phone")
    assert alerts.check_ins_due.call_local() == 1


SCENARIOS: dict[str, Callable[[World], None]] = {
    "invitation": invitation,
    "password_reset": password_reset,
    "second_factor_reset": second_factor_reset,
    "notify_case_referred": notify_case_referred,
    "notify_case_event": notify_case_event,
    "notify_case_deadline": notify_case_deadline,
    "notify_urgent_case": notify_urgent_case,
    "notify_safeguarding_alert": notify_safeguarding_alert,
    "notify_check_in_due": notify_check_in_due,
    "notify_job_returned": notify_job_returned,
    "notify_job_order_submitted": notify_job_order_submitted,
    "notify_job_order_decided": notify_job_order_decided,
    "notify_reply_decided": notify_reply_decided,
    "notify_applications_digest": notify_applications_digest,
    "notify_staff_digest": notify_staff_digest,
    "claim_refused": claim_refused,
    "notify_member_figures": notify_member_figures,
    "notify_referral_received": notify_referral_received,
    "notify_referral_decided": notify_referral_decided,
    "notify_group_case_update": notify_group_case_update,
    "notify_urgent_conversation": notify_urgent_conversation,
    "notify_escalation_received": notify_escalation_received,
    "notify_escalation_overdue": notify_escalation_overdue,
    "notify_escalation_answered": notify_escalation_answered,
    "notify_service_referral_overdue": notify_service_referral_overdue,
    "notify_plan_item_overdue": notify_plan_item_overdue,
    "notify_collective_payment_reported": notify_collective_payment_reported,
    "notify_instalment_overdue": notify_instalment_overdue,
}


def mail_templates() -> set[str]:
    names = {path.stem for path in MAIL_TEMPLATES.glob("*.txt")}
    names |= {path.stem for path in MAIL_TEMPLATES.glob("*.html")}
    return names - {"base"}


def test_every_mail_template_has_a_scenario():
    missing = sorted(mail_templates() - set(SCENARIOS))
    assert not missing, f"mail templates without a privacy scenario here: {missing}"


def test_every_template_has_both_parts():
    for name in mail_templates():
        assert (MAIL_TEMPLATES / f"{name}.txt").exists(), name
        assert (MAIL_TEMPLATES / f"{name}.html").exists(), name


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The names of the templates rendered for sending during the test."""
    names: list[str] = []
    render = mail.render

    def recording(to, template, locale=None, **context):
        names.append(template)
        return render(to, template, locale, **context)

    monkeypatch.setattr(mail, "render", recording)
    return names


@pytest.mark.parametrize("template", sorted(SCENARIOS))
def test_no_mail_carries_what_identifies_a_worker(app, mailbox, sent, template):
    world = build_world()
    mailbox.clear()
    sent.clear()
    SCENARIOS[template](world)
    assert template in sent, f"the scenario sent no {template!r} mail (sent: {sent})"
    messages = mailbox.messages
    assert messages
    for message in messages:
        parts = {
            "subject": message["Subject"],
            "text": text_of(message),
            "html": html_of(message),
        }
        for part, content in parts.items():
            for needle in world.needles():
                assert needle.casefold() not in content.casefold(), (
                    f"{template}: {needle!r} in the {part} of the mail to {message['To']}"
                )
