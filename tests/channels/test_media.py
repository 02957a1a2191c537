"""Attachments from the apps (channels/media.py): capped by the size announced and the size
that streams, photos kept from their pixels only (no EXIF, no GPS, no comment), a file that
only says it is a picture kept as a download, each recorded as documented.

The adapter here is the interface's own boundary (``Adapter.fetch_media``): a small
subclass that answers from memory, or downloads over real HTTP with ``Adapter.download``
from a local server.
"""

from __future__ import annotations

import io
import logging
import threading

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from werkzeug.serving import make_server

from goldendreams.channels import media
from goldendreams.channels.adapters.base import Adapter, Fetched, Media, PlatformError
from goldendreams.channels.adapters.telegram import TelegramAdapter
from goldendreams.channels.models import Platform
from goldendreams.core import files
from tests.conftest import make_config

MAX_BYTES = 100_000
KEPT = {"kind", "key", "mime", "size"}
MISSING = {"kind", "missing"}


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return make_config(
        database_url, FILES_URL=str(tmp_path / "files"), CHANNEL_MEDIA_MAX_BYTES=MAX_BYTES
    )


class FromMemory(Adapter):
    """Answers ``fetch_media`` with the bytes (or the error) given for each ref; a ref that
    is a URL is downloaded as the real adapters do."""

    platform = Platform.TELEGRAM
    required = ()

    def __init__(self, config, answers: dict | None = None) -> None:
        super().__init__(config)
        self.answers = answers or {}
        self.fetched: list[str] = []

    def verify(self, request) -> bool:
        return True

    def parse(self, request) -> list:
        return []

    def send(self, recipient, message) -> str:
        raise PlatformError("not in these tests")

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        self.fetched.append(media.ref)
        if media.ref.startswith("http://"):
            return self.download(media.ref, max_bytes)
        answer = self.answers[media.ref]
        if isinstance(answer, Exception):
            raise answer
        return Fetched(*answer)


