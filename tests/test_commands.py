"""The command contract, run as a person (or another tool) would: real processes, a fresh
SQLite database in an empty instance folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from goldendreams.config import PROJECT_ROOT


@pytest.fixture
def env(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("GOLDENDREAMS_")
    }
    environment.update(
        GOLDENDREAMS_INSTANCE_PATH=str(tmp_path),
        GOLDENDREAMS_SECRET_KEY="a-secret-for-this-test-0123456789abcdef",
        GOLDENDREAMS_SESSION_COOKIE_SECURE="false",
    )
    return environment


def flask(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "goldendreams", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_upgrade_demo_run(env, tmp_path):
    upgraded = flask(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "goldendreams.db").exists()
    first = flask(env, "demo")
    assert first.returncode == 0, first.stderr
    assert "admin@demo.goldendreams.example" in first.stdout
    assert flask(env, "demo").returncode == 0

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "goldendreams", "run", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/directory/") as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, "the server did not answer"
        assert "Golden Lotus Overseas Employment Agency" in body
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "GET /directory/" in output  # the access log is there ...
    assert "127.0.0.1 - -" not in output  # ... without the client address


def test_refuses_to_start_without_a_secret(env):
    del env["GOLDENDREAMS_SECRET_KEY"]
    result = flask(env, "db", "upgrade")
    assert result.returncode != 0
    assert "GOLDENDREAMS_SECRET_KEY" in result.stderr
