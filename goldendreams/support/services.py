"""The only writer of the service directory and of referrals to services: rules, one
transaction per call, one audit entry per call (a referral that records the worker's
consent with it adds consent's own entry, in the same transaction)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import COUNTRIES, CSO_KINDS, CSO_LANGUAGES, Organisation
from goldendreams.cases import consent
from goldendreams.cases.models import Case, ConsentItem, ConsentRecipient
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.support import permissions
from goldendreams.support.models import (
    NEXT_STATES,
    ReferralState,
    Service,
    ServiceKind,
    ServiceReferral,
    ServiceStatus,
)

NAME_MAX = 200
PROVINCE_MAX = 100
PHONE_MAX = 30
URL_MAX = 300
ADDRESS_MAX = 1000
HOURS_MAX = 200
OFFERS_MAX = 500
NOTE_MAX = 2000
OUTCOME_MAX = 2000
#: A follow-up further away than this is a typing mistake, not a plan.
FOLLOW_UP_MAX_DAYS = 366
#: What a phone number may hold besides digits.
PHONE_SIGNS = frozenset("+-() ./")


class SupportError(ValueError):
    """A rule of the directory or of a referral was broken; ``str(error)`` is a message in
    the reader's language."""


def _text(value, limit: int, missing=None) -> str | None:
    text = normalise(value or "").text or None
    if text is None and missing is not None:
        raise SupportError(missing)
    if text is not None and len(text) > limit:
        raise SupportError(_l("This is too long."))
    return text


def _url(value) -> str | None:
    """A web address that starts with http:// or https:// and names a host (never
    javascript:, data: or a bare word a browser would read as a path)."""
    text = _text(value, URL_MAX)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise SupportError(_l("Enter a web address like https://example.org."))
    return text


def _phone(value) -> str | None:
    text = _text(value, PHONE_MAX)
    if text is None:
        return None
    digits = [ch for ch in text if ch.isdigit()]
    if not digits or any(not (ch.isdigit() or ch in PHONE_SIGNS) for ch in text):
        raise SupportError(_l("Enter a phone number with digits, like +66 2 123 4567."))
    return text


def _service_fields(actor, fields: dict) -> dict:
    kind = fields.get("kind")
    if kind not in set(ServiceKind):
        raise SupportError(_l("Choose a kind of service from the list."))
    country = fields.get("country")
    if country not in COUNTRIES:
        raise SupportError(_l("Choose a country from the list."))
    languages = sorted(set(fields.get("languages") or ()))
    if not set(languages) <= set(CSO_LANGUAGES):
        raise SupportError(_l("Choose languages from the list."))
    values = {
        "kind": kind,
        "country": country,
        "languages": languages,
        "name": _text(fields.get("name"), NAME_MAX, _l("Please enter a name.")),
        "name_local": _text(fields.get("name_local"), NAME_MAX),
        "province": _text(fields.get("province"), PROVINCE_MAX),
        "phone": _phone(fields.get("phone")),
        "website": _url(fields.get("website")),
        "chat": _url(fields.get("chat")),
        "address": _text(fields.get("address"), ADDRESS_MAX),
        "hours": _text(fields.get("hours"), HOURS_MAX),
        "offers": _text(fields.get("offers"), OFFERS_MAX),
        "free": bool(fields.get("free")),
    }
    if not (values["phone"] or values["website"] or values["chat"] or values["address"]):
        raise SupportError(_l("Give at least one way to reach the service."))
    if permissions.may_choose_cso(actor):
        cso_id = fields.get("cso_id") or None
        if cso_id is not None:
            cso = db.session.get(Organisation, cso_id) if isinstance(cso_id, int) else None
            if cso is None or cso.kind not in CSO_KINDS:
                raise SupportError(_l("Choose an organisation from the list."))
        values["cso_id"] = cso_id
    return values


def save_service(actor, service: Service | None = None, **fields) -> Service:
    """Add a service (``service`` None) or change one. A CSO's admin keeps the entries of
    their own CSO; an admin may name the CSO that keeps an entry."""
    if service is None and not permissions.may_manage_services(actor):
        raise SupportError(_l("Your role cannot make this step."))
    if service is not None and not permissions.may_edit_service(actor, service):
        raise SupportError(_l("Your role cannot make this step."))
    values = _service_fields(actor, fields)
    created = service is None
    if created:
        service = Service(created_on=today(), status=ServiceStatus.LISTED)
        if not permissions.may_choose_cso(actor):
            service.cso_id = actor.organisation_id
        db.session.add(service)
    for name, value in values.items():
        setattr(service, name, value)
    db.session.flush()
    audit.record(
        actor, "service.create" if created else "service.update", "service", service.id,
        name=service.name,
    )  # fmt: skip
    db.session.commit()
    return service


def mark_checked(actor, service: Service) -> None:
    """Someone called or visited the service today: it still works as listed."""
    if not permissions.may_edit_service(actor, service):
        raise SupportError(_l("Your role cannot make this step."))
    service.checked_on = today()
    audit.record(actor, "service.checked", "service", service.id)
    db.session.commit()


