"""Fixtures for the smart-card tests: a real pcscd with the vpcd virtual reader, virtual cards, events.

``pcscd`` (session): uses a running pcscd that has the vpcd readers, or starts ``pcscd -f`` itself.
Skips only when the pcscd binary is absent; a missing vpcd driver is a failure with a clear
message. ``Pcscd.restart()`` kills (SIGKILL, like a crash) and restarts it for the recovery tests;
at the end the machine is left as found (a pcscd that was running before runs again).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sc_events import EventLog

PCSCD = shutil.which("pcscd") or next(
    (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if os.access(p, os.X_OK)), None
)
VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
PID_FILE = Path("/run/pcscd/pcscd.pid")
READER_0, PORT_0 = "Virtual PCD 00 00", 35963
READER_1, PORT_1 = "Virtual PCD 00 01", 35964


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def list_readers() -> list[str] | None:
    """Readers the service reports now; None when the service does not answer."""
    from smartcard import scard

    hr, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return None
    try:
        hr, readers = scard.SCardListReaders(context, [])
        if hr == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        return list(readers) if hr == scard.SCARD_S_SUCCESS else None
    finally:
        scard.SCardReleaseContext(context)


class Pcscd:
    """Starts, kills and restarts the machine's pcscd for the tests."""

    def __init__(self, binary: str, log_dir: Path) -> None:
        self.binary = binary
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None  # the pcscd we started, if any
        self.config_dir: Path | None = None  # None: the system /etc/reader.conf.d
        self.was_running = self.running_pid() is not None
        self.starts = 0

    def running_pid(self) -> int | None:
        try:
            pid = int(PID_FILE.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def start(self, config_dir: Path | None = None, timeout: float = 10.0) -> None:
        self.starts += 1
        log = (self.log_dir / f"pcscd-{self.starts}.log").open("wb")
        args = [self.binary, "-f"] + (["-c", str(config_dir)] if config_dir else [])
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.config_dir = config_dir
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pcscd exited at start (code {self.proc.returncode}); see {log.name}")
            readers = list_readers()
            if readers is not None and (config_dir is not None or READER_0 in readers):
                return
            time.sleep(0.02)
        raise RuntimeError(f"pcscd did not show the vpcd readers within {timeout:g} s; see {log.name}")

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 10.0) -> None:
        """Stop the running pcscd (ours, or the pre-existing one by its pid file) and wait until it is gone."""
        pid = self.running_pid()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout)
        elif pid is not None:
            os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while pid is not None and Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # pcscd refuses to start while the old pid (even a zombie) exists
        self.proc = None

    def restart(self, config_dir: Path | None = None) -> None:
        self.kill()
        self.start(config_dir)

    def ensure_default(self) -> None:
        """A running pcscd with the system configuration (vpcd readers), restarting if needed."""
        readers = list_readers() if self.running_pid() is not None else None
        if self.config_dir is not None or readers is None or READER_0 not in readers:
            self.restart()

    def finish(self) -> None:
        if self.proc is None:
            return  # the pre-existing pcscd is still the one running
        self.kill(signal.SIGTERM)
        if self.was_running:  # leave the machine as found: a daemonised pcscd
            subprocess.run([self.binary], check=False, timeout=10)


@pytest.fixture(scope="session")
def pcscd_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    if PCSCD is None:
        pytest.skip("pcscd is not installed (Debian package 'pcscd'); the PC/SC tests need it")
    if not VPCD_CONF.exists():
        pytest.fail(
            f"vsmartcard-vpcd is not installed ({VPCD_CONF} missing): apt-get install vsmartcard-vpcd"
        )
    control = Pcscd(PCSCD, tmp_path_factory.mktemp("pcscd"))
    try:
        control.ensure_default()
        yield control
    finally:
        control.finish()


@pytest.fixture
def pcscd(pcscd_session: Pcscd) -> Pcscd:
    """pcscd with the vpcd readers, restored to the default configuration before each test."""
    pcscd_session.ensure_default()
    return pcscd_session


@pytest.fixture
def events() -> EventLog:
    return EventLog()
