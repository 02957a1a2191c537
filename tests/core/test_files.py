"""Encrypted file storage (core/files.py): a folder, and an S3-compatible object store
spoken to over real HTTP (moto's server on a free port), each holding only ciphertext
under random names."""

from __future__ import annotations

import sys

import boto3
import pytest
from moto.server import ThreadedMotoServer

from goldendreams.core import files
from tests.conftest import make_config

VOICE_NOTE = b"OggS voice note zqplain: the agent took my passport"
BUCKET = "gd-attachments"
S3_KEYS = {"S3_ACCESS_KEY_ID": "testing-key-id", "S3_SECRET_ACCESS_KEY": "testing-secret"}


@pytest.fixture(scope="module")
def s3_server():
    """A real S3 API on 127.0.0.1 (moto), with one bucket; yields its address."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    _client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def _client(endpoint: str):
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
    )  # fmt: skip


@pytest.fixture
def app_config(request, database_url, tmp_path) -> dict:
    """A folder in tmp_path, or (``s3_server`` requested too) the object store."""
    if "s3_server" in request.fixturenames:
        endpoint = request.getfixturevalue("s3_server")
        return make_config(
            database_url, FILES_URL=f"s3://{BUCKET}/attachments", S3_ENDPOINT_URL=endpoint,
            S3_REGION="us-east-1", **S3_KEYS,
        )  # fmt: skip
    return make_config(database_url, FILES_URL=str(tmp_path / "files"))


# --- the folder ------------------------------------------------------------------------------


def test_the_folder_holds_only_ciphertext_under_a_random_name(app, tmp_path):
    key = files.store(VOICE_NOTE)
    other = files.store(VOICE_NOTE)
    assert key != other and len(key) == 32
    on_disk = (tmp_path / "files" / key).read_bytes()
    assert on_disk != VOICE_NOTE
    assert b"zqplain" not in on_disk and b"OggS" not in on_disk
    assert files.load(key) == VOICE_NOTE
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == sorted([key, other])


def test_delete_removes_the_file(app, tmp_path):
    key = files.store(VOICE_NOTE)
    files.delete(key)
    assert not (tmp_path / "files" / key).exists()
    with pytest.raises(FileNotFoundError):
        files.load(key)
    files.delete(key)  # gone already: nothing happens


@pytest.mark.parametrize(
    "key",
    ["../files/x", "..", "../../etc/passwd", "a/b", "", "/etc/passwd",
     "0123456789abcdef0123456789abcde", "0123456789ABCDEF0123456789ABCDEF",
     "0123456789abcdef0123456789abcdef/..", "กขค"],
)  # fmt: skip
def test_a_key_that_is_not_ours_is_refused(app, tmp_path, key):
    outside = tmp_path / "secret"
    outside.write_bytes(b"not an attachment")
    with pytest.raises(ValueError, match="not a file key"):
        files.load(key)
    with pytest.raises(ValueError, match="not a file key"):
        files.delete(key)
    assert outside.read_bytes() == b"not an attachment"


# --- an S3-compatible object store -----------------------------------------------------------


def test_s3_holds_only_ciphertext_with_nothing_named(app, s3_server):
    key = files.store(VOICE_NOTE)
    s3 = _client(s3_server)
    listed = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert f"attachments/{key}" in [item["Key"] for item in listed]
    assert all(item["Key"].startswith("attachments/") for item in listed)
    stored = s3.get_object(Bucket=BUCKET, Key=f"attachments/{key}")
    blob = stored["Body"].read()
    assert blob != VOICE_NOTE and b"zqplain" not in blob and b"OggS" not in blob
    assert stored["Metadata"] == {}
    assert files.load(key) == VOICE_NOTE


def test_s3_delete_erases_the_object(app, s3_server):
    key = files.store(VOICE_NOTE)
    files.delete(key)
    listed = _client(s3_server).list_objects_v2(Bucket=BUCKET, Prefix=f"attachments/{key}")
    assert listed["KeyCount"] == 0
    with pytest.raises(FileNotFoundError):
        files.load(key)
    files.delete(key)  # gone already: nothing happens
    with pytest.raises(ValueError, match="not a file key"):
        files.load("../other-prefix/x")


def test_one_client_per_app(app, s3_server):
    assert files._backend() is files._backend()
    assert files._backend().client is files._backend().client


def test_s3_without_boto3_says_what_to_install(app, s3_server, monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # as on a site installed without it
    app.extensions.pop("goldendreams.files", None)
    with pytest.raises(RuntimeError, match="boto3"):
        files.store(VOICE_NOTE)
