"""Who may do what with corrective action plans. Views, services and templates ask here.

Three sides meet a plan: the organisation it is for (its staff: the portal), the CSO that
verifies it (its caseworkers; admins everywhere) and the brands that buy from the
organisation (read-only, once the plan is under way). The organisation moves its items up
to "training done"; only the verifying CSO marks an item verified or sends it back.
"""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.core.auth import Role
from goldendreams.plans.models import ItemStatus, PlanStatus

#: The organisations a plan may be for.
PLAN_ORG_KINDS = ("employer", "agency")
_ORG_STAFF = (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF)


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def is_admin(user) -> bool:
    return _role(user) == Role.ADMIN


def is_org_staff_of(user, organisation_id: int) -> bool:
    """Staff of that employer or agency (admins act for every organisation too)."""
    if is_admin(user):
        return True
    return _role(user) in _ORG_STAFF and user.organisation_id == organisation_id


def is_cso_caseworker(user) -> bool:
    """A caseworker of a CSO (not an admin): the CSO they work for verifies what they write."""
    return case_permissions.is_caseworker(user)


def may_use_cso_plans(user) -> bool:
    """May open the network's plan pages: caseworkers of a CSO, admins."""
    return case_permissions.may_work_on_cases(user)


def is_verifier(user, plan) -> bool:
    """A caseworker of the CSO that verifies the plan, or an admin."""
    return is_admin(user) or (
        case_permissions.is_caseworker(user) and user.organisation_id == plan.verifier_id
    )


def may_see_as_organisation(user, plan) -> bool:
    return is_org_staff_of(user, plan.organisation_id)


def may_see_as_cso(user, plan) -> bool:
    return is_verifier(user, plan)


def may_see_as_brand(user, plan, brand_ids_of_plan: list[int]) -> bool:
    """Brand staff of a buyer of the plan's organisation, once it is under way (a draft is
    the organisation's and the CSO's work in progress)."""
    return (
        _role(user) == Role.BRAND
        and user.organisation_id in brand_ids_of_plan
        and plan.status != PlanStatus.DRAFT
    )


def may_write_for_case(user, case) -> bool:
    """A CSO writes a plan with an organisation from one of the cases it runs."""
    return case_permissions.may_run_case(user, case) and case.organisation.kind in PLAN_ORG_KINDS


def may_link_case(user, case, organisation_id: int) -> bool:
    """A case a plan of ``organisation_id`` may name: the organisation's own, shared with
    it (its staff), or run by the caseworker's CSO (the network)."""
    if case.organisation_id != organisation_id:
        return False
    if case_permissions.may_run_case(user, case):
        return True
    return is_org_staff_of(user, organisation_id) and case.shared_with_organisation


def _may_edit(user, plan) -> bool:
    return plan.status != PlanStatus.COMPLETED and (
        is_org_staff_of(user, plan.organisation_id) or is_verifier(user, plan)
    )


def may_add_item(user, plan) -> bool:
    """Either side adds items until the plan is completed."""
    return _may_edit(user, plan)


def may_start(user, plan) -> bool:
    """Either side starts a draft that has items: brands see it from then on."""
    return plan.status == PlanStatus.DRAFT and bool(plan.items) and _may_edit(user, plan)


def may_complete(user, plan) -> bool:
    """The CSO completes a plan under way once it verified every item."""
    return (
        plan.status == PlanStatus.ACTIVE
        and is_verifier(user, plan)
        and all(item.status == ItemStatus.VERIFIED for item in plan.items)
    )


def may_progress(user, item) -> bool:
    """The organisation moves an item of a plan under way one step, up to training done."""
    return (
        item.plan.status == PlanStatus.ACTIVE
        and item.status not in (ItemStatus.TRAINING_DONE, ItemStatus.VERIFIED)
        and is_org_staff_of(user, item.plan.organisation_id)
    )


def may_verify(user, item) -> bool:
    """Only the verifying CSO verifies an item (or sends it back), once training is done."""
    return (
        item.plan.status == PlanStatus.ACTIVE
        and item.status == ItemStatus.TRAINING_DONE
        and is_verifier(user, item.plan)
    )


def may_see_evidence_as_brand(item) -> bool:
    """A brand reads an item's evidence once the CSO verified it: the CSO has looked at it
    (and that it names no worker) first."""
    return item.status == ItemStatus.VERIFIED


def is_brand_of(user, buyer_id: int) -> bool:
    """Brand or buyer staff of that buyer."""
    return _role(user) == Role.BRAND and user.organisation_id == buyer_id
