"""Labels of the service directory and of referrals to services, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.support.models import ReferralState, ServiceKind

KIND_LABELS = {
    ServiceKind.LEGAL_AID: _l("Legal aid"),
    ServiceKind.SHELTER: _l("Shelter"),
    ServiceKind.HEALTH_CARE: _l("Health care"),
    ServiceKind.EMBASSY: _l("Embassy or labour attaché"),
    ServiceKind.LABOUR_INSPECTION: _l("Labour inspection"),
    ServiceKind.UNION: _l("Trade union"),
    ServiceKind.DEBT_COUNSELLING: _l("Help with debts"),
}

STATE_LABELS = {
    ReferralState.SENT: _l("Sent"),
    ReferralState.ACCEPTED: _l("Accepted by the service"),
    ReferralState.DECLINED: _l("The service cannot help"),
    ReferralState.SUPPORT_GIVEN: _l("Support given"),
    ReferralState.CLOSED: _l("Closed"),
}

#: The referral list's filter (/cases/service-referrals/?show=...).
LIST_FILTERS = {
    "open": _l("Open"),
    "overdue": _l("Overdue"),
    "all": _l("All"),
}
