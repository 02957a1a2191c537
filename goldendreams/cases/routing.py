"""Which CSO a new case goes to: the network's routing rules.

A rule names a CSO and up to three conditions: the worker's country of origin, the worker's
language, the organisation's country. The most specific rule that matches wins — worker
country and language first, then the organisation's country, then the rule with no
condition (the default) — and among equally specific ones the oldest. Admins keep the rules
at /staff/routing; the catch-all rule cannot be removed while cases need one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.cases.models import RoutingRule
from goldendreams.extensions import db


class RoutingError(ValueError):
    """No rule fits: ``str(error)`` says so in the reader's language."""


def _specificity(rule: RoutingRule) -> tuple[int, int, int]:
    # Worker facts outrank the organisation's country: a Burmese speaker is best helped by
    # the CSO that speaks Burmese, wherever the employer is.
    worker = (rule.worker_country is not None) + (rule.worker_language is not None)
    return (worker, rule.organisation_country is not None, -rule.id)


def _matches(rule: RoutingRule, worker_country, worker_language, organisation_country) -> bool:
    return all(
        wanted is None or wanted == actual
        for wanted, actual in (
            (rule.worker_country, worker_country),
            (rule.worker_language, worker_language),
            (rule.organisation_country, organisation_country),
        )
    )


def rules() -> list[RoutingRule]:
    """Every rule, most specific first (the order in which they are tried)."""
    found = db.session.scalars(select(RoutingRule).join(RoutingRule.cso))
    return sorted(found, key=_specificity, reverse=True)


def route(
    organisation: Organisation,
    worker_country: str | None = None,
    worker_language: str | None = None,
) -> Organisation:
    """The CSO that takes a new case about ``organisation``."""
    for rule in rules():
        if rule.cso.kind in CSO_KINDS and _matches(
            rule, worker_country, worker_language, organisation.country
        ):
            return rule.cso
    raise RoutingError(
        _l("No organisation of the network takes this case. An admin must add a default rule.")
    )
