"""The validation sections of the case pages (core/panels.py): the caseworker's case page
(everything), the organisation's (its sign-off, the rounded share), a brand's (what the CSO
shared, the rounded share)."""

from __future__ import annotations

from flask import Flask, url_for
from flask_login import current_user

from goldendreams.core import panels
from goldendreams.validation import permissions, queries
from goldendreams.validation.forms import ShareForm


def case_panel(case, **_page) -> dict | None:
    if not permissions.may_see_internal(current_user, case):
        return None
    history = queries.signoffs(case)
    latest = history[0] if history else None
    share = ShareForm(formdata=None, data={"shared": bool(latest and latest.shared_with_brands)})
    return {
        "tally": queries.tally(case),
        "rule": queries.rule_for(case.owner_id),
        "signoff": latest,
        "older_signoffs": history[1:],
        "verifications": queries.verifications(case),
        "documents_agreed": queries.brands_may_see_documents(case),
        "share_form": share,
        "may_share": permissions.may_share(current_user, case, latest),
        "may_verify": permissions.may_verify(current_user, case),
        "may_set_rule": permissions.may_set_rule(current_user, case.owner_id),
        "file_url": lambda e: url_for(
            "validation.evidence_file", case_id=case.id, evidence_id=e.id
        ),
    }


def portal_panel(case, org, **_page) -> dict | None:
    if not permissions.may_see_as_organisation(current_user, case):
        return None
    return {
        "signoff": queries.latest_signoff(case),
        "may_sign_off": permissions.may_sign_off(current_user, case),
        "shown_share": queries.tally(case).shown_share,
        "file_url": lambda e: url_for(
            "validation_portal.portal_evidence",
            org_id=org.id,
            case_id=case.public_id,
            evidence_id=e.public_id,
        ),
    }


def brand_panel(case, brand=None, **_page) -> dict | None:
    if not permissions.may_see_as_brand(current_user, case):
        return None
    latest = queries.latest_signoff(case)
    shared = permissions.may_see_shared(
        current_user, case, latest, queries.brands_may_see_documents(case)
    )
    share = queries.tally(case).shown_share
    if not shared and share is None:
        return None
    return {
        "signoff": latest if shared else None,
        "shown_share": share,
        "file_url": lambda e: url_for(
            "validation_brand.brand_evidence", case_id=case.public_id, evidence_id=e.public_id
        ),
    }


def register(app: Flask) -> None:
    panels.register(app, "case", "validation/_case_panel.html", case_panel, order=40)
    panels.register(app, "portal_case", "validation/_portal_panel.html", portal_panel, order=40)
    panels.register(app, "brand_case", "validation/_brand_panel.html", brand_panel, order=40)
