"""Writing the directory: organisations, verification and links. One transaction per call."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.accounts.services import staff_roles_of
from goldendreams.agencies.models import (
    COUNTRIES,
    CSO_KINDS,
    CSO_LANGUAGES,
    ORIGINS,
    SECTORS,
    CsoService,
    LicenceList,
    LicenceStatus,
    LinkKind,
    OfficeKind,
    Organisation,
    OrganisationLink,
    OrgKind,
)
from goldendreams.core import audit
from goldendreams.core.auth import Role, organisation_kinds
from goldendreams.core.base import today
from goldendreams.extensions import db

#: Fields staff may set on an organisation (verification has its own action).
ORGANISATION_FIELDS = (
    "kind",
    "name",
    "name_local",
    "country",
    "province",
    "sector",
    "licence_number",
    "licence_authority",
    "licence_status",
    "licence_expiry",
    "contact_phone",
    "contact_email",
    "website",
    "countries_covered",
    "provinces_covered",
    "languages",
    "services",
    "office_kind",
)
CONTACT_FIELDS = ("contact_phone", "contact_email", "website")
LICENCE_FIELDS = ("licence_number", "licence_authority", "licence_status", "licence_expiry")
#: What a CSO covers (lists; empty for every other kind).
COVERAGE_FIELDS = ("countries_covered", "provinces_covered", "languages", "services")
#: Provinces a CSO may list, and the length of each name (the column of a province).
MAX_PROVINCES, PROVINCE_MAX = 50, 100


#: The staff roles an organisation of each kind may have.
STAFF_ROLES_FOR_KIND = {
    kind: {role.value for role in Role if kind in organisation_kinds(role)} for kind in OrgKind
}


class DirectoryError(ValueError):
    """A directory rule was broken. ``str(error)`` is a message in the reader's language."""


