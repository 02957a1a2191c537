"""Labels of the brands feature, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.brands.models import CommitmentKind, CommitmentStatus, EscalationReason

REASON_LABELS = {
    EscalationReason.NO_RESPONSE: _l("The organisation did not answer in time"),
    EscalationReason.SEVERE: _l("The problem is severe"),
    EscalationReason.REPEATED: _l("The same problem again"),
    EscalationReason.OTHER: _l("Another reason"),
}
COMMITMENT_LABELS = {
    CommitmentKind.CALL: _l("A call with the supplier"),
    CommitmentKind.VISIT: _l("A visit"),
    CommitmentKind.SOURCING: _l("A sourcing decision"),
    CommitmentKind.CO_FUNDING: _l("Help to pay for the remedy"),
    CommitmentKind.OTHER: _l("Something else"),
}
COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.PROMISED: _l("Promised"),
    CommitmentStatus.DONE: _l("Done"),
}