def switch(actor, service: Service, on: bool) -> None:
    """Take a service off the public pages (it closed, moved, or is not safe), or list it
    again. Referrals made to it stay on their cases."""
    if not permissions.may_edit_service(actor, service):
        raise SupportError(_l("Your role cannot make this step."))
    wanted = ServiceStatus.LISTED if on else ServiceStatus.OFF
    if service.status == wanted:
        raise SupportError(_l("This step is not possible now."))
    service.status = wanted
    audit.record(actor, "service.on" if on else "service.off", "service", service.id)
    db.session.commit()


# --- referrals ------------------------------------------------------------------------------


def default_follow_up() -> date:
    return today() + timedelta(days=current_app.config["SERVICE_REFERRAL_FOLLOW_UP_DAYS"])


def _follow_up(value) -> date:
    if value is None:
        return default_follow_up()
    if not isinstance(value, date):
        raise SupportError(_l("Enter a date like 2026-01-31."))
    if value < today() or value > today() + timedelta(days=FOLLOW_UP_MAX_DAYS):
        raise SupportError(_l("Choose a follow-up date from today to a year ahead."))
    return value


def needs_consent(case: Case) -> bool:
    """True until the worker's consent to tell a service what happened is on record."""
    return not consent.has_consent(ConsentRecipient.SERVICE, ConsentItem.ISSUE, case_id=case.id)


def refer(
    actor,
    case: Case,
    service: Service | None,
    note: str | None,
    follow_up_on: date | None = None,
    *,
    consent_method: str | None = None,
    consent_items: list[str] | None = None,
    consent_note: str | None = None,
) -> ServiceReferral:
    """Refer the worker of an open case to a listed service, with a note of what they need.
    The worker's consent to tell a service comes first: when none is on record, the
    caseworker records it with this call (how the worker agreed, and what may be shared),
    in the same transaction."""
    if not permissions.may_refer_to_service(actor, case):
        raise SupportError(_l("Your role cannot make this step."))
    if service is None or not service.active:
        raise SupportError(_l("Choose a service from the list."))
    text = _text(note, NOTE_MAX, _l("Write what the worker needs."))
    follow_up = _follow_up(follow_up_on)
    record = consent.current(ConsentRecipient.SERVICE, case_id=case.id)
    if record is None or ConsentItem.ISSUE not in record.items:
        if not consent_method:
            raise SupportError(_l("Record the worker's consent first."))
        # The worker's own "yes" with their code is the site's to record, not ours.
        if consent_method not in consent.RECORDED_BY_CASEWORKER:
            raise SupportError(_l("Say how the worker agreed."))
        items = sorted(set(consent_items or ()))
        if ConsentItem.ISSUE not in items:
            raise SupportError(_l("The worker must agree that the service may hear what happened."))
        try:
            record = consent.record(
                actor, ConsentRecipient.SERVICE, items, consent_method, consent_note,
                case_id=case.id, commit=False,
            )  # fmt: skip
        except consent.ConsentError as error:
            db.session.rollback()
            raise SupportError(str(error)) from None
    referral = ServiceReferral(
        case=case, service=service, note=text, state=ReferralState.SENT, referred_on=today(),
        follow_up_on=follow_up, referred_by_id=actor.id, consent_id=record.id,
    )  # fmt: skip
    db.session.add(referral)
    db.session.flush()
    audit.record(
        actor, "service_referral.create", "case", case.id, referral_id=referral.id,
        service_id=service.id,
    )  # fmt: skip
    db.session.commit()
    return referral


def update_referral(
    actor,
    referral: ServiceReferral,
    state: str | None,
    outcome: str | None,
    follow_up_on: date | None,
) -> None:
    """Move a referral along (``state`` None or its own state: stays), record what came of
    it, set the next follow-up. Closing asks for the outcome."""
    if not permissions.may_update_referral(actor, referral):
        raise SupportError(_l("This step is not possible now."))
    current = ReferralState(referral.state)
    if state in (None, "", current):
        new = current
    else:
        try:
            new = ReferralState(state)
        except ValueError:
            raise SupportError(_l("Choose an answer from the list.")) from None
        if new not in NEXT_STATES[current]:
            raise SupportError(_l("This step is not possible now."))
    text = _text(outcome, OUTCOME_MAX) or referral.outcome
    if new == ReferralState.CLOSED and not text:
        raise SupportError(_l("Write what came of it before you close it."))
    changed_follow_up = follow_up_on is not None and follow_up_on != referral.follow_up_on
    if changed_follow_up:
        referral.follow_up_on = _follow_up(follow_up_on)
    elif new != current and new not in (ReferralState.DECLINED, ReferralState.CLOSED):
        # A step forward starts a new wait: the next follow-up counts from today.
        referral.follow_up_on = max(referral.follow_up_on, default_follow_up())
    if new == current and not changed_follow_up and text == referral.outcome:
        raise SupportError(_l("Nothing changed."))
    referral.state, referral.outcome = new, text
    if new in (ReferralState.DECLINED, ReferralState.CLOSED):
        referral.closed_on = today()
    audit.record(
        actor, "service_referral.update", "case", referral.case_id, referral_id=referral.id,
        state_from=str(current), state_to=str(new),
    )  # fmt: skip
    db.session.commit()