def _clean(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DirectoryError(f"unknown fields: {', '.join(sorted(unknown))}")
    cleaned = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        elif key in COVERAGE_FIELDS:
            value = _clean_list(value)
        cleaned[key] = value
    return cleaned


def _clean_list(values) -> list[str]:
    """A coverage list: its texts trimmed, blanks and repeats dropped, in the order given."""
    if values is None:
        return []
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise DirectoryError(_l("Choose from the list."))
    cleaned: list[str] = []
    for value in values:
        value = " ".join(value.split())
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned


def _check(org: Organisation) -> None:
    if org.kind not in set(OrgKind):
        raise DirectoryError(_l("Choose what kind of organisation this is."))
    if not org.name:
        raise DirectoryError(_l("Please enter a name."))
    if org.country not in COUNTRIES:
        raise DirectoryError(_l("Choose a country."))
    if org.sector is not None and org.sector not in SECTORS:
        raise DirectoryError(_l("Choose a sector from the list."))
    if org.licence_status is not None and org.licence_status not in set(LicenceStatus):
        raise DirectoryError(_l("Choose a licence status from the list."))
    if org.licence_expiry is not None and not isinstance(org.licence_expiry, date):
        raise DirectoryError(_l("Enter the expiry as a date."))
    if not set(org.countries_covered) <= set(COUNTRIES):
        raise DirectoryError(_l("Choose the countries covered from the list."))
    if not set(org.languages) <= set(CSO_LANGUAGES):
        raise DirectoryError(_l("Choose the languages from the list."))
    if not set(org.services) <= set(CsoService):
        raise DirectoryError(_l("Choose the services from the list."))
    if org.kind == OrgKind.GOVERNMENT and org.office_kind not in set(OfficeKind):
        raise DirectoryError(_l("Choose what kind of office this is."))
    if len(org.provinces_covered) > MAX_PROVINCES:
        raise DirectoryError(_l("List at most 50 provinces."))
    if any(len(name) > PROVINCE_MAX for name in org.provinces_covered):
        raise DirectoryError(_l("A province's name is too long."))


def _apply(org: Organisation, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        setattr(org, key, value)
    if org.kind != OrgKind.AGENCY:
        # Only recruitment agencies hold a recruitment licence.
        for key in LICENCE_FIELDS:
            setattr(org, key, None)
    for key in COVERAGE_FIELDS:
        # Only CSOs cover places and give services; a new organisation starts with none.
        if org.kind not in CSO_KINDS or getattr(org, key) is None:
            setattr(org, key, [])
    if org.kind != OrgKind.GOVERNMENT:
        org.office_kind = None  # only government offices are one kind of office or another
    org.sort_name = (org.name or "").casefold()
    _check(org)


def add_organisation(actor, *, is_demo: bool = False, **fields: Any) -> Organisation:
    """Add an organisation to the directory (unverified until staff say otherwise) in the
    current transaction, audited; the caller commits (an approved profile claim does, with
    the invitation that goes with it)."""
    org = Organisation(verified=False, is_demo=is_demo)
    _apply(org, _clean(fields, ORGANISATION_FIELDS))
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation.create", "organisation", org.id, name=org.name)
    return org


def create_organisation(actor, *, is_demo: bool = False, **fields: Any) -> Organisation:
    """Add an organisation to the directory (unverified until staff say otherwise)."""
    org = add_organisation(actor, is_demo=is_demo, **fields)
    db.session.commit()
    return org


def update_organisation(org: Organisation, actor, **fields: Any) -> Organisation:
    """Change an organisation's details; the audit entry lists the fields changed."""
    fields = _clean(fields, ORGANISATION_FIELDS)
    before = {key: getattr(org, key) for key in ORGANISATION_FIELDS}
    try:
        _apply(org, fields)
    except DirectoryError:
        db.session.rollback()
        raise
    if _links_of_wrong_kind(org):
        db.session.rollback()
        raise DirectoryError(_l("Remove this organisation's links before changing its kind."))
    if before["kind"] != org.kind and staff_roles_of(org.id) - STAFF_ROLES_FOR_KIND[org.kind]:
        db.session.rollback()
        raise DirectoryError(_l("This organisation has staff accounts. Its kind cannot change."))
    changed = sorted(key for key in ORGANISATION_FIELDS if getattr(org, key) != before[key])
    if set(changed) & set(LICENCE_FIELDS):
        # Typed by hand now: the page no longer says it was checked against a list.
        org.licence_checked_on = org.licence_list_id = None
    if changed:
        audit.record(actor, "organisation.update", "organisation", org.id, fields=changed)
    db.session.commit()
    return org


def update_contact(org: Organisation, actor, **fields: Any) -> Organisation:
    """Let an organisation's own staff change its public contact details."""
    fields = _clean(fields, CONTACT_FIELDS)
    changed = sorted(key for key, value in fields.items() if getattr(org, key) != value)
    for key, value in fields.items():
        setattr(org, key, value)
    if changed:
        audit.record(actor, "organisation.contact", "organisation", org.id, fields=changed)
    db.session.commit()
    return org


def set_verified(org: Organisation, verified: bool, actor) -> None:
    """Mark an organisation as checked by staff (or take the mark away)."""
    if org.verified != verified:
        org.verified = verified
        action = "organisation.verify" if verified else "organisation.unverify"
        audit.record(actor, action, "organisation", org.id)
    db.session.commit()


def link_kind_for(a: Organisation, b: Organisation) -> tuple[LinkKind, Organisation, Organisation]:
    """Which link two organisations can have, and which one is its source."""
    pairs = {
        (OrgKind.AGENCY, OrgKind.EMPLOYER): LinkKind.RECRUITS_FOR,
        (OrgKind.BUYER, OrgKind.EMPLOYER): LinkKind.BUYS_FROM,
        # An employer or agency is a member of an industry association.
        (OrgKind.EMPLOYER, OrgKind.ASSOCIATION): LinkKind.MEMBER_OF,
        (OrgKind.AGENCY, OrgKind.ASSOCIATION): LinkKind.MEMBER_OF,
    }
    if a.kind == b.kind == OrgKind.AGENCY:
        # An origin agency (where workers come from) works with a destination agency.
        origin = [org for org in (a, b) if org.country in ORIGINS]
        if len(origin) == 1:
            return LinkKind.WORKS_WITH, origin[0], b if origin[0] is a else a
        raise DirectoryError(
            _l("Two agencies can be linked only when one is in a country workers come from.")
        )
    if (a.kind, b.kind) in pairs:
        return pairs[(a.kind, b.kind)], a, b
    if (b.kind, a.kind) in pairs:
        return pairs[(b.kind, a.kind)], b, a
    raise DirectoryError(
        _l(
            "Only an agency and an employer, a buyer and an employer, or an employer or "
            "agency and its industry association can be linked."
        )
    )


def add_link(a: Organisation, b: Organisation, actor) -> OrganisationLink:
    """Link an agency to an employer it recruits for, a buyer to an employer it buys from,
    or an employer or agency to the industry association it is a member of."""
    kind, source, target = link_kind_for(a, b)
    existing = db.session.scalar(
        select(OrganisationLink).filter_by(kind=kind, source_id=source.id, target_id=target.id)
    )
    if existing:
        raise DirectoryError(_l("These two are linked already."))
    link = OrganisationLink(kind=kind, source=source, target=target)
    db.session.add(link)
    db.session.flush()
    audit.record(
        actor, "link.create", "organisation", source.id, kind=kind.value, other_id=target.id
    )
    db.session.commit()
    return link


def remove_link(link: OrganisationLink, actor) -> None:
    """Remove a link between two organisations."""
    audit.record(
        actor,
        "link.delete",
        "organisation",
        link.source_id,
        kind=link.kind,
        other_id=link.target_id,
    )
    db.session.delete(link)
    db.session.commit()


def _links_of_wrong_kind(org: Organisation) -> bool:
    """True when a link of ``org`` no longer fits the kinds of its two ends."""
    links = db.session.scalars(
        select(OrganisationLink).where(
            (OrganisationLink.source_id == org.id) | (OrganisationLink.target_id == org.id)
        )
    )
    for link in links:
        try:
            kind, source, _target = link_kind_for(link.source, link.target)
        except DirectoryError:
            return True
        if kind != link.kind or source.id != link.source_id:
            return True
    return False


def import_licence_list(
    authority_key: str,
    data: bytes,
    file_name: str,
    list_date: date,
    actor=None,
    *,
    dry_run: bool = False,
    is_demo: bool = False,
):
    """Import an official list of licensed agencies (``licences.py`` has the rules): update
    the licence of each agency found (by licence number, else by a name only one agency of
    the country has, when it has no other licence number), add the others as unverified
    agencies, and record the list with its counts. One transaction, one audit entry (with
    the ids of the agencies changed and added). ``dry_run`` only reads: the plan is returned
    and nothing is written. Raises ``licences.LicenceImportError`` (nothing written)."""
    from goldendreams.agencies import licences

    source = licences.authority(authority_key)
    if list_date > today():
        raise licences.LicenceImportError("The list's date is in the future.")
    plan = licences.plan(data, Path(file_name).name, source, list_date)
    if dry_run:
        db.session.rollback()
        return plan, None
    counts = plan.counts()
    record = LicenceList(
        authority=source.key, list_date=list_date, file_name=plan.file_name[:255], **counts
    )
    db.session.add(record)
    db.session.flush()
    try:
        for change in plan.changes:
            org = change.org
            if org is None:
                org = Organisation(verified=False, is_demo=is_demo)
                _apply(org, _clean({"kind": OrgKind.AGENCY.value, "country": source.country,
                                    "sector": "recruitment", **change.fields},
                                   ORGANISATION_FIELDS))  # fmt: skip
                db.session.add(org)
                change.org = org
            elif change.changed:
                _apply(org, _clean(change.fields, ORGANISATION_FIELDS))
            org.licence_checked_on = list_date
            org.licence_list_id = record.id
        db.session.flush()
    except DirectoryError as error:
        db.session.rollback()
        raise licences.LicenceImportError(str(error)) from error
    audit.record(
        actor, "licences.import", "licence_list", record.id,
        authority=source.key, list_date=list_date.isoformat(), file=record.file_name, **counts,
        **_import_ids(plan),
    )  # fmt: skip
    db.session.commit()
    return plan, record


#: The audit entry of an import lists at most this many agency ids of each kind.
MAX_AUDIT_IDS = 500


def _import_ids(plan) -> dict[str, Any]:
    """For the audit entry: the ids of the agencies whose licence status changed, that became
    revoked or suspended, expired, or were added (each list capped, with its full count)."""
    groups = {
        "status_changed": [c.org.id for c in plan.changes if c.status_changed],
        "barred": [c.org.id for c in plan.changes if c.barred],
        "expired": [c.org.id for c in plan.changes if c.expired],
        "added": [c.org.id for c in plan.changes if c.how == "new"],
    }
    detail: dict[str, Any] = {}
    for name, ids in groups.items():
        detail[f"{name}_ids"] = ids[:MAX_AUDIT_IDS]
        detail[f"{name}_count"] = len(ids)
    return detail
