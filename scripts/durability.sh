#!/usr/bin/env bash
# The full-size run of tests/test_durability.py: 500 reviews (then 500 publications) and
# 500 job applications sent at once to gunicorn on PostgreSQL while a worker is killed.
# Prints sent / acknowledged / stored. CI runs the same test with 60 of each.
# GOLDENDREAMS_TEST_DATABASE_URL: a PostgreSQL database the tests may empty (default: test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test prod
export GOLDENDREAMS_TEST_DATABASE_URL=${GOLDENDREAMS_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
export GOLDENDREAMS_DURABILITY_SUBMISSIONS=${GOLDENDREAMS_DURABILITY_SUBMISSIONS:-500}
exec .venv/bin/python -m pytest -s -q -p no:cacheprovider tests/test_durability.py "$@"
