"""Who may do what with collective cases. Views, services and templates ask here.

The rules follow the case store's: a collective case belongs to one CSO; that CSO's
caseworkers (and admins) run it and alone ever see its beneficiary lines. The employer or
agency it is about meets it once one of its grouped cases was sent to them, and then sees
its reference, how many workers it covers, the schedule and the totals: never a line, never
a case's summary.
"""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.collective.models import InstalmentState
from goldendreams.core.auth import Role

#: The organisation's staff: employers and agencies (brands read totals only).
_ORGANISATION_ROLES = frozenset({Role.AGENCY_STAFF, Role.EMPLOYER_STAFF})


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def may_work_on_collectives(user) -> bool:
    """May open the list of collective cases (their CSO's; admins every one)."""
    return case_permissions.may_work_on_cases(user)


def may_run_collective(user, collective) -> bool:
    """The caseworkers of the CSO that owns it, and admins: they see and change all of it,
    the beneficiary lines too."""
    return case_permissions.is_admin(user) or (
        case_permissions.is_caseworker(user) and user.organisation_id == collective.owner_id
    )


def may_see_beneficiaries(user, collective) -> bool:
    """Beneficiary lines never leave the CSO that owns the collective case."""
    return may_run_collective(user, collective)


def may_start_from(user, case) -> bool:
    """Start a collective case from a case one runs (its CSO then owns the collective)."""
    return case_permissions.may_run_case(user, case)


def may_group(user, collective, case) -> bool:
    """Group a case under an open collective case: both run by the user, the same CSO and
    the same organisation."""
    return (
        collective.is_open
        and may_run_collective(user, collective)
        and case_permissions.may_run_case(user, case)
        and case.owner_id == collective.owner_id
        and case.organisation_id == collective.organisation_id
    )


def may_change(user, collective) -> bool:
    """Edit, add lines and instalments, remove cases: while it is open."""
    return collective.is_open and may_run_collective(user, collective)


def may_close(user, collective) -> bool:
    return may_change(user, collective)


def may_reopen(user, collective) -> bool:
    return not collective.is_open and may_run_collective(user, collective)


def is_organisation_staff(user, organisation_id: int) -> bool:
    return _role(user) in _ORGANISATION_ROLES and user.organisation_id == organisation_id


def may_see_as_organisation(user, collective) -> bool:
    """The employer's or agency's staff (and admins looking at its portal) see the schedule
    and totals once one of the grouped cases was sent to the organisation."""
    allowed = case_permissions.is_admin(user) or is_organisation_staff(
        user, collective.organisation_id
    )
    return allowed and collective.shared_with_organisation


def may_report_payment(user, instalment) -> bool:
    """The organisation's own staff say an instalment of an open collective case was paid
    (the CSO then confirms)."""
    collective = instalment.collective
    return (
        instalment.state == InstalmentState.DUE
        and collective.is_open
        and is_organisation_staff(user, collective.organisation_id)
        and collective.shared_with_organisation
    )


def may_confirm_payment(user, instalment) -> bool:
    """Those who run the collective confirm a reported payment, or record one they checked
    themselves (the workers say they were paid)."""
    return instalment.state != InstalmentState.CONFIRMED and may_run_collective(
        user, instalment.collective
    )


def may_reject_report(user, instalment) -> bool:
    """Those who run it send a reported payment back to "due" (the money did not arrive)."""
    return instalment.state == InstalmentState.REPORTED and may_run_collective(
        user, instalment.collective
    )


def may_remove_instalment(user, instalment) -> bool:
    """An instalment nobody has reported paid can go (a schedule typed wrong)."""
    return instalment.state == InstalmentState.DUE and may_change(user, instalment.collective)


def may_see_supply_chain_totals(user, brand) -> bool:
    """A brand's staff see what their suppliers paid back (admins too)."""
    return case_permissions.is_admin(user) or (
        case_permissions.may_see_supplier_cases(user) and user.organisation_id == brand.id
    )
