"""Control of the machine's pcscd for the smart-card tests (used by conftest.py and the tests).

``Pcscd`` uses a running pcscd that has the vpcd readers, or starts ``pcscd -f`` itself;
``restart()`` kills it (SIGKILL, like a crash) and starts it again, optionally with another
reader.conf.d directory; ``finish()`` leaves the machine as found.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

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


def wait_until_empty(readers: tuple[str, ...] = (READER_0, READER_1), timeout: float = 3.0) -> None:
    """Block until pcscd reports no card in ``readers`` (it notices a removed vpcd card within ~0.4 s)."""
    from smartcard import scard

    hr, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hr == scard.SCARD_S_SUCCESS, "pcscd is not answering"
    try:
        deadline = time.monotonic() + timeout
        while True:
            hr, states = scard.SCardGetStatusChange(
                context, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
            )
            if hr == scard.SCARD_S_SUCCESS and not any(s & scard.SCARD_STATE_PRESENT for _, s, _ in states):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"a card is still in {readers} after {timeout:g} s")
            time.sleep(0.05)
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
            pid = int(PID_FILE.read_text().strip("\x00 \n"))  # pcscd ends the file with a NUL
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
        """Leave the machine as found: stop our pcscd; if one ran before the tests, run one again."""
        if self.proc is not None and self.proc.poll() is None:
            self.kill(signal.SIGTERM)
        if self.was_running and self.running_pid() is None:
            subprocess.run([self.binary], check=False, timeout=10)  # daemonises
