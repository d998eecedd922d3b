"""Run the platform with uvicorn in a background thread (tests, ``kiosk --demo``) or in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from kiosk.platform.server.app import build_asgi
from kiosk.platform.server.core import Platform
from kiosk.platform.server.faults import FaultConfig


class PlatformServer:
    """A uvicorn server on a loopback socket in a daemon thread; ``start()`` returns once it accepts.

    Changesets are not gzip-compressed by default here (loopback: tests, demo); ``serve`` compresses.
    """

    def __init__(
        self,
        db_url: str | None,
        data_dir: Path | str,
        port: int = 0,
        host: str = "127.0.0.1",
        faults: FaultConfig | None = None,
        log_level: str = "warning",
        gzip_changesets: bool = False,
    ) -> None:
        self.platform = Platform.open(db_url, data_dir)
        self.faults = faults
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on such sockets (else +40 ms per request)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(
            build_asgi(self.platform, faults, gzip_changesets),
            log_config=None,
            log_level=log_level,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._sock]},
            name=f"platform-{self.port}",
            daemon=True,
        )

    def start(self, timeout: float = 15.0) -> PlatformServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"platform server did not start on {self.base_url}")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving, join the thread and release the database (idempotent)."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()
        self.platform.close()

    def __enter__(self) -> PlatformServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_server_in_thread(
    db_url: str | None, data_dir: Path | str, port: int = 0, faults: FaultConfig | None = None
) -> tuple[str, Callable[[], None]]:
    """Start the platform on 127.0.0.1 (``port`` 0 = free port); returns (base_url, stop)."""
    server = PlatformServer(db_url, data_dir, port=port, faults=faults).start()
    return server.base_url, server.stop
