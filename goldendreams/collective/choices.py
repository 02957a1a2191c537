"""The fixed vocabulary of collective cases, with labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.collective.models import (
    CollectiveStatus,
    Grouping,
    InstalmentState,
    PaymentMethod,
)

GROUPINGS = {
    Grouping.INTAKE_BATCH: _l("Workers who came in the same intake"),
    Grouping.DORMITORY: _l("Workers of one dormitory"),
    Grouping.PRODUCTION_LINE: _l("Workers of one production line"),
    Grouping.OTHER: _l("Other group of workers"),
}
PAYMENT_METHODS = {
    PaymentMethod.CASH: _l("Cash"),
    PaymentMethod.BANK_TRANSFER: _l("Bank transfer"),
    PaymentMethod.MOBILE_MONEY: _l("Mobile money"),
    PaymentMethod.OTHER: _l("Other way"),
}
INSTALMENT_STATES = {
    InstalmentState.DUE: _l("To be paid"),
    InstalmentState.REPORTED: _l("Paid, says the organisation: to be checked"),
    InstalmentState.CONFIRMED: _l("Paid, checked by the caseworker"),
}
STATUSES = {
    CollectiveStatus.OPEN: _l("Open"),
    CollectiveStatus.CLOSED: _l("Closed"),
}
