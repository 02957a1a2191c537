"""factory_boy factories, one per model, writing through the app's session."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import current_app
from werkzeug.security import generate_password_hash

from goldendreams.accounts.models import Invitation, SecondFactor, User
from goldendreams.agencies.models import Organisation, OrganisationLink, ProfileClaim
from goldendreams.cases.models import Case, CaseEvent, CaseReferral, ConsentRecord, RoutingRule
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today, utcnow
from goldendreams.extensions import db
from goldendreams.inbox.models import CallLog, Contact, Conversation, Message, SavedAnswer
from goldendreams.jobs.models import Application, FeeLine, Job, JobFlag, JobText
from goldendreams.reviews.models import Flag, OrganisationScore, Reply, Review
from goldendreams.rights.models import Article, ArticleText, ExchangeRate, Hotline

TEST_PASSWORD = "correct horse battery"
#: The TOTP key (base32) of the second factor factory users get (tests/conftest.login
#: makes its codes).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# A cheap hash keeps the hundreds of test logins fast; accounts made through the service
# (tests/core/test_security.py) use the production algorithm.
_TEST_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    kind = "employer"
    name = factory.Sequence(lambda n: f"Example Company {n:03d}")
    sort_name = factory.LazyAttribute(lambda o: o.name.casefold())
    name_local = factory.Sequence(lambda n: f"บริษัท ตัวอย่าง {n:03d}")
    country = "TH"
    province = "Samut Sakhon"
    sector = "seafood"


class AgencyFactory(OrganisationFactory):
    kind = "agency"
    country = "MM"
    province = "Yangon"
    sector = "recruitment"
    name_local = factory.Sequence(lambda n: f"အေဂျင်စီ {n:03d}")
    licence_number = factory.Sequence(lambda n: f"LIC-{n:05d}")
    licence_authority = "Department of Labour (Myanmar)"
    licence_status = "valid"
    licence_expiry = factory.LazyFunction(lambda: today() + timedelta(days=365))


class BuyerFactory(OrganisationFactory):
    kind = "buyer"
    sector = "garments"
    name_local = None


class CsoFactory(OrganisationFactory):
    """An NGO of the network (``kind="union"`` for a trade union), with what it covers."""

    kind = "ngo"
    name = factory.Sequence(lambda n: f"Example Workers' Aid {n:03d}")
    name_local = None
    country = "TH"
    province = "Tak"
    sector = None
    countries_covered = factory.LazyFunction(lambda: ["TH", "MM"])
    provinces_covered = factory.LazyFunction(lambda: ["Tak", "Samut Sakhon"])
    languages = factory.LazyFunction(lambda: ["my", "th"])
    services = factory.LazyFunction(lambda: ["hotline", "legal_aid"])
    contact_phone = "+66 55 000 000"


class OrganisationLinkFactory(BaseFactory):
    class Meta:
        model = OrganisationLink

    kind = "recruits_for"
    source = factory.SubFactory(AgencyFactory)
    target = factory.SubFactory(OrganisationFactory)


#: The CSO that factory cases and caseworkers belong to unless told otherwise, with the
#: catch-all routing rule (what migration 0013 makes of an existing site's single case log).
NETWORK_CSO = "ILM Test Network"


def network_cso() -> Organisation:
    """The default CSO of the test database, made (with its catch-all rule) on first use."""
    cso = db.session.query(Organisation).filter_by(kind="ngo", name=NETWORK_CSO).first()
    if cso is None:
        cso = CsoFactory(name=NETWORK_CSO)
        db.session.add(RoutingRule(cso=cso))
        db.session.commit()
    return cso


class GovernmentOfficeFactory(OrganisationFactory):
    """A labour inspection office of the network."""

    kind = "government"
    name = factory.Sequence(lambda n: f"Provincial Labour Inspection Office {n:03d}")
    name_local = None
    country = "TH"
    province = "Samut Sakhon"
    sector = None
    office_kind = "labour_inspection"


class AssociationFactory(OrganisationFactory):
    """An industry association (its members: ``OrganisationLinkFactory(kind="member_of",
    source=member, target=association)``)."""

    kind = "association"
    name = factory.Sequence(lambda n: f"Example Seafood Association {n:03d}")
    name_local = None
    sector = "seafood"


class UserFactory(BaseFactory):
    """A staff member. Roles that need a second factor (``TWO_FACTOR_ROLES``) get one,
    confirmed, with the key ``TOTP_SECRET`` (``second_factor=False``: none, so the user
    must enrol; ``second_factor=True``: one whatever the role)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password_hash = _TEST_PASSWORD_HASH
    role = "moderator"

    @factory.lazy_attribute
    def organisation(self):
        """Caseworkers and mobilizers work for the test network's CSO unless told otherwise."""
        return network_cso() if self.role in ("caseworker", "mobilizer") else None

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        wanted = extracted
        if wanted is None:
            wanted = user.role in current_app.config["TWO_FACTOR_ROLES"]
        if create and wanted:
            db.session.add(SecondFactor(user=user, secret=TOTP_SECRET, confirmed_at=utcnow()))
            db.session.commit()


