"""deploy/gunicorn.conf.py: the production settings load, and anonymous writers' requests
never reach the access log."""

import runpy
from types import SimpleNamespace

import pytest
from gunicorn.glogging import Logger

from goldendreams.config import PROJECT_ROOT

settings = runpy.run_path(str(PROJECT_ROOT / "deploy/gunicorn.conf.py"))


@pytest.mark.parametrize(
    "path",
    ["/organisations/12/review", "/jobs/3/apply", "/jobs/3/report",
     "/reviews/AbCdEfGh_jKlM-nO/report", "/check", "/check/answer", "/check/withdraw"],
)  # fmt: skip
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_private_forms_are_not_logged_opened_or_sent(path, method, monkeypatch):
    """Opening a review form says someone is about to write about that organisation: its
    time is as telling as the sending's."""
    logged = []
    monkeypatch.setattr(Logger, "access", lambda self, *args: logged.append(args))
    logger = settings["PrivateLogger"].__new__(settings["PrivateLogger"])
    logger.access(None, SimpleNamespace(method=method, path=path), {}, 0)
    assert logged == []


def test_other_requests_are_logged_and_the_paths_are_the_apps(app, monkeypatch):
    logged = []
    monkeypatch.setattr(Logger, "access", lambda self, *args: logged.append(args))
    logger = settings["PrivateLogger"].__new__(settings["PrivateLogger"])
    for path in ("/organisations/12", "/checklist", "/login", "/jobs/3"):
        logger.access(None, SimpleNamespace(method="POST", path=path), {}, 0)
    assert len(logged) == 4
    rules = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    for rule in ("/organisations/<int:org_id>/review", "/jobs/<int:job_id>/apply", "/check",
                 "/reviews/<public_id:review_id>/report"):  # fmt: skip
        assert rule in rules  # the pattern follows the app's own addresses


def test_the_log_format_has_no_address_agent_referrer_or_query():
    fmt = settings["access_log_format"]
    for field in ("%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s", "%(u)s"):
        assert field not in fmt
    assert settings["worker_class"] == "sync"
    assert settings["workers"] >= 2
