"""Fixtures: a real platform server on loopback (uvicorn thread), enrolled kiosks, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kiosk.platform.auth import KioskAuth
from kiosk.platform.server import FaultConfig, PlatformServer

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class EnrolledKiosk:
    """A kiosk enrolled over HTTP: its secret, the pinned roots and a signing requests session."""

    kiosk_id: str
    secret: str
    roots: list[str]
    session: requests.Session
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


def sample_records(n_items: int = 3) -> list[dict]:
    records = [
        {"kind": "item", "id": f"{i:04d}", "data": {"name": f"事项{i}：居民身份证补领", "fee": 0}}
        for i in range(1, n_items + 1)
    ]
    records.append({"kind": "bundle", "id": "b1", "data": {"name": "新生儿出生“一件事”", "items": ["0001"]}})
    records.append({"kind": "meta", "id": "catalog", "data": {"title": "政务服务事项目录"}})
    return records


@pytest.fixture
def faults() -> FaultConfig:
    """All knobs off; tests switch them on with ``faults.configure(...)``."""
    return FaultConfig(seed=1234)


@pytest.fixture
def platform_server(tmp_path: Path, faults: FaultConfig) -> Iterator[PlatformServer]:
    """The platform on 127.0.0.1 with a SQLite file in tmp_path and fault injection (off)."""
    server = PlatformServer(None, tmp_path / "platform", faults=faults).start()
    try:
        yield server
    finally:
        server.stop()


def enroll(server: PlatformServer, kiosk_id: str = "K-0001") -> EnrolledKiosk:
    token = server.platform.enrollment.issue_token(kiosk_id, ttl_hours=1)
    response = requests.post(
        server.base_url + "/v1/enroll",
        json={"token": token, "kiosk_id": kiosk_id, "service_point": "城关镇便民服务中心"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    session = requests.Session()
    session.auth = KioskAuth(kiosk_id, body["secret"])
    return EnrolledKiosk(kiosk_id, body["secret"], body["catalog_root_keys"], session, server.base_url)


@pytest.fixture
def kiosk(platform_server: PlatformServer) -> Iterator[EnrolledKiosk]:
    enrolled = enroll(platform_server)
    yield enrolled
    enrolled.session.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """``$KIOSK_TEST_POSTGRES_URL`` if set; else a throwaway cluster (initdb/pg_ctl as ``postgres``)."""
    url = os.environ.get("KIOSK_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(
            f"PostgreSQL binaries not found in {PG_BIN} (Debian package 'postgresql') "
            "and KIOSK_TEST_POSTGRES_URL is not set"
        )
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as 'postgres'")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    data, sockdir = base / "data", base / "sock"
    sockdir.mkdir()
    if as_postgres:
        shutil.chown(base, "postgres")
        shutil.chown(sockdir, "postgres")
    port = _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*as_postgres, *cmd], check=True, capture_output=True, timeout=60)

    run(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
    run(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "30",
        "start",
        "-o",
        f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off",
    )
    try:
        run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "kiosk_test")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/kiosk_test"
    finally:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def wait_until(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
