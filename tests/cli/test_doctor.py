"""``kiosk doctor`` against real peers: simulators, the SAM emulator's absence, the TCP printer
emulator out of paper, a loopback HTTP platform, real files and SQLite in tmp_path."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _TimeHandler(BaseHTTPRequestHandler):
    skew = 0.0

    def do_GET(self) -> None:
        if self.path != "/v1/time":
            self.send_error(404)
            return
        body = json.dumps({"server_time": "now", "epoch": time.time() + self.skew}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _serve(skew: float) -> Iterator[str]:
    handler = type("Handler", (_TimeHandler,), {"skew": skew})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def platform_url() -> Iterator[str]:
    yield from _serve(0.0)


@pytest.fixture
def skewed_platform_url() -> Iterator[str]:
    yield from _serve(-600.0)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _line(out: str, name: str) -> str:
    match = re.search(rf"^\[[ A-Z]+\] {re.escape(name)}(?=[ :]).*(\n       fix: .*)?", out, re.MULTILINE)
    assert match, f"no line for {name!r} in:\n{out}"
    return match.group(0)


def test_doctor_passes_with_the_simulators(kiosk, write_config, platform_url, tmp_path):
    config = write_config({"platform": {"url": platform_url, "timeout_s": 2.0}})
    result = kiosk("doctor", config=config)
    assert result.code == 0, result.out + result.err
    for name in ("data directory", "local database", "catalog", "device id_reader", "device smart_card",
                 "device printer", "device camera", "platform"):  # fmt: skip
        assert _line(result.out, name).startswith("[ OK ]"), result.out
    assert "SAM answered (SAM ID " in result.out and "frames 320x240" in result.out
    assert "result: PASS — 0 required check(s) failed, 0 warning(s)" in result.out
    assert (tmp_path / "data" / "kiosk.db").is_file()
    assert result.seconds < 8
    report = kiosk("doctor", "--json", config=config).json()
    assert report["passed"] and report["failures"] == 0
    db = next(c for c in report["checks"] if c["name"] == "local database")
    assert db["details"]["pragmas"] == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                                        "busy_timeout": 5000}  # fmt: skip


def test_doctor_explains_each_failure(kiosk, write_config, printer_emulator, tmp_path):
    printer_emulator.set_state(paper="out")
    missing_port = tmp_path / "ttyUSB0"
    config = write_config(
        {
            "devices.id_reader": {"backend": "sam-serial", "port": str(missing_port)},
            "devices.printer": {"backend": "network", "port": printer_emulator.port},
            "devices.camera": {"backend": "opencv", "source": str(tmp_path / "nocam.mp4")},
            "devices.smart_card": {"backend": "none", "required": True},
            "platform": {"url": f"http://127.0.0.1:{_closed_port()}", "timeout_s": 1.0},
        }
    )
    result = kiosk("doctor", "--timeout", "2", config=config)
    assert result.code == 1
    reader = _line(result.out, "device id_reader")
    assert reader.startswith("[FAIL]")
    assert f"serial port {missing_port} not found" in reader
    assert "ls /dev/ttyUSB*" in reader and f"devices.id_reader.port (now '{missing_port}')" in reader
    printer = _line(result.out, "device printer")
    assert printer.startswith("[FAIL]") and "paper out" in printer and "paper roll" in printer
    camera = _line(result.out, "device camera (optional)")
    assert camera.startswith("[WARN]") and "media not found" in camera and "devices.camera.source" in camera
    card = _line(result.out, "device smart_card")
    assert card.startswith("[WARN]") and "required = true but backend = none" in card
    platform = _line(result.out, "platform (optional)")
    assert platform.startswith("[WARN]") and "Connection refused" in platform
    assert "result: FAIL — 2 required check(s) failed, 3 warning(s)" in result.out
    assert result.seconds < 8


NO_DEVICES = {
    f"devices.{n}": {"backend": "none", "required": False}
    for n in ("id_reader", "smart_card", "printer", "camera")
}


def test_doctor_unusable_data_directory(kiosk, write_config, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    config = write_config({"kiosk": {"data_dir": str(blocker / "data")}, **NO_DEVICES})
    result = kiosk("doctor", "--json", config=config)
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    data_dir = checks["data directory"]
    assert data_dir["level"] == "fail" and "not writable" in data_dir["summary"]
    assert "kiosk.data_dir" in data_dir["fix"]
    assert checks["local database"]["summary"] == "not checked: the data directory is unusable"
    assert checks["catalog"]["summary"] == "not checked: the local database is unusable"
    assert {checks[f"device {n}"]["level"] for n in ("id_reader", "smart_card", "printer", "camera")} == {
        "skip"
    }
    assert checks["platform"]["level"] == "skip"


def test_doctor_catalog_that_fails_verification(kiosk, write_config, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text("{}")
    (tmp_path / "seed.signed.json").write_text('{"full": true, "since": 0, "records": "tampered"')
    config = write_config({"catalog": {"seed_path": str(seed)}, **NO_DEVICES})
    result = kiosk("doctor", config=config)
    assert result.code == 1
    catalog = _line(result.out, "catalog")
    assert (
        catalog.startswith("[FAIL]") and "CatalogUnavailable" in catalog and "kiosk catalog import" in catalog
    )
    assert _line(result.out, "local database").startswith("[ OK ]")


def test_doctor_warnings_do_not_fail(kiosk, write_config, skewed_platform_url, tmp_path):
    config = write_config(
        {
            "devices.printer": {"backend": "file", "device": str(tmp_path / "receipts.prn")},
            "platform": {"url": skewed_platform_url},
        }
    )
    result = kiosk("doctor", config=config)
    assert result.code == 0, result.out
    printer = _line(result.out, "device printer")
    assert printer.startswith("[WARN]") and "may print" in printer and "cannot report paper" in printer
    platform = _line(result.out, "platform (optional)")
    assert (
        platform.startswith("[WARN]")
        and "kiosk clock is 600 s ahead of the platform's" in platform
        and "timedatectl" in platform
    )
    assert "result: PASS — 0 required check(s) failed, 2 warning(s)" in result.out
