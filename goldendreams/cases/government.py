"""Writing what a government office did about a case a CSO referred to it.

An officer of the office records an action (an inspection, an order to fix it, a fine, help
to go home) on an open case its office accepted. The action is a shared event: the CSO that
runs the case and the organisation (once the case was sent to it) see it. An order and help
to go home fix something for the workers: they count as remediation (services.has_remediation).
One transaction per call, audited.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.cases import choices, notices, permissions
from goldendreams.cases.models import REMEDIATING_ACTIONS, Case, GovernmentAction
from goldendreams.cases.services import CaseError, _event, _text
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.extensions import db

MAX_WORKERS = 100_000


def record_action(
    case: Case, actor, action: GovernmentAction | str, text: str | None, workers: int | None
):
    """An officer records what their office did. A case sent to its organisation and
    waiting for it moves to "being fixed" when the action fixes something (an order, help
    to go home), as a remediation step would move it."""
    if not permissions.may_see_as_office(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    if not permissions.may_record_government_action(actor, case):
        raise CaseError(_l("This step is not possible now."))
    try:
        action = GovernmentAction(action)
    except ValueError:
        raise CaseError(_l("Choose what was done from the list.")) from None
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS
    ):
        raise CaseError(_l("Enter how many workers are covered."))
    event = _event(
        case, "government", actor, shared=case.shared_with_organisation,
        remediation_kind=action.value,
        workers_covered=workers, text=_text(text),
    )  # fmt: skip
    if action in REMEDIATING_ACTIONS and case.status == "referred":
        _event(
            case, "status", actor, shared=True, status_from="referred", status_to="in_remediation"
        )
        case.status, case.stage_since = "in_remediation", today()
    audit.record(
        actor, "case.government_action", "case", case.id, kind=action.value,
        office_id=actor.organisation_id,
    )  # fmt: skip
    notices.case_event(case, choices.GOVERNMENT_ACTION_LABELS[action.value])
    notices.group_case_update(case)
    db.session.commit()
    return event
