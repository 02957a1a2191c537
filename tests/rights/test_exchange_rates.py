"""The fee calculator's default exchange rates: admins set them from the web, each change
audited through the services; nobody else can (browser findings 2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.rights import services
from goldendreams.rights.models import ExchangeRate

BASE = "/staff/rights/exchange-rates"


def page(response) -> str:
    return response.get_data(as_text=True)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_an_admin_adds_changes_and_deletes_a_rate(client, login_as):
    login_as(Role.ADMIN)
    form = {"base": "THB", "quote": "MMK", "rate": "64", "set_on": "2026-11-30"}
    assert client.post(f"{BASE}/new", data=form).status_code == 302
    found = db.session.scalars(select(ExchangeRate)).one()
    assert (found.base, found.quote, found.rate, found.set_on) == (
        "THB", "MMK", Decimal(64), date(2026, 11, 30),
    )  # fmt: skip
    listing = page(client.get(f"{BASE}/"))
    assert "1 THB = 64 MMK" in listing and "Set on Nov 30, 2026" in listing
    changed = {**form, "rate": "66", "set_on": today().isoformat()}
    assert client.post(f"{BASE}/{found.id}", data=changed).status_code == 302
    db.session.expire_all()
    assert db.session.get(ExchangeRate, found.id).rate == Decimal(66)
    assert client.post(f"{BASE}/{found.id}/delete").status_code == 302
    assert db.session.scalar(select(ExchangeRate.id)) is None
    assert audit_actions()[-3:] == [
        "exchange_rate.create", "exchange_rate.update", "exchange_rate.delete",
    ]  # fmt: skip


def test_the_new_rate_form_starts_with_today(client, login_as):
    login_as(Role.ADMIN)
    assert f'value="{today().isoformat()}"' in page(client.get(f"{BASE}/new"))


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.CASEWORKER, Role.AGENCY_STAFF])
def test_only_admins_set_rates(client, login_as, role):
    login_as(role)
    form = {"base": "THB", "quote": "MMK", "rate": "64", "set_on": "2026-11-30"}
    assert client.get(f"{BASE}/").status_code == 403
    assert client.post(f"{BASE}/new", data=form).status_code == 403
    assert db.session.scalar(select(ExchangeRate.id)) is None


@pytest.mark.parametrize(
    "change",
    [
        {"base": "EUR"},
        {"quote": "THB"},  # the same money
        {"value": Decimal(0)},
        {"value": Decimal(-3)},
        {"value": Decimal("NaN")},
        {"value": Decimal("1e9")},
        {"set_on": "tomorrow"},  # the site's tomorrow: worked out inside the app
    ],
    ids=str,
)
def test_bad_rates_are_refused(app, change):
    values = {"base": "THB", "quote": "MMK", "value": Decimal(64), "set_on": today()}
    if change.get("set_on") == "tomorrow":  # collected outside the app: UTC's date
        change = {"set_on": today() + timedelta(days=1)}
    with pytest.raises(services.RightsError):
        services.save_rate(None, **{**values, **change})
    db.session.rollback()
    assert db.session.scalar(select(ExchangeRate.id)) is None


def test_one_rate_per_pair_either_way_round(client, login_as):
    services.save_rate(None, base="THB", quote="MMK", value=Decimal(64), set_on=today())
    with pytest.raises(services.RightsError):
        services.save_rate(None, base="MMK", quote="THB", value=Decimal("0.0156"), set_on=today())
    login_as(Role.ADMIN)
    form = {"base": "THB", "quote": "MMK", "rate": "70", "set_on": today().isoformat()}
    html = page(client.post(f"{BASE}/new", follow_redirects=True, data=form))
    assert "There is a rate for these two currencies already." in html
    assert db.session.scalars(select(ExchangeRate)).one().rate == Decimal(64)


def test_an_empty_form_says_what_is_missing(client, login_as):
    login_as(Role.ADMIN)
    html = page(client.post(f"{BASE}/new", data={"base": "THB", "quote": "MMK"}))
    assert "Please fill this in." in html
    assert db.session.scalar(select(ExchangeRate.id)) is None
