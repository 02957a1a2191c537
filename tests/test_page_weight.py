"""Phone budget: the directory page, HTML + CSS, at most 30 KB compressed."""

import gzip

from sqlalchemy import func, select

from goldendreams.agencies.models import Organisation
from goldendreams.extensions import db

BUDGET = 30 * 1024


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_directory_page_is_within_budget_in_every_language(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    full_page = app.config["DIRECTORY_PAGE_SIZE"]
    assert db.session.scalar(select(func.count(Organisation.id))) > full_page
    with client.get("/static/style.css") as response:
        css = response.data
    for locale in app.config["LOCALES"]:
        client.set_cookie("gd_lang", locale)
        html = client.get("/directory/").data
        assert html.count(b'class="card"') == full_page
        total = compressed_size(html) + compressed_size(css)
        print(f"directory page {locale}: {total} bytes compressed (HTML + CSS)")
        assert total <= BUDGET


def test_job_list_is_within_budget(app, client):
    from tests.factories import FeeLineFactory, JobFactory, JobTextFactory

    for n in range(app.config["JOBS_PAGE_SIZE"] + 1):
        job = JobFactory(employer_pays=n % 2 == 0)
        JobTextFactory(job=job, locale="my", title="ပုစွန်စက်ရုံ အလုပ်သမား " * 3)
        FeeLineFactory(job=job, paid_by="worker" if n % 2 else "employer")
    with client.get("/static/style.css") as response:
        css = response.data
    for locale in app.config["LOCALES"]:
        client.set_cookie("gd_lang", locale)
        html = client.get("/jobs/").data
        assert html.count(b'class="card"') == app.config["JOBS_PAGE_SIZE"]
        total = compressed_size(html) + compressed_size(css)
        print(f"job list {locale}: {total} bytes compressed (HTML + CSS)")
        assert total <= BUDGET


def test_rights_pages_are_within_budget(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    with client.get("/static/style.css") as response:
        css = response.data
    pages = ("/rights/", "/rights/recruitment-fees", "/help/", "/rights/calculator?fee=1&wage=1",
             "/help/?country=TH", "/partners")  # fmt: skip
    for locale in app.config["LOCALES"]:
        client.set_cookie("gd_lang", locale)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200
            total = compressed_size(response.data) + compressed_size(css)
            print(f"{path} {locale}: {total} bytes compressed (HTML + CSS)")
            assert total <= BUDGET
