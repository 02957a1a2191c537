"""Each other language of a job is a link to that version (browser findings 5)."""

from __future__ import annotations

from tests.factories import JobFactory, JobTextFactory


def test_other_languages_are_links_to_each_version(client):
    job = JobFactory()  # English
    JobTextFactory(job=job, locale="my", title="ငါးစက်ရုံ")
    JobTextFactory(job=job, locale="th", title="โรงงานปลา")
    client.set_cookie("gd_lang", "km")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'<a href="/jobs/{job.id}?lang=my" hreflang="my" lang="my">' in page
    assert f'<a href="/jobs/{job.id}?lang=th" hreflang="th" lang="th">' in page
    assert f"/jobs/{job.id}?lang=en" not in page  # the version shown
    thai = client.get(f"/jobs/{job.id}?lang=th").get_data(as_text=True)
    assert '<h1 lang="th">โรงงานปลา</h1>' in thai
    assert f"/jobs/{job.id}?lang=en" in thai and f"/jobs/{job.id}?lang=th" not in thai
    # A language the job is not written in, or nonsense, shows the usual version.
    for asked in ("ne", "<b>", "x" * 300):
        page = client.get(f"/jobs/{job.id}", query_string={"lang": asked})
        assert page.status_code == 200 and "Factory worker" in page.get_data(as_text=True)


def test_one_language_has_no_other_languages_line(client):
    job = JobFactory()
    assert "Other languages:" not in client.get(f"/jobs/{job.id}").get_data(as_text=True)