class AuditLogFactory(BaseFactory):
    class Meta:
        model = AuditLog

    action = "organisation.update"
    target_type = "organisation"
    target_id = 1
    detail = factory.LazyFunction(dict)


class ReviewFactory(BaseFactory):
    class Meta:
        model = Review

    organisation = factory.SubFactory(AgencyFactory)
    status = "pending"
    language = "en"
    rating = 4
    sub_ratings = factory.LazyFunction(dict)
    relationship_kind = "former"
    year = factory.LazyFunction(lambda: today().year - 1)
    title = factory.Sequence(lambda n: f"Review title {n}")
    body = "They told me the truth about the fees and the job."
    public_title = factory.LazyAttribute(lambda r: r.title)
    public_body = factory.LazyAttribute(lambda r: r.body)
    redactions = factory.LazyFunction(list)
    written_on = factory.LazyFunction(today)
    tracking_hash = factory.Sequence(lambda n: hashlib.sha256(f"code-{n}".encode()).hexdigest())


class PublishedReviewFactory(ReviewFactory):
    status = "published"
    published_on = factory.LazyFunction(today)


class ReplyFactory(BaseFactory):
    class Meta:
        model = Reply

    review = factory.SubFactory(PublishedReviewFactory)
    body = "Thank you. We have changed how we explain the fees."
    written_on = factory.LazyFunction(today)


class FlagFactory(BaseFactory):
    class Meta:
        model = Flag

    review = factory.SubFactory(PublishedReviewFactory)
    reason = "false"
    written_on = factory.LazyFunction(today)


class OrganisationScoreFactory(BaseFactory):
    class Meta:
        model = OrganisationScore

    organisation_id = factory.LazyFunction(lambda: AgencyFactory().id)
    review_count = 3
    rating = 4.0


class JobFactory(BaseFactory):
    class Meta:
        model = Job

    agency = factory.SubFactory(AgencyFactory, licence_expiry=None)
    employer = factory.SubFactory(OrganisationFactory)
    status = "published"
    sector = "seafood"
    destination_country = "TH"
    province = "Samut Sakhon"
    positions = 10
    salary_amount = Decimal("400")
    salary_currency = "THB"
    salary_period = "day"
    monthly_salary = Decimal("12000")
    hours_per_day = Decimal("8")
    rest_days_per_week = 1
    contract_months = 24
    gender = "any"
    languages = factory.LazyFunction(lambda: ["my"])
    recruiting_from = factory.LazyFunction(lambda: ["MM"])
    deadline = factory.LazyFunction(lambda: today() + timedelta(days=30))
    employer_pays = True
    created_on = factory.LazyFunction(today)
    published_on = factory.LazyFunction(today)
    texts = factory.LazyFunction(
        lambda: [JobText(locale="en", title="Factory worker", description="Packing fish.")]
    )


class JobTextFactory(BaseFactory):
    class Meta:
        model = JobText

    job = factory.SubFactory(JobFactory)
    locale = "my"
    title = "စက်ရုံ အလုပ်သမား"
    description = "ငါး ထုပ်ပိုးခြင်း"


