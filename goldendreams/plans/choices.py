"""The words plans use, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.plans.models import ItemStatus, PlanAuthor, PlanStatus

PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.ACTIVE: _l("Under way"),
    PlanStatus.COMPLETED: _l("Completed"),
}
ITEM_STATUS_LABELS = {
    ItemStatus.PLANNED: _l("Planned"),
    ItemStatus.POLICY_WRITTEN: _l("Policy written"),
    ItemStatus.SYSTEM_IN_PLACE: _l("System in place"),
    ItemStatus.TRAINING_DONE: _l("Training done"),
    ItemStatus.VERIFIED: _l("Verified by the network"),
}
#: The button that moves an item to a step.
STEP_BUTTONS = {
    ItemStatus.POLICY_WRITTEN: _l("We wrote the policy"),
    ItemStatus.SYSTEM_IN_PLACE: _l("The system is in place"),
    ItemStatus.TRAINING_DONE: _l("The training is done"),
}
AUTHOR_LABELS = {
    PlanAuthor.ORGANISATION: _l("Written by the organisation"),
    PlanAuthor.CSO: _l("Written by the network with the organisation"),
}
