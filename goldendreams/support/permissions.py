"""Who may do what with the service directory and referrals to services. Views, services
and templates (through the ``support_permissions`` context processor) ask here.

The directory is kept by the site's admins (every entry) and by each CSO's admin (a
caseworker with ``org_admin``: the entries of their CSO). A worker's referral to a service
belongs to their case: those who run the case (cases.permissions.may_run_case) make it,
read it and move it along; nobody else meets it.
"""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.support.models import Service, ServiceReferral


def is_cso_admin(user) -> bool:
    """A caseworker who is their CSO's admin."""
    return case_permissions.is_caseworker(user) and bool(getattr(user, "org_admin", False))


def may_manage_services(user) -> bool:
    """May open the staff list of services and add one."""
    return case_permissions.is_admin(user) or is_cso_admin(user)


def may_edit_service(user, service: Service) -> bool:
    """Admins edit every entry; a CSO's admin the entries of their CSO."""
    if case_permissions.is_admin(user):
        return True
    return is_cso_admin(user) and service.cso_id == user.organisation_id


def may_choose_cso(user) -> bool:
    """Only admins say which CSO keeps an entry (a CSO's admin keeps their own)."""
    return case_permissions.is_admin(user)


def may_use_referral_list(user) -> bool:
    """The list of a CSO's referrals to services: its caseworkers (admins: every one)."""
    return case_permissions.may_work_on_cases(user)


def may_see_service_referrals(user, case) -> bool:
    """The referrals of a case: those who run it."""
    return case_permissions.may_run_case(user, case)


def may_see_service_referrals_now(case) -> bool:
    """The signed-in reader may see the case's referrals (for panels, which get no user)."""
    from flask_login import current_user

    return may_see_service_referrals(current_user, case)


def may_refer_to_service(user, case) -> bool:
    """Those who run an open case refer its worker to a service."""
    return case_permissions.may_run_case(user, case) and case.is_open


def may_see_referral(user, referral: ServiceReferral) -> bool:
    return case_permissions.may_run_case(user, referral.case)


def may_update_referral(user, referral: ServiceReferral) -> bool:
    """Those who run the case move an unfinished referral along (also once the case is
    closed: the worker may still be at the shelter)."""
    return may_see_referral(user, referral) and not referral.finished
