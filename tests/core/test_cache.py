"""The memo: answers reused within CACHE_SECONDS, per app, bounded, off at 0."""

from goldendreams import create_app
from goldendreams.core import cache
from tests.conftest import make_config

calls = []


@cache.memo
def answer(value):
    calls.append(value)
    return value * 2


def test_memo_reuses_answers_within_the_limit_per_app(database_url, monkeypatch):
    calls.clear()
    first = create_app(make_config(database_url, CACHE_SECONDS=60))
    second = create_app(make_config(database_url, CACHE_SECONDS=60))
    with first.app_context():
        assert answer(2) == 4
        assert answer(2) == 4
        assert answer(3) == 6
    with second.app_context():  # another app (another database) computes its own
        assert answer(2) == 4
    assert calls == [2, 3, 2]
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    with first.app_context():
        answer(5)
        clock[0] += 61
        answer(5)
    assert calls[-2:] == [5, 5]


def test_memo_is_off_at_zero_and_stays_bounded(database_url, monkeypatch):
    calls.clear()
    app = create_app(make_config(database_url, CACHE_SECONDS=0))
    with app.app_context():
        answer(1)
        answer(1)
    assert calls == [1, 1]
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    app = create_app(make_config(database_url, CACHE_SECONDS=60))
    with app.app_context():
        for value in range(10):
            answer(value)
        assert len(app.extensions["goldendreams.memo"]) <= 3
