"""Safeguarding's sections on other features' pages (core/panels.py): the case page (top:
risk, plan, consent before sending; below: check-ins, retaliation, consent records), the
conversation page (risk), the brand dashboard (retaliation reports counted by supplier,
month and kind: never a case, which the supplier could tie to the worker), and the worker's
case on their code page (report retaliation)."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from goldendreams.cases import choices as case_choices
from goldendreams.core.base import today
from goldendreams.core.panels import register
from goldendreams.safeguarding import choices, permissions, queries
from goldendreams.safeguarding.forms import (
    CheckInForm,
    CheckInResultForm,
    ConsentForm,
    PlanForm,
    RetaliationForm,
    RiskForm,
    ShowSafeContactForm,
    WorkerRetaliationForm,
)
from goldendreams.safeguarding.models import QUESTIONS


def _risk_form(assessment) -> RiskForm:
    form = RiskForm(formdata=None)
    if assessment is not None:  # the last answers, to change what changed
        for name, value in assessment.answers().items():
            getattr(form, name).data = value
    return form


def _referral_waits_for_consent(case) -> bool:
    """ "Sent to the organisation" is a possible step and the worker's consent is missing."""
    from goldendreams.cases.consent import has_consent
    from goldendreams.cases.models import ConsentRecipient

    possible = (case.status, "referred") in case_choices.TRANSITIONS
    return possible and not has_consent(ConsentRecipient.ORGANISATION, case_id=case.id)


def case_top(case) -> dict | None:
    if not permissions.may_see_case_safeguarding(current_user, case):
        return None
    assessment = queries.current_assessment(case_id=case.id)
    level = assessment.level if assessment else None
    plan = queries.plan_of(case.id)
    plan_form = PlanForm(formdata=None, prefix="plan")
    if plan is not None:
        plan_form.text.data = plan.text
    return {
        "assessment": assessment,
        "history": queries.assessments(case_id=case.id)[1:],
        "risk_form": _risk_form(assessment) if permissions.may_assess_case(current_user, case)
        else None,
        "may_see_safe_contact": permissions.may_see_safe_contact_of_case(current_user, case),
        "safe_contact_form": ShowSafeContactForm(formdata=None),
        "plan": plan,
        "plan_form": plan_form if permissions.may_plan(current_user, case, level) else None,
        "next_check_in": queries.next_check_in(case.id),
        "consent_form": ConsentForm(formdata=None, prefix="consent")
        if _referral_waits_for_consent(case) and permissions.may_record_consent(current_user, case)
        else None,
    }  # fmt: skip


def case_bottom(case) -> dict | None:
    if not permissions.may_see_case_safeguarding(current_user, case):
        return None
    level = queries.level_of_case(case.id)
    return {
        "check_ins": queries.check_ins_of(case.id),
        "check_in_form": CheckInForm(formdata=None, prefix="schedule")
        if permissions.may_schedule_check_in(current_user, case, level) else None,
        # One form per open check-in: its own prefix, so no two fields share an id.
        "result_forms": {
            c.id: CheckInResultForm(formdata=None, prefix=f"checkin{c.id}")
            for c in queries.check_ins_of(case.id)
            if c.is_open
        },
        "reports": queries.reports_of(case.id),
        "retaliation_form": RetaliationForm(formdata=None, prefix="retaliation")
        if permissions.may_report_retaliation(current_user, case) else None,
        "consents": queries.consents_of(case.id),
        # The top of the page asks first when the case waits for it to be sent.
        "all_consent_form": ConsentForm(formdata=None, prefix="consent")
        if permissions.may_record_consent(current_user, case)
        and not _referral_waits_for_consent(case) else None,
        "today": today(),
    }  # fmt: skip


def conversation(conversation) -> dict | None:
    if not permissions.may_assess_conversation(current_user, conversation):
        return None
    assessment = queries.current_assessment(conversation_id=conversation.id)
    return {
        "assessment": assessment,
        "history": queries.assessments(conversation_id=conversation.id)[1:],
        "risk_form": _risk_form(assessment),
        "may_see_safe_contact": permissions.may_see_safe_contact_of_conversation(
            current_user, conversation
        ),
        "safe_contact_form": ShowSafeContactForm(formdata=None),
    }


def brand(brand) -> dict | None:
    """Retaliation in the brand's supply chain: per supplier and month, how many of each
    kind (no case reference: passed on, it would tell the supplier which worker spoke)."""
    if not permissions.may_see_brand_reports(current_user, brand):
        return None
    counts = queries.brand_report_counts(brand.id)
    return {"report_counts": counts} if counts else None


def desk_case(case, code: str | None = None) -> dict | None:
    """The worker's own "I was punished for speaking up" form on their code page."""
    if not code or not permissions.worker_may_report_retaliation(case):
        return None
    return {"retaliation": WorkerRetaliationForm(code=code, formdata=None)}


def vocabulary() -> dict:
    return {
        "safeguarding_choices": choices,
        "safeguarding_permissions": permissions,
        "risk_questions": QUESTIONS,
        "safeguarding_today": today,
    }


def init_app(app: Flask) -> None:
    register(app, "case_top", "safeguarding/_case_top.html", case_top, order=10)
    register(app, "case", "safeguarding/_case.html", case_bottom, order=10)
    register(app, "conversation", "safeguarding/_conversation.html", conversation, order=10)
    register(app, "brand", "safeguarding/_brand.html", brand, order=30)
    register(app, "desk_case", "safeguarding/_desk_case.html", desk_case, order=10)
    app.context_processor(vocabulary)
