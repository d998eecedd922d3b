"""A hard time limit around a call that should already bound itself (the technician commands'
safety net: a driver that ignores its own timeout must not hang ``kiosk doctor``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from devices.model import DeviceError, ResultCode

T = TypeVar("T")


def run_bounded(fn: Callable[[], T], limit: float, what: str) -> T:
    """``fn()`` on a daemon thread; its result or exception, or DeviceError(TIMEOUT) after ``limit`` s.

    A call that overruns keeps running in the background (a thread cannot be killed); the daemon
    thread does not keep the process alive.
    """
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"bounded-{what}", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise DeviceError(ResultCode.TIMEOUT, f"{what} did not finish within {limit:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
