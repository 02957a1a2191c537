"""The login limit on Redis storage, as in production (needs GOLDENDREAMS_TEST_REDIS_URL)."""

import os

import pytest
import redis

from tests.accounts.test_views import exhaust_login_limit
from tests.conftest import make_config

REDIS_URL = os.environ.get("GOLDENDREAMS_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="GOLDENDREAMS_TEST_REDIS_URL is not set")


@pytest.fixture
def app_config(database_url):
    return make_config(database_url, RATELIMIT_STORAGE_URI=REDIS_URL)


def test_login_limit_is_kept_in_redis_under_hashed_keys(app, client):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    codes = exhaust_login_limit(client, app)
    assert codes[-1] == 429
    keys = [key.decode() for key in connection.scan_iter("LIMITS*")]
    assert keys, "no rate-limit keys in Redis"
    assert not any("127.0.0.1" in key for key in keys)
