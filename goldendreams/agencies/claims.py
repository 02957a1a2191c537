"""Profile claims: someone who works for an employer or agency asks for an account for it
(or for a company not in the directory yet to be added); moderators approve, which invites
them, or refuse with a reason, which is mailed to them. One transaction per call.

A claim holds a staff applicant's name and work e-mail, never a worker's. A refused claim's
personal fields are erased ``CLAIM_RETENTION_DAYS`` after the refusal (:func:`purge_refused`,
daily from agencies/tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from goldendreams.accounts import invitations
from goldendreams.accounts import queries as account_queries
from goldendreams.accounts.models import Invitation
from goldendreams.accounts.services import AccountError, normalise_email
from goldendreams.agencies import services as directory
from goldendreams.agencies.models import (
    COUNTRIES,
    ClaimStatus,
    Organisation,
    OrgKind,
    ProfileClaim,
)
from goldendreams.core import audit, mail
from goldendreams.core.auth import Role
from goldendreams.core.base import utcnow
from goldendreams.core.text import normalise
from goldendreams.extensions import db

#: Kinds of organisation whose staff may ask for an account (buyers are invited by staff).
CLAIMABLE_KINDS = (OrgKind.EMPLOYER.value, OrgKind.AGENCY.value)
#: The role an approved claimant is invited with, by the organisation's kind.
ROLE_FOR_KIND = {
    OrgKind.EMPLOYER.value: Role.EMPLOYER_STAFF,
    OrgKind.AGENCY.value: Role.AGENCY_STAFF,
}
STATUS_LABELS = {
    ClaimStatus.PENDING: _l("Waiting for a decision"),
    ClaimStatus.APPROVED: _l("Approved"),
    ClaimStatus.REFUSED: _l("Refused"),
}
#: What an erased personal field holds (the columns are NOT NULL).
ERASED = ""

NAME_MAX, TITLE_MAX, LICENCE_MAX, EMAIL_MAX, REASON_MAX = 200, 200, 100, 254, 1000


class ClaimError(ValueError):
    """A claim rule was broken. ``str(error)`` is a message in the reader's language."""


class DuplicateClaim(ClaimError):
    """The same e-mail already waits for an answer about the same organisation."""


@dataclass(frozen=True)
class ClaimInput:
    """What the claimant typed. ``org_*`` only for an organisation not in the directory."""

    name: str
    email: str
    job_title: str
    licence_number: str | None = None
    locale: str | None = None
    org_name: str | None = None
    org_kind: str | None = None
    org_country: str | None = None


def claimable(org: Organisation) -> bool:
    """Whether staff of ``org`` may ask for an account from its page."""
    return org.kind in CLAIMABLE_KINDS


def _text(value: str | None, limit: int) -> str | None:
    text = normalise(value or "").text or None
    if text is not None and len(text) > limit:
        raise ClaimError(_l("This is too long."))
    return text


def _required(value: str | None, limit: int, missing) -> str:
    text = _text(value, limit)
    if text is None:
        raise ClaimError(missing)
    return text


def _email(value: str | None) -> str:
    if not (value or "").strip():
        raise ClaimError(_l("Please enter your email."))
    if len(value) > EMAIL_MAX or "\x00" in value:
        raise ClaimError(_l("Enter an email address like name@example.org."))
    try:
        email = normalise_email(value)
    except AccountError as error:
        raise ClaimError(_l("Enter an email address like name@example.org.")) from error
    if len(email) > EMAIL_MAX:
        raise ClaimError(_l("This is too long."))
    return email


def _pending_exists(org: Organisation | None, org_name: str | None, email: str) -> bool:
    query = select(ProfileClaim.id).where(
        ProfileClaim.status == ClaimStatus.PENDING, func.lower(ProfileClaim.email) == email
    )
    if org is not None:
        query = query.where(ProfileClaim.organisation_id == org.id)
    else:
        # A company not listed yet: the same name, whatever its case, is the same request.
        query = query.where(
            ProfileClaim.organisation_id.is_(None),
            func.lower(ProfileClaim.new_org_name) == (org_name or "").lower(),
        )
    return db.session.scalar(query.limit(1)) is not None


