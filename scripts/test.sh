#!/usr/bin/env bash
# Install everything the tests need and run them all: lint, then pytest (arguments are passed
# on). SQLite by default; set GOLDENDREAMS_TEST_DATABASE_URL (PostgreSQL) and
# GOLDENDREAMS_TEST_REDIS_URL to run the same suite against those servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test prod

# The browser tests drive Debian's Chromium (Noto fonts render the five Asian scripts);
# tests/test_nginx.py runs deploy/nginx.conf in a real nginx.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-core >/dev/null 2>&1 \
    || ! { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-core nginx
    else
        echo "Chromium or nginx is missing: their tests will be skipped." >&2
    fi
fi

# On PostgreSQL, tests/test_backup.py runs pg_dump and pg_restore (pg_dump refuses a server
# newer than itself; Debian's postgresql-client is the distribution's own version).
if [[ "${GOLDENDREAMS_TEST_DATABASE_URL:-}" == postgresql* ]] \
    && ! { command -v pg_dump && command -v pg_restore; } >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-client
    else
        echo "pg_dump or pg_restore is missing: tests/test_backup.py will fail." >&2
    fi
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
