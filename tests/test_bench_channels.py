"""scripts/bench_channels.py keeps working: a short run (20 deliveries a second for two
seconds) on a schema of its own on the tests' PostgreSQL server, the queue on the tests'
Redis. The figures themselves are the README's ("Webhooks under load"); here the limit is
loose, so a busy CI machine does not fail a smoke test."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from goldendreams.config import PROJECT_ROOT

DATABASE_URL = os.environ.get("GOLDENDREAMS_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("GOLDENDREAMS_TEST_REDIS_URL")

pytestmark = [
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgresql"),
        reason="the benchmark measures PostgreSQL (GOLDENDREAMS_TEST_DATABASE_URL)",
    ),
    pytest.mark.skipif(not REDIS_URL, reason="GOLDENDREAMS_TEST_REDIS_URL is not set"),
    pytest.mark.skipif(
        not (PROJECT_ROOT / ".venv/bin/gunicorn").exists(), reason="gunicorn is not installed"
    ),
]


def test_a_short_benchmark_run_posts_measures_and_drains(empty_database_url, tmp_path):
    command = [
        sys.executable, str(PROJECT_ROOT / "scripts/bench_channels.py"),
        "--rate", "20", "--seconds", "2", "--warmup", "10", "--senders", "8",
        "--workers", "2", "--limit-ms", "2000",
        "--database-url", empty_database_url, "--queue-url", REDIS_URL,
        "--log", str(tmp_path / "servers.log"),
    ]  # fmt: skip
    run = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "latency ms  p50" in run.stdout
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["sent"] == 40 and figures["ok"] == 40 and figures["errors"] == {}
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    # Warm-up and measured deliveries: each in the inbox once, the first of each sender
    # greeted through the fake Telegram API.
    assert figures["in_inbox_once"] == figures["deliveries"] == 50
    assert figures["missing"] == figures["doubled"] == figures["pending"] == 0
    assert figures["greetings_sent"] == 8