class FeeLineFactory(BaseFactory):
    class Meta:
        model = FeeLine

    job = factory.SubFactory(JobFactory)
    kind = "passport"
    amount = Decimal("5000")
    currency = "THB"
    paid_by = "worker"


class ApplicationFactory(BaseFactory):
    class Meta:
        model = Application

    job = factory.SubFactory(JobFactory)
    name = "Ma Hla"
    phone = factory.Sequence(lambda n: f"09 450 {n:06d}")
    phone_key = factory.Sequence(lambda n: hashlib.sha256(f"phone-{n}".encode()).hexdigest())
    origin_country = "MM"
    language = "my"
    consent = True
    tracking_hash = factory.Sequence(lambda n: hashlib.sha256(f"app-{n}".encode()).hexdigest())
    applied_on = factory.LazyFunction(today)


class JobFlagFactory(BaseFactory):
    class Meta:
        model = JobFlag

    job = factory.SubFactory(JobFactory)
    reason = "scam"
    written_on = factory.LazyFunction(today)


class CaseFactory(BaseFactory):
    class Meta:
        model = Case

    source = "hotline"
    reference = factory.Sequence(lambda n: f"ILM-2026-{n + 90000:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    owner = factory.LazyFunction(network_cso)
    severity = "medium"
    status = "new"
    workers_affected = 5
    summary = "Workers were told to pay 20,000 baht for their work permits."
    contact = "Ko Aung, LINE id ko.aung.secret"
    opened_on = factory.LazyFunction(today)
    stage_since = factory.LazyFunction(today)
    categories = factory.LazyFunction(lambda: _categories("FEE-01"))

    @factory.post_generation
    def organisation_consent(case, create, extracted, **kwargs):
        """The worker agreed (on the phone) that the organisation may be told what happened,
        as the workflow requires before a case is referred. ``organisation_consent=False``:
        no consent recorded."""
        if create and extracted is not False:
            consent_to_refer(case)


class CaseEventFactory(BaseFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = "note"
    shared = False
    text = "Internal note: the worker fears the supervisor."
    happened_on = factory.LazyFunction(today)


class CaseReferralFactory(BaseFactory):
    """A referral the worker agreed to (on the phone), waiting for the receiver."""

    class Meta:
        model = CaseReferral

    case = factory.SubFactory(CaseFactory)
    sender = factory.LazyAttribute(lambda referral: referral.case.owner)
    receiver = factory.SubFactory(CsoFactory)
    status = "proposed"
    note = "Worker now back in Myawaddy; needs help to claim unpaid wages."
    consent_method = "phone"
    consent_note = "Agreed on the phone, in Burmese."
    proposed_on = factory.LazyFunction(today)


class RoutingRuleFactory(BaseFactory):
    class Meta:
        model = RoutingRule

    cso = factory.SubFactory(CsoFactory)


class ConversationFactory(BaseFactory):
    """A worker's question on the site, waiting in the default CSO's inbox. Its code_hash
    is no real code's: set ``code_hash=tracking.code_hash(code)`` to open it with one."""

    class Meta:
        model = Conversation

    owner = factory.LazyFunction(network_cso)
    channel = "web"
    language = "my"
    country = "TH"
    topic = "work"
    state = "new"
    code_hash = factory.Sequence(lambda n: hashlib.sha256(f"conversation {n}".encode()).hexdigest())
    opened_on = factory.LazyFunction(today)
    last_activity_on = factory.LazyFunction(today)


class MessageFactory(BaseFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    kind = "from_worker"
    text = "The agency kept my passport. Call me on 081 234 5678. Ma Hla Hla."
    sent_on = factory.LazyFunction(today)


class ContactFactory(BaseFactory):
    class Meta:
        model = Contact

    conversation = factory.SubFactory(ConversationFactory)
    method = "line"
    value = "ma.hla.hla.secret"
    given_on = factory.LazyFunction(today)


class SavedAnswerFactory(BaseFactory):
    class Meta:
        model = SavedAnswer

    owner_id = factory.LazyFunction(lambda: network_cso().id)
    language = "my"
    title = "Passport rights"
    body = "Nobody may keep your passport. Call 1506 (free, Burmese spoken)."


class CallLogFactory(BaseFactory):
    class Meta:
        model = CallLog

    owner_id = factory.LazyFunction(lambda: network_cso().id)
    channel = "phone"
    topic = "question"
    language = "my"
    country = "TH"
    outcome = "information"
    minutes = 6
    logged_on = factory.LazyFunction(today)


class ArticleFactory(BaseFactory):
    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    topic = "fees"
    status = "published"
    updated_on = factory.LazyFunction(today)


class ArticleTextFactory(BaseFactory):
    class Meta:
        model = ArticleText

    article = factory.SubFactory(ArticleFactory)
    locale = "en"
    title = factory.Sequence(lambda n: f"Know your rights {n}")
    summary = "What the law says, in short."
    body_markdown = "You do **not** pay for your visa."
    body_html = "<p>You do <strong>not</strong> pay for your visa.</p>"
    updated_on = factory.LazyFunction(today)


class HotlineFactory(BaseFactory):
    class Meta:
        model = Hotline

    country = "TH"
    organisation = factory.Sequence(lambda n: f"Workers Helpline {n}")
    phone = "+66 2 123 4567"
    channels = factory.LazyFunction(lambda: {"line": "https://line.me/R/ti/p/@helpline"})
    languages = factory.LazyFunction(lambda: ["my", "th"])


class ExchangeRateFactory(BaseFactory):
    class Meta:
        model = ExchangeRate

    base = "THB"
    quote = "MMK"
    rate = Decimal("64")
    set_on = factory.LazyFunction(today)


def referred(case, days_ago: int = 0):
    """Mark a factory case as referred to its organisation (as the workflow would)."""
    on = today() - timedelta(days=days_ago)
    CaseEventFactory(case=case, kind="status", shared=True, status_from="triaged",
                     status_to="referred", happened_on=on)  # fmt: skip
    return case


def consent_to_refer(case):
    """The worker agreed (on the phone) that the case's organisation may be told what
    happened: what a case opened through the services needs before it is referred."""
    db.session.add(ConsentRecord(
        case_id=case.id, recipient="organisation", items=["issue"], method="phone",
        note="On the phone, in Burmese.", recorded_on=today(),
    ))  # fmt: skip
    db.session.commit()
    return case


def _categories(*codes):
    from goldendreams.cases import taxonomy

    taxonomy.load()
    return [c for c in taxonomy.current() if c.code in codes]


def job_fields(**overrides) -> dict:
    """Every term of a job that passes the automatic checks (Samut Sakhon, 400 THB a day),
    as ``jobs.services.save_job`` takes them; ``overrides`` give the ``employer_id`` and
    change any other."""
    from goldendreams.jobs.services import JOB_FIELDS

    values = dict.fromkeys(JOB_FIELDS)
    values.update(
        sector="seafood", destination_country="TH",
        province="Samut Sakhon", positions=10, salary_amount=Decimal("400"),
        salary_currency="THB", salary_period="day", hours_per_day=Decimal("8"),
        rest_days_per_week=1, contract_months=24, gender="any", languages=["my"],
        recruiting_from=["MM"], deadline=today() + timedelta(days=30),
    )  # fmt: skip
    values.update(overrides)
    return values


class ProfileClaimFactory(BaseFactory):
    """A pending "Work here? Ask for an account" request for an employer in the directory."""

    class Meta:
        model = ProfileClaim

    organisation = factory.SubFactory(OrganisationFactory)
    claimant_name = "Somchai Jaidee"
    email = factory.Sequence(lambda n: f"claimant{n}@company.example")
    job_title = "HR manager"
    locale = "th"


class InvitationFactory(BaseFactory):
    """An open invitation to a moderator's account; ``.token`` is its link's token (only
    its hash is stored)."""

    class Meta:
        model = Invitation

    token = factory.Sequence(lambda n: f"invitation-token-{n:05d}")
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "moderator"
    expires_at = factory.LazyFunction(lambda: utcnow() + timedelta(hours=72))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = kwargs.pop("token")
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation
