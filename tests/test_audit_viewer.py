"""The audit log viewer (/staff/audit): filters, pages, the CSV, and what it never shows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from goldendreams.core.auth import Role
from tests.factories import AuditLogFactory, UserFactory

WORKER_WORDS = "zqworker the supervisor took my passport"


def text(response) -> str:
    return response.get_data(as_text=True)


def csv_rows(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(text(response))))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def log(login_as):
    """An admin logged in, and a few entries by two people and the command line."""
    admin = login_as(Role.ADMIN)
    other = UserFactory(email="mod@example.org", role="moderator")
    entries = {
        "old": AuditLogFactory(actor_id=other.id, action="review.publish", target_type="review",
                               target_id=7, created_at=at(2026, 12, 1, 3)),
        "late": AuditLogFactory(actor_id=other.id, action="review.reject", target_type="review",
                                target_id=8, created_at=at(2026, 12, 3, 18),  # the 4th in Bangkok
                                detail={"note": WORKER_WORDS}),
        "mine": AuditLogFactory(actor_id=admin.id, action="organisation.update",
                                target_type="organisation", target_id=12,
                                created_at=at(2026, 12, 5, 9), detail={"name": WORKER_WORDS}),
        "cli": AuditLogFactory(actor_id=None, action="application.purge",
                               target_type="application", target_id=0,
                               created_at=at(2026, 12, 6, 20)),
    }  # fmt: skip
    return admin, other, entries


def shown_ids(page: str, entries: dict) -> set[str]:
    return {name for name, e in entries.items() if f"{e.target_type} #{e.target_id}<" in page}


def test_the_log_shows_newest_first_with_who_and_never_the_detail(client, log):
    admin, _other, entries = log
    page = text(client.get("/staff/audit/"))
    assert shown_ids(page, entries) == set(entries)
    order = [page.index(f"{e.target_type} #{e.target_id}<") for e in entries.values()]
    assert order == sorted(order, reverse=True)  # newest first
    assert "mod@example.org" in page and admin.email in page and "command line" in page
    assert "2026-12-05 09:00:00 UTC" in page
    assert "zqworker" not in page


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        ({"actor": "MOD@example.org"}, {"old", "late"}),
        ({"actor": "{other}"}, {"old", "late"}),
        ({"actor": "nobody@example.org"}, set()),
        ({"actor": "99999999999999999999"}, set()),
        ({"action": "review.reject"}, {"late"}),
        ({"target_type": "organisation"}, {"mine"}),
        ({"target_type": "review", "target_id": "7"}, {"old"}),
        # Days are Bangkok's: 18:00 UTC on the 3rd is the 4th there.
        ({"start": "2026-12-04", "end": "2026-12-05"}, {"late", "mine"}),
        ({"start": "2026-12-07"}, {"cli"}),
        ({"end": "2026-12-01"}, {"old"}),
    ],
)
def test_filters(client, log, args, wanted):
    _admin, other, entries = log
    args = {k: v.format(other=other.id) for k, v in args.items()}
    response = client.get("/staff/audit/", query_string=args)
    assert response.status_code == 200
    assert shown_ids(text(response), entries) == wanted
    # The CSV holds exactly the same entries.
    rows = csv_rows(client.get("/staff/audit/export.csv", query_string=args))
    assert rows[0] == ["time_utc", "actor", "action", "record_kind", "record_id"]
    found = {(row[3], row[4]) for row in rows[1:]}
    assert found == {(entries[n].target_type, str(entries[n].target_id)) for n in wanted}


def test_the_choices_are_the_actions_and_kinds_present(client, log):
    page = text(client.get("/staff/audit/"))
    for value in ("review.publish", "application.purge", "organisation", "application"):
        assert f'value="{value}"' in page
    assert 'value="case.open"' not in page


@pytest.mark.parametrize(
    "args",
    [{"start": "2026-13-01"}, {"start": "2026-12-05", "end": "2026-12-01"},
     {"target_id": "abc"}, {"action": "not.an.action"}, {"actor": "a" * 255},
     {"actor": "a\x00b"}, {"start": "0001-01-01"}, {"end": "9999-12-31"}],
)  # fmt: skip
def test_bad_filters_say_why_and_show_nothing(client, log, args):
    response = client.get("/staff/audit/", query_string=args)
    assert response.status_code == 400
    page = text(response)
    assert 'class="error"' in page and "#12<" not in page
    assert client.get("/staff/audit/export.csv", query_string=args).status_code == 400


def test_pages_of_fifty(client, log):
    for n in range(60):
        AuditLogFactory(action="case.note", target_type="case", target_id=1000 + n,
                        created_at=at(2026, 12, 7, 0, n))  # fmt: skip
    first = text(client.get("/staff/audit/?action=case.note"))
    assert "case #1059<" in first and "case #1010<" in first and "case #1009<" not in first
    assert "Page 1 of 2" in first and "action=case.note" in first.split('rel="next"')[0][-200:]
    second = text(client.get("/staff/audit/?action=case.note&page=2"))
    assert "case #1009<" in second and "case #1000<" in second and "case #1010<" not in second
    assert client.get("/staff/audit/?page=3").status_code == 404
    rows = csv_rows(client.get("/staff/audit/export.csv?action=case.note&page=2"))
    assert len(rows) == 61  # every page of the filters, not one


def test_the_csv_is_safe_from_formulas_and_never_holds_the_detail(client, login_as):
    login_as(Role.ADMIN)
    evil = UserFactory(email="=HYPERLINK(1)@example.org", role="moderator")
    AuditLogFactory(actor_id=evil.id, action="review.reject", target_type="review",
                    detail={"note": WORKER_WORDS, "formula": "=cmd|' /C calc'!A0"})  # fmt: skip
    body = text(client.get("/staff/audit/export.csv"))
    rows = csv_rows(client.get("/staff/audit/export.csv"))
    assert rows[1][1] == "'=HYPERLINK(1)@example.org"
    assert "zqworker" not in body and "calc" not in body


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_admins_read_the_log(client, login_as, role):
    login_as(role)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/audit/export.csv").status_code == 403


def test_admins_find_the_log_from_the_staff_home(client, login_as):
    login_as(Role.ADMIN)
    assert "/staff/audit/" in text(client.get("/staff/"))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/staff/audit/export.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("name", ["endpoint", "_external", "_anchor", "_scheme"])
def test_unknown_arguments_are_left_out_of_the_download_link(client, log, name):
    response = client.get("/staff/audit/", query_string={name: "x", "action": "review.publish"})
    assert response.status_code == 200
    assert "/staff/audit/export.csv?action=review.publish" in text(response)
