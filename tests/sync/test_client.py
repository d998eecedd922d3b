"""PlatformClient: TLS verification, clock skew, error classes, idempotency answers, Retry-After."""

from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import ssl
import threading
import uuid
from email.utils import format_datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.platform.client import PermanentError, PlatformClient, RetryableError, parse_retry_after

from .loopback import Loopback, running_platform


@pytest.fixture
def platform(tmp_path: Path):
    with running_platform(tmp_path / "platform") as lb:
        yield lb


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "platform.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class _TimeHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"server_time": "2025-01-01T00:00:00Z", "epoch": 1735689600.0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_tls_is_verified_by_default_and_a_pinned_ca_is_accepted(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TimeHandler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{server.server_address[1]}"
    try:
        untrusted = PlatformClient(url, "ksk-001", None, timeout=3)
        with pytest.raises(RetryableError) as err:
            untrusted.server_time()
        assert err.value.code == "tls"
        pinned = PlatformClient(url, "ksk-001", None, timeout=3, ca_file=str(cert))
        assert pinned.server_time()["epoch"] == 1735689600.0
        assert PlatformClient(url, "k", None, verify_tls=False)._verify is False
        for c in (untrusted, pinned):
            c.close()
    finally:
        server.shutdown()
        server.server_close()


def test_clock_skew_is_corrected_from_server_time(platform: Loopback) -> None:
    client = platform.client()
    client.clock_offset = -3600  # the kiosk's clock is an hour behind
    assert client.heartbeat({"kiosk_id": platform.kiosk_id})["config"]
    assert abs(client.clock_offset) < 5


def test_unknown_kiosk_and_bad_secret_are_permanent(platform: Loopback) -> None:
    stranger = PlatformClient(platform.base_url, "nobody", platform.secret, timeout=3)
    with pytest.raises(PermanentError) as err:
        stranger.changeset(0)
    assert err.value.status == 403
    with pytest.raises(PermanentError) as err:
        PlatformClient(platform.base_url, platform.kiosk_id, None).changeset(0)
    assert err.value.code == "not_enrolled"


def test_idempotency_answers(platform: Loopback) -> None:
    client = platform.client()
    body = {
        "receipt_no": "KSK001-0000001-X",
        "kiosk_id": platform.kiosk_id,
        "item_code": "ITEM1",
        "applicant": {"id_type": "居民身份证", "id_number": "110101199003071234", "name": "张三"},
        "submitted_at": "2025-01-01T00:00:00Z",
    }
    key = str(uuid.uuid4())
    first = client.submit(body, key)
    again = client.submit(body, key)
    assert first.status == again.status == 201 and first.body == again.body
    with pytest.raises(PermanentError) as err:
        client.submit({**body, "item_code": "ITEM2"}, key)
    assert (err.value.status, err.value.code) == (422, "idempotency_key_reused")
    with pytest.raises(PermanentError) as err:  # the receipt belongs to another submission: dead letter
        client.submit({**body, "item_code": "ITEM3"}, str(uuid.uuid4()))
    assert err.value.code == "receipt_exists" and err.value.status in (409, 422)  # doc says 409, server 422
    assert client.submit(body, str(uuid.uuid4())).body == first.body  # identical content: same submission
    assert len(platform.submissions()) == 1


def test_retry_after_parsing() -> None:
    assert parse_retry_after("7") == 7.0
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert parse_retry_after(format_datetime(later, usegmt=True), now=later.timestamp() - 30) == 30
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


class _StuckTusHandler(http.server.BaseHTTPRequestHandler):
    """A broken tus server: creates uploads but never advances the offset."""

    patches = 0

    def _reply(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {"Tus-Resumable": "1.0.0", "Content-Length": "0", **headers}.items():
            self.send_header(name, value)
        self.end_headers()

    def do_POST(self) -> None:
        self._reply(201, {"Location": "/v1/uploads/" + "a" * 32, "Upload-Offset": "0"})

    def do_PATCH(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).patches += 1
        if type(self).patches > 20:  # a client that never gives up: end its loop so the test fails fast
            self._reply(500, {})
            return
        self._reply(204, {"Upload-Offset": "0"})

    def log_message(self, *_args: object) -> None:
        pass


def test_tus_upload_gives_up_when_the_server_never_advances_the_offset() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StuckTusHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = PlatformClient(f"http://127.0.0.1:{server.server_port}", "ksk-1", b"k" * 32, timeout=3)
    try:
        with pytest.raises(RetryableError, match="offset"):
            client.tus_upload(b"x" * 1000, None, sha256_hex="00" * 32, filename="a", content_type="b")
        assert _StuckTusHandler.patches <= 5  # bounded, not an endless PATCH loop
    finally:
        client.close()
        server.shutdown()
        server.server_close()
        thread.join(5)
