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

from goldendreams.agencies.models import COUNTRIES, CSO_KINDS, Organisation
from goldendreams.cases.models import RoutingRule
from goldendreams.core import audit
from goldendreams.core.i18n import LANGUAGE_NAMES
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
    return route_by_country(organisation.country, worker_country, worker_language)


def route_by_country(
    organisation_country: str | None,
    worker_country: str | None = None,
    worker_language: str | None = None,
) -> Organisation:
    """The CSO that takes a new case or conversation. A conversation may name no
    organisation: the country the worker is in stands for it (inbox/services.py)."""
    for rule in rules():
        if rule.cso.kind in CSO_KINDS and _matches(
            rule, worker_country, worker_language, organisation_country
        ):
            return rule.cso
    raise RoutingError(
        _l("No organisation of the network takes this case. An admin must add a default rule.")
    )


def is_catch_all(rule: RoutingRule) -> bool:
    return rule.worker_country is rule.worker_language is rule.organisation_country is None


def _choice(value: str | None, allowed, message) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise RoutingError(message)
    return value


def add_rule(
    actor,
    cso: Organisation | None,
    worker_country: str | None,
    worker_language: str | None,
    organisation_country: str | None,
) -> RoutingRule:
    """Add a rule (an admin, at /staff/routing). Two rules with the same conditions would
    leave the choice to their age: refused."""
    if cso is None or cso.kind not in CSO_KINDS:
        raise RoutingError(_l("Choose an organisation of the network from the list."))
    rule = RoutingRule(
        cso=cso,
        worker_country=_choice(worker_country, COUNTRIES, _l("Choose a country from the list.")),
        worker_language=_choice(
            worker_language, LANGUAGE_NAMES, _l("Choose a language from the list.")
        ),
        organisation_country=_choice(
            organisation_country, COUNTRIES, _l("Choose a country from the list.")
        ),
    )
    same = [
        r
        for r in rules()
        if (r.worker_country, r.worker_language, r.organisation_country)
        == (rule.worker_country, rule.worker_language, rule.organisation_country)
    ]
    if same:
        raise RoutingError(_l("A rule for these cases exists already. Remove it first."))
    db.session.add(rule)
    db.session.flush()
    audit.record(actor, "routing.add", "routing_rule", rule.id, cso_id=cso.id)
    db.session.commit()
    return rule


def change_rule(actor, rule: RoutingRule, cso: Organisation | None) -> None:
    """Send the cases a rule matches to another CSO."""
    if cso is None or cso.kind not in CSO_KINDS:
        raise RoutingError(_l("Choose an organisation of the network from the list."))
    audit.record(actor, "routing.change", "routing_rule", rule.id, cso_id=cso.id)
    rule.cso = cso
    db.session.commit()


def remove_rule(actor, rule: RoutingRule) -> None:
    """Remove a rule; the rule with no condition stays (new cases need somewhere to go:
    change its organisation instead)."""
    if is_catch_all(rule):
        raise RoutingError(_l("New cases need a default. Choose another organisation for it."))
    audit.record(actor, "routing.remove", "routing_rule", rule.id, cso_id=rule.cso_id)
    db.session.delete(rule)
    db.session.commit()
