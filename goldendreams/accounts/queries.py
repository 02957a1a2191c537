"""Reading staff accounts and their sessions."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from goldendreams.accounts.models import Invitation, StaffSession, User
from goldendreams.accounts.services import session_expired, token_hash
from goldendreams.core.auth import Role, organisation_kinds
from goldendreams.core.base import utcnow
from goldendreams.extensions import db


def open_sessions(user: User, token: str) -> list[tuple[StaffSession, bool]]:
    """The user's sessions that have not ended, newest first, each with whether it is the
    one holding ``token`` (this browser)."""
    now, mine = utcnow(), token_hash(token)
    query = select(StaffSession).filter_by(user_id=user.id).order_by(StaffSession.id.desc())
    return [
        (row, row.token_hash == mine)
        for row in db.session.scalars(query)
        if not session_expired(row, now)
    ]


def staff_accounts() -> list[User]:
    """Every staff account, active first, then by email."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


def has_account(email: str) -> bool:
    """Whether a staff account (active or not) has this e-mail."""
    query = select(User.id).where(func.lower(User.email) == email.strip().lower())
    return db.session.scalar(query.limit(1)) is not None


def has_active_staff(organisation_id: int) -> bool:
    """Whether an organisation has at least one active staff account."""
    query = select(User.id).where(User.organisation_id == organisation_id, User.active.is_(True))
    return db.session.scalar(query.limit(1)) is not None


def organisation_model():
    """The organisation model, reached through the user's relationship: accounts sit below
    agencies and never import them."""
    return User.organisation.property.mapper.class_


#: Organisations whose staff have accounts: employers, agencies and buyers, and the members
#: of the network (NGOs and unions, government offices, industry associations).
STAFF_ORGANISATION_KINDS = tuple(
    dict.fromkeys(kind for role in Role for kind in organisation_kinds(role))
)


def staff_query(role: str | None = None, organisation_id: int | None = None) -> Select:
    """Staff accounts, active first, then by email; of one role and organisation if given."""
    query = select(User).order_by(User.active.desc(), User.email)
    if role:
        query = query.where(User.role == role)
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    return query


def organisations_with_staff() -> list:
    """The organisations that have at least one account, by name (the filter's choices)."""
    model = organisation_model()
    query = (
        select(model)
        .where(model.id.in_(select(User.organisation_id).where(User.organisation_id.is_not(None))))
        .order_by(model.sort_name)
    )
    return list(db.session.scalars(query))


def staff_organisations() -> list:
    """Every organisation whose staff can have accounts, by name (the invitation's and the
    role change's choices)."""
    model = organisation_model()
    query = select(model).where(model.kind.in_(STAFF_ORGANISATION_KINDS)).order_by(model.sort_name)
    return list(db.session.scalars(query))


def organisations_by_role() -> list[tuple[list[Role], list]]:
    """The organisations an account can belong to, grouped by the roles that may have them
    (caseworkers and mobilizers share the CSOs), in the order of the roles; each group by
    name."""
    groups: dict[tuple[str, ...], list[Role]] = {}
    for role in Role:
        if organisation_kinds(role):
            groups.setdefault(organisation_kinds(role), []).append(role)
    found = staff_organisations()
    return [(roles, [org for org in found if org.kind in kinds]) for kinds, roles in groups.items()]


def organisation(org_id: int | None):
    """One organisation whose staff can have accounts, or None."""
    if not org_id:
        return None
    found = db.session.get(organisation_model(), org_id)
    return found if found is not None and found.kind in STAFF_ORGANISATION_KINDS else None


def open_invitations(organisation_id: int | None = None) -> list[Invitation]:
    """Invitations not yet used, withdrawn or expired, newest first; one organisation's if
    given."""
    query = (
        select(Invitation)
        .where(Invitation.used_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if organisation_id is not None:
        query = query.where(Invitation.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def colleagues(organisation_id: int) -> list[User]:
    """The accounts of one organisation, active first, then by email."""
    return list(db.session.scalars(staff_query(organisation_id=organisation_id)))
