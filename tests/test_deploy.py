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
    ["/organisations/12/review", "/jobs/3/apply", "/jobs/3/report", "/reviews/9/report",
     "/check", "/check/answer", "/check/withdraw"],
)  # fmt: skip
def test_posts_that_could_identify_a_writer_are_not_logged(path, monkeypatch):
    logged = []
    monkeypatch.setattr(Logger, "access", lambda self, *args: logged.append(args))
    logger = settings["PrivateLogger"].__new__(settings["PrivateLogger"])
    logger.access(None, SimpleNamespace(method="POST", path=path), {}, 0)
    assert logged == []
    logger.access(None, SimpleNamespace(method="GET", path=path), {}, 0)
    assert len(logged) == 1  # reading the form is an ordinary page view


def test_other_requests_are_logged_and_the_paths_are_the_apps(app, monkeypatch):
    logged = []
    monkeypatch.setattr(Logger, "access", lambda self, *args: logged.append(args))
    logger = settings["PrivateLogger"].__new__(settings["PrivateLogger"])
    for path in ("/organisations/12", "/checklist", "/login", "/jobs/3"):
        logger.access(None, SimpleNamespace(method="POST", path=path), {}, 0)
    assert len(logged) == 4
    rules = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    for rule in ("/organisations/<int:org_id>/review", "/jobs/<int:job_id>/apply", "/check"):
        assert rule in rules  # the pattern follows the app's own addresses


def test_the_log_format_has_no_address_agent_referrer_or_query():
    fmt = settings["access_log_format"]
    for field in ("%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s", "%(u)s"):
        assert field not in fmt
    assert settings["worker_class"] == "sync"
    assert settings["workers"] >= 2