def gps_photo(orientation: int = 1) -> bytes:
    """A phone's photo: maker, orientation, where it was taken (GPS) and a comment."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (16.0, 47.0, 1.5), 3: "E", 4: (98.0, 34.0, 2.0)}
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"zqcomment taken at home")
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # it does carry them
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def stored_image(entry: dict) -> tuple[bytes, Image.Image]:
    data = files.load(entry["key"])
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def test_a_photo_is_kept_without_exif_or_gps(app):
    adapter = FromMemory(app.config, {"p": (gps_photo(), "image/jpeg")})
    [entry] = media.keep(adapter, [Media("photo", "p", "image/jpeg", 1000)])
    assert set(entry) == KEPT
    assert entry["kind"] == "photo" and entry["mime"] == "image/jpeg"
    data, image = stored_image(entry)
    assert entry["size"] == len(data)
    assert image.format == "JPEG" and image.size == (40, 20)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in image.info and "comment" not in image.info
    for trace in (b"Exif", b"PhoneMaker", b"zqcomment"):
        assert trace not in data


def test_a_photo_is_turned_the_way_the_phone_meant(app):
    adapter = FromMemory(app.config, {"p": (gps_photo(orientation=6), "image/jpeg")})
    [entry] = media.keep(adapter, [Media("photo", "p")])
    _data, image = stored_image(entry)
    assert image.size == (20, 40)  # turned a quarter, and the orientation tag gone
    assert not image.getexif()


def test_a_transparent_picture_stays_png_without_its_text(app):
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "zqauthor Ma Hla")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    adapter = FromMemory(app.config, {"p": (out.getvalue(), "image/png")})
    [entry] = media.keep(adapter, [Media("document", "p")])
    data, kept = stored_image(entry)
    assert entry["mime"] == "image/png" and kept.mode == "RGBA"
    assert b"zqauthor" not in data and "Author" not in kept.info


@pytest.mark.parametrize(
    ("kind", "body", "mime"),
    [
        ("photo", b"<html><script>alert(1)</script></html>", "image/jpeg"),
        ("document", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
         "image/svg+xml"),
        ("photo", b"\xff\xd8\xff\xe0 a JPEG cut short", "image/jpeg"),
    ],
)  # fmt: skip
def test_what_only_says_it_is_a_picture_is_kept_as_a_download(app, kind, body, mime):
    adapter = FromMemory(app.config, {"x": (body, mime)})
    [entry] = media.keep(adapter, [Media(kind, "x", mime)])
    assert entry["kind"] == "document" and entry["mime"] == "application/octet-stream"
    assert files.load(entry["key"]) == body


def test_a_picture_of_too_many_pixels_is_not_decoded(app):
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # tiny file, 60 million pixels
    assert len(out.getvalue()) < MAX_BYTES
    adapter = FromMemory(app.config, {"x": (out.getvalue(), "image/png")})
    [entry] = media.keep(adapter, [Media("photo", "x")])
    assert entry["kind"] == "document" and entry["mime"] == "application/octet-stream"


def test_a_voice_note_is_kept_as_it_came_encrypted(app, tmp_path):
    voice = b"OggS\x00\x02 opus voice zqvoice"
    adapter = FromMemory(app.config, {"v": (voice, "audio/ogg; codecs=opus")})
    [entry] = media.keep(adapter, [Media("voice", "v", "audio/ogg", len(voice))])
    assert entry == {"kind": "voice", "key": entry["key"], "mime": "audio/ogg", "size": len(voice)}
    assert files.load(entry["key"]) == voice
    assert b"zqvoice" not in (tmp_path / "files" / entry["key"]).read_bytes()


@pytest.mark.parametrize(
    ("fetched", "announced", "kept"),
    [
        ("application/octet-stream", "audio/mpeg", "audio/mpeg"),  # a CDN's generic type
        ("AUDIO/MP4", None, "audio/mp4"),
        ("text/html\r\nX-Bad: 1", None, "application/octet-stream"),
        (None, None, "application/octet-stream"),
    ],
)
def test_the_type_is_the_most_precise_plain_one(app, fetched, announced, kept):
    adapter = FromMemory(app.config, {"v": (b"sound", fetched)})
    [entry] = media.keep(adapter, [Media("voice", "v", announced)])
    assert entry["mime"] == kept


def test_an_unknown_kind_is_a_document(app):
    adapter = FromMemory(app.config, {"s": (b"sticker", "application/x-tgsticker")})
    [entry] = media.keep(adapter, [Media("sticker", "s")])
    assert entry["kind"] == "document" and entry["mime"] == "application/x-tgsticker"


def test_too_large_as_announced_is_not_even_fetched(app, tmp_path):
    adapter = FromMemory(app.config, {"big": (b"x", "video/mp4")})
    entries = media.keep(adapter, [Media("video", "big", "video/mp4", MAX_BYTES + 1)])
    assert entries == [{"kind": "video", "missing": "too_large"}]
    assert adapter.fetched == []
    assert not (tmp_path / "files").exists() or not list((tmp_path / "files").iterdir())


def test_too_large_as_it_came_is_not_kept(app):
    """An adapter that did not stop at the cap: caught here all the same."""
    adapter = FromMemory(app.config, {"big": (b"x" * (MAX_BYTES + 1), "video/mp4")})
    entries = media.keep(adapter, [Media("video", "big")])
    assert entries == [{"kind": "video", "missing": "too_large"}]


@pytest.fixture
def media_server():
    """A platform's file server: /stream sends 200 KB in chunks with no announced length,
    /photo a photo with GPS, /gone a 404."""
    photo = gps_photo()

    def wsgi(environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/stream":
            start_response("200 OK", [("Content-Type", "video/mp4")])
            return (b"v" * 10_000 for _ in range(20))
        if path == "/photo":
            start_response("200 OK", [("Content-Type", "image/jpeg"),
                                      ("Content-Length", str(len(photo)))])  # fmt: skip
            return [photo]
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"ok":false,"error_code":404,"description":"Not Found"}']

    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_downloads_stop_at_the_cap_while_streaming(app, media_server):
    adapter = FromMemory({**app.config, "TELEGRAM_API_BASE": media_server})
    entries = media.keep(adapter, [
        Media("video", f"{media_server}/stream"),
        Media("photo", f"{media_server}/photo"),
    ])  # fmt: skip
    assert entries[0] == {"kind": "video", "missing": "too_large"}
    assert set(entries[1]) == KEPT and entries[1]["mime"] == "image/jpeg"
    _data, image = stored_image(entries[1])
    assert not image.getexif()


def test_a_failed_fetch_is_recorded_and_logged_without_the_address(app, media_server, caplog):
    adapter = FromMemory(
        {**app.config, "TELEGRAM_API_BASE": media_server},
        {"refused": PlatformError("(#100) Invalid media id")},
    )
    with caplog.at_level(logging.WARNING, logger="goldendreams.channels"):
        entries = media.keep(adapter, [
            Media("voice", f"{media_server}/gone/zqfileref"),
            Media("photo", "refused"),
        ])  # fmt: skip
    assert entries == [{"kind": "voice", "missing": "failed"},
                       {"kind": "photo", "missing": "failed"}]  # fmt: skip
    logged = caplog.text
    assert "Invalid media id" in logged and "HTTP 404" in logged
    assert "zqfileref" not in logged and "127.0.0.1" not in logged


def test_each_entry_is_one_of_the_documented_shapes(app):
    adapter = FromMemory(app.config, {
        "ok": (b"%PDF-1.4 contract", "application/pdf"),
        "no": PlatformError("gone"),
    })  # fmt: skip
    entries = media.keep(adapter, [
        Media("document", "ok"), Media("document", "no"),
        Media("document", "big", size=MAX_BYTES * 2),
    ])  # fmt: skip
    assert [set(e) for e in entries] == [KEPT, MISSING, MISSING]
    assert entries[0]["mime"] == "application/pdf"
    assert [e.get("missing") for e in entries] == [None, "failed", "too_large"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata address
        "http://127.0.0.1:5432/",  # this server's own services
        "http://api.telegram.org.evil.example/file",  # a look-alike host
        "http://api.telegram.org/file/x",  # the platform's host, but not over https
        "https://[::1/x",  # not even an address
        "file:///etc/passwd",
    ],
)
def test_a_file_is_fetched_only_from_the_platform(app, url):
    adapter = FromMemory({**app.config, "TELEGRAM_API_BASE": "https://api.telegram.org"})
    assert not adapter.media_allowed(url)
    assert media.keep(adapter, [Media("photo", url.replace("https://", "http://", 1))]) == [
        {"kind": "photo", "missing": "failed"}
    ]


def test_the_platforms_hosts_and_its_api_are_allowed(app):
    adapter = TelegramAdapter({**app.config, "TELEGRAM_API_BASE": "https://api.telegram.org"})
    assert adapter.media_allowed("https://api.telegram.org/file/bot1:x/voice/file_1.oga")
    assert adapter.media_allowed("https://cdn4.telegram.org/file/x")


def test_a_redirect_away_from_the_platform_is_not_followed(app):
    hops = []

    def wsgi(environ, start_response):
        hops.append(environ["PATH_INFO"])
        start_response("302 Found", [("Location", "http://169.254.169.254/latest/")])
        return [b""]

    server = make_server("127.0.0.1", 0, wsgi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        adapter = FromMemory({**app.config, "TELEGRAM_API_BASE": base})
        assert media.keep(adapter, [Media("voice", f"{base}/file")]) == [
            {"kind": "voice", "missing": "failed"}
        ]
    finally:
        server.shutdown()
    assert hops == ["/file"]


def test_a_photo_too_wide_to_write_is_kept_as_a_document(app):
    with pytest.raises(media.NotAnImage):
        media.strip_metadata(png_of_size(1, 70_000))


def png_of_size(width: int, height: int) -> bytes:
    """A tiny file that unpacks into an image of that size (one colour compresses well)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()
