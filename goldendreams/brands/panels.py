"""What this feature adds to lower features' pages (core/panels.py): the escalations of a
case on the caseworker's case page, and the escalations about an organisation, with the
brands' commitments, on its case list; the supply chain's figures by route and stage on
the brand dashboard."""

from __future__ import annotations

from flask_login import current_user

from goldendreams.brands import permissions, queries
from goldendreams.cases import consent, corridors
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import ConsentItem, ConsentRecipient


def case_panel(case, **_page) -> dict | None:
    """Those who run the case: its escalations, and whether they may escalate it."""
    if not case_permissions.may_run_case(current_user, case):
        return None
    return {
        "escalations": queries.escalations_of_case(case.id),
        "may_escalate": permissions.may_escalate_case(current_user, case),
        "brand_consent": consent.has_consent(
            ConsentRecipient.BRAND, ConsentItem.ISSUE, case_id=case.id
        ),
    }


def portal_panel(org, **_page) -> dict | None:
    """The organisation's staff: the escalations about it (without who escalated or the
    CSO's note) and what each brand committed to. Nothing when there are none."""
    if not permissions.may_see_as_organisation(current_user, org):
        return None
    escalations = queries.escalations_about(org.id)
    return {"escalations": escalations} if escalations else None


def corridor_panel(brand, **_page) -> dict | None:
    """The brand's own staff: its suppliers' reviews and cases by route (origin → destination)
    and by stage of migration, small figures hidden (cases/corridors.py)."""
    if brand is None or not permissions.is_brand_staff(current_user):
        return None
    if current_user.organisation_id != brand.id:
        return None
    return {"corridors": corridors.brand_corridors(brand.id)}
