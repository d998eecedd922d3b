"""tus 1.0.0 uploads against the real server: create, patch, resume, checksum and offset errors."""

from __future__ import annotations

import base64
import hashlib
import os

import requests

TUS = {"Tus-Resumable": "1.0.0"}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def create(kiosk, data: bytes, sha256: bytes | None = None, **extra_headers) -> str:
    metadata = f"filename {_b64('身份证正面.jpg'.encode())},content_type {_b64(b'image/jpeg')}"
    if sha256 is not False:
        metadata += f",sha256 {_b64(sha256 or hashlib.sha256(data).digest())}"
    headers = {**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": metadata, **extra_headers}
    response = kiosk.session.post(kiosk.url("/v1/uploads"), headers=headers, timeout=10)
    assert response.status_code == 201, response.text
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert response.headers["Location"].startswith("/v1/uploads/")
    return response.headers["Location"]


def patch(kiosk, location: str, offset: int, chunk: bytes, checksum: str | None = "sha256", **headers):
    headers = {
        **TUS,
        "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream",
        **headers,
    }
    if checksum:
        digest = hashlib.new(checksum, chunk).digest()
        headers.setdefault("Upload-Checksum", f"{checksum} {_b64(digest)}")
    return kiosk.session.patch(kiosk.url(location), data=chunk, headers=headers, timeout=10)


def head(kiosk, location: str) -> requests.Response:
    return kiosk.session.head(kiosk.url(location), headers=TUS, timeout=10)


def test_options_advertises_capabilities(platform_server):
    response = requests.options(platform_server.base_url + "/v1/uploads", timeout=10)
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {"creation", "checksum"}
    assert "sha1" in response.headers["Tus-Checksum-Algorithm"].split(",")
    assert int(response.headers["Tus-Max-Size"]) > 0


def test_chunked_upload_resumes_after_interruption_and_file_matches(platform_server, kiosk):
    data = os.urandom(300_000)
    location = create(kiosk, data)
    assert head(kiosk, location).headers["Upload-Offset"] == "0"
    assert patch(kiosk, location, 0, data[:100_000]).status_code == 204
    # The client "crashes" and restarts: it asks the server where to resume.
    response = head(kiosk, location)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert (response.headers["Upload-Offset"], response.headers["Upload-Length"]) == ("100000", "300000")
    second = patch(kiosk, location, 100_000, data[100_000:200_000], checksum="sha1")
    assert second.status_code == 204 and second.headers["Upload-Offset"] == "200000"
    last = patch(kiosk, location, 200_000, data[200_000:], checksum=None)
    assert last.status_code == 204 and last.headers["Upload-Offset"] == "300000"
    upload_id = location.rsplit("/", 1)[1]
    info = platform_server.platform.uploads.describe(upload_id)
    assert info["complete"] and info["sha256"] == hashlib.sha256(data).hexdigest()
    assert info["filename"] == "身份证正面.jpg" and info["content_type"] == "image/jpeg"
    assert platform_server.platform.uploads.path(upload_id).read_bytes() == data
    assert platform_server.platform.uploads.verify_file(upload_id)


def test_checksum_mismatch_is_460_and_the_chunk_is_discarded(kiosk):
    data = os.urandom(10_000)
    location = create(kiosk, data)
    bad = patch(
        kiosk,
        location,
        0,
        data[:5000],
        **{"Upload-Checksum": f"sha256 {_b64(hashlib.sha256(b'x').digest())}"},
    )
    assert bad.status_code == 460 and bad.json()["error"]["code"] == "checksum_mismatch"
    assert bad.headers["Tus-Resumable"] == "1.0.0"
    assert head(kiosk, location).headers["Upload-Offset"] == "0"
    unsupported = patch(kiosk, location, 0, data[:5000], **{"Upload-Checksum": "md5 AAAA"})
    assert unsupported.status_code == 400
    assert patch(kiosk, location, 0, data[:5000]).status_code == 204


def test_offset_mismatch_is_409(kiosk):
    data = os.urandom(4000)
    location = create(kiosk, data)
    assert patch(kiosk, location, 0, data[:1000]).status_code == 204
    stale = patch(kiosk, location, 0, data[:1000])  # a retry of a chunk that did land
    assert stale.status_code == 409 and stale.headers["Upload-Offset"] == "1000"
    ahead = patch(kiosk, location, 2000, data[2000:3000])
    assert ahead.status_code == 409
    too_long = patch(kiosk, location, 1000, data[1000:] + b"extra")
    assert too_long.status_code == 413
    assert patch(kiosk, location, 1000, data[1000:]).headers["Upload-Offset"] == "4000"


def test_whole_file_hash_mismatch_restarts_the_upload(kiosk):
    data = os.urandom(2000)
    location = create(kiosk, data, sha256=hashlib.sha256(b"other").digest())
    response = patch(kiosk, location, 0, data)
    assert response.status_code == 460 and response.json()["error"]["code"] == "file_checksum_mismatch"
    assert head(kiosk, location).headers["Upload-Offset"] == "0"


def test_hex_sha256_metadata_is_accepted(kiosk, platform_server):
    data = b"hello \xe4\xb8\xad"
    hex_digest = hashlib.sha256(data).hexdigest().encode()
    location = create(kiosk, data, sha256=hex_digest)
    assert patch(kiosk, location, 0, data).status_code == 204
    assert platform_server.platform.uploads.describe(location.rsplit("/", 1)[1])["complete"]


def test_protocol_errors(platform_server, kiosk):
    data = b"abc"
    no_version = kiosk.session.post(kiosk.url("/v1/uploads"), headers={"Upload-Length": "3"}, timeout=10)
    assert no_version.status_code == 412 and no_version.headers["Tus-Version"] == "1.0.0"
    for headers in (
        {"Upload-Length": "-1"},
        {"Upload-Length": "x"},
        {},
        {"Upload-Length": "3", "Upload-Metadata": "a !!!"},
    ):
        response = kiosk.session.post(kiosk.url("/v1/uploads"), headers={**TUS, **headers}, timeout=10)
        assert response.status_code == 400, headers
    huge = kiosk.session.post(
        kiosk.url("/v1/uploads"), headers={**TUS, "Upload-Length": str(1 << 40)}, timeout=10
    )
    assert huge.status_code == 413
    location = create(kiosk, data)
    wrong_type = patch(kiosk, location, 0, data, **{"Content-Type": "application/json"})
    assert wrong_type.status_code == 415
    assert head(kiosk, "/v1/uploads/" + "0" * 32).status_code == 404
    assert head(kiosk, "/v1/uploads/not-an-id").status_code == 404
    unsigned = requests.head(kiosk.url(location), headers=TUS, timeout=10)
    assert unsigned.status_code == 401


def test_uploads_are_private_to_their_kiosk(platform_server, kiosk):
    from tests.platform_server.conftest import enroll

    location = create(kiosk, b"secret scan")
    other = enroll(platform_server, "K-0002")
    assert other.session.head(other.url(location), headers=TUS, timeout=10).status_code == 404
    assert patch(other, location, 0, b"secret scan").status_code == 404


def test_empty_upload_is_complete_at_creation(kiosk, platform_server):
    location = create(kiosk, b"")
    assert head(kiosk, location).headers["Upload-Offset"] == "0"
    assert platform_server.platform.uploads.describe(location.rsplit("/", 1)[1])["complete"]


def test_bytes_past_the_committed_offset_are_overwritten(kiosk, platform_server):
    """A crash after the chunk's fsync but before the offset commit leaves junk past the offset."""
    data = os.urandom(3000)
    location = create(kiosk, data)
    assert patch(kiosk, location, 0, data[:1000]).status_code == 204
    path = platform_server.platform.uploads.path(location.rsplit("/", 1)[1])
    with open(path, "ab") as handle:
        handle.write(b"J" * 5000)
    assert patch(kiosk, location, 1000, data[1000:]).status_code == 204
    assert path.read_bytes() == data