def submit_claim(org: Organisation | None, data: ClaimInput) -> ProfileClaim:
    """Store a request for an account for ``org``, or (``org`` None) for a company to be
    added to the directory. Not audited: nobody on the staff acted (like a review)."""
    name = _required(data.name, NAME_MAX, _l("Please enter a name."))
    email = _email(data.email)
    job_title = _required(data.job_title, TITLE_MAX, _l("Please fill this in."))
    licence = _text(data.licence_number, LICENCE_MAX)
    locale = data.locale if data.locale in current_app.config["LOCALES"] else None
    org_name = org_country = None
    if org is None:
        org_name = _required(data.org_name, NAME_MAX, _l("Please enter a name."))
        kind = data.org_kind
        if kind not in CLAIMABLE_KINDS:
            raise ClaimError(_l("Choose what kind of organisation this is."))
        org_country = data.org_country
        if org_country not in COUNTRIES:
            raise ClaimError(_l("Choose a country."))
    elif not claimable(org):
        raise ClaimError(_l("Staff of this organisation are invited by our team."))
    else:
        kind = org.kind
    if kind != OrgKind.AGENCY:
        licence = None  # only recruitment agencies hold a recruitment licence
    elif licence is None:
        raise ClaimError(_l("Enter the agency's licence number."))
    if _pending_exists(org, org_name, email):
        raise DuplicateClaim(
            _l(
                "A request with this e-mail for this organisation is waiting already. "
                "We will write to you once we have checked it."
            )
        )
    claim = ProfileClaim(
        organisation=org,
        new_org_name=org_name,
        new_org_kind=kind if org is None else None,
        new_org_country=org_country,
        claimant_name=name,
        email=email,
        job_title=job_title,
        licence_number=licence,
        locale=locale,
    )
    db.session.add(claim)
    db.session.commit()
    return claim


def _mark_decided(claim: ProfileClaim, actor, status: ClaimStatus, reason: str | None) -> None:
    """Decide a pending claim, once: the UPDATE only matches while the claim is pending, so
    two moderators pressing at the same moment cannot both decide it."""
    result = db.session.execute(
        update(ProfileClaim)
        .where(ProfileClaim.id == claim.id, ProfileClaim.status == ClaimStatus.PENDING)
        .values(
            status=status.value,
            reason=reason,
            decided_at=utcnow(),
            decided_by_id=getattr(actor, "id", None),
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ClaimError(_l("This request was decided already."))


def approve_claim(claim: ProfileClaim, actor) -> Invitation:
    """Approve: in one transaction the claim is approved, a company not yet listed is added
    (unverified), and the claimant is invited (the invitation's mail is the answer). The
    first account of an organisation may invite colleagues (organisation admin)."""
    if claim.status != ClaimStatus.PENDING:
        raise ClaimError(_l("This request was decided already."))
    if account_queries.has_account(claim.email):
        raise ClaimError(
            _l("An account with this e-mail exists already. Refuse the request, with the reason.")
        )
    _mark_decided(claim, actor, ClaimStatus.APPROVED, None)
    try:
        org = claim.organisation
        new = org is None
        if new:
            org = directory.add_organisation(
                actor,
                kind=claim.new_org_kind,
                name=claim.new_org_name,
                country=claim.new_org_country,
            )
            claim.organisation = org
        if org.kind not in ROLE_FOR_KIND:
            raise ClaimError(_l("Staff of this organisation are invited by our team."))
        invitation = invitations.add_invitation(
            actor,
            claim.email,
            ROLE_FOR_KIND[org.kind],
            org,
            org_admin=new or not account_queries.has_active_staff(org.id),
            locale=claim.locale,
        )
        audit.record(
            actor, "claim.approve", "profile_claim", claim.id,
            organisation=org.id, new_organisation=new, invitation=invitation.id,
        )  # fmt: skip
        db.session.commit()
    except ClaimError:
        db.session.rollback()
        raise
    except directory.DirectoryError as error:  # its message is for the reader already
        db.session.rollback()
        raise ClaimError(str(error)) from error
    except AccountError as error:  # the role no longer fits the organisation's kind
        db.session.rollback()
        raise ClaimError(_l("Staff of this organisation are invited by our team.")) from error
    return invitation


def refuse_claim(claim: ProfileClaim, actor, reason: str) -> None:
    """Refuse with a reason, which is mailed to the claimant in their language."""
    reason = _required(reason, REASON_MAX, _l("Write a note to explain the reason."))
    if claim.status != ClaimStatus.PENDING:
        raise ClaimError(_l("This request was decided already."))
    _mark_decided(claim, actor, ClaimStatus.REFUSED, reason)
    audit.record(
        actor, "claim.refuse", "profile_claim", claim.id, organisation=claim.organisation_id
    )
    mail.send(
        claim.email,
        "claim_refused",
        claim.locale,
        organisation_name=claim.organisation.name if claim.organisation else claim.new_org_name,
        reason=reason,
        no_settings_line=True,  # they have no account
    )
    db.session.commit()


def purge_refused(days: int | None = None) -> int:
    """Erase the personal fields of claims refused more than ``days`` ago (default
    ``CLAIM_RETENTION_DAYS``); returns how many were erased."""
    days = current_app.config["CLAIM_RETENTION_DAYS"] if days is None else days
    cutoff = utcnow() - timedelta(days=days)
    claims = list(
        db.session.scalars(
            select(ProfileClaim).where(
                ProfileClaim.status == ClaimStatus.REFUSED,
                ProfileClaim.decided_at < cutoff,
                ProfileClaim.email != ERASED,
            )
        )
    )
    for claim in claims:
        claim.claimant_name = claim.email = claim.job_title = ERASED
        claim.licence_number = None
        claim.reason = None  # written to the claimant: it may name them
    if claims:
        audit.record(None, "claim.purge", "profile_claim", 0, count=len(claims), days=days)
    db.session.commit()
    return len(claims)
