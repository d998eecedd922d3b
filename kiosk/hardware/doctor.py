"""``kiosk doctor``: every check in parallel, each with a hard time limit, one verdict."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from devices.model import DeviceError
from kiosk.config import KioskConfig
from kiosk.hardware.bounded import run_bounded
from kiosk.hardware.device_checks import check_devices
from kiosk.hardware.factory import Tuning
from kiosk.hardware.health import CheckResult, Level, failed, timed
from kiosk.hardware.specs import DEVICE_NAMES
from kiosk.hardware.system_checks import check_catalog, check_data_dir, check_database, check_platform


@dataclass(frozen=True, slots=True)
class DoctorReport:
    results: list[CheckResult]
    elapsed_ms: int

    @property
    def passed(self) -> bool:
        """True when no required check failed (warnings allowed)."""
        return all(r.passed for r in self.results)

    def count(self, level: Level) -> int:
        return sum(1 for r in self.results if r.level == level)

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "failures": self.count(Level.FAIL),
            "warnings": self.count(Level.WARN),
            "elapsed_ms": self.elapsed_ms,
            "checks": [r.to_json() for r in self.results],
        }


def run_doctor(config: KioskConfig, timeout: float = 5.0, tuning: Tuning | None = None) -> DoctorReport:
    """Run all checks; returns within about ``timeout`` + 5 s whatever the devices do."""
    started = time.monotonic()
    limit = timeout + 5.0
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="doctor") as pool:
        devices = pool.submit(_devices, config, timeout, tuning, limit)
        storage = pool.submit(_storage, config, limit)
        platform = pool.submit(
            timed, "platform", lambda: check_platform(config, timeout), limit, required=False
        )
        results = storage.result() + devices.result() + [platform.result()]
    return DoctorReport(results, round((time.monotonic() - started) * 1000))


def _storage(config: KioskConfig, limit: float) -> list[CheckResult]:
    """Data directory, then the database in it, then the catalog stored there (each needs the last)."""
    results = [timed("data directory", lambda: check_data_dir(config), limit)]
    for name, check in (
        ("local database", lambda: check_database(config)),
        ("catalog", lambda: check_catalog(config)),
    ):
        if not results[-1].passed:
            results.append(failed(name, f"not checked: the {results[-1].name} is unusable", results[-1].fix,
                                  required=True))  # fmt: skip
        else:
            results.append(timed(name, check, limit))
    return results


def _devices(config: KioskConfig, timeout: float, tuning: Tuning | None, limit: float) -> list[CheckResult]:
    try:
        return run_bounded(lambda: check_devices(config, timeout, tuning), limit + 4.0, "device checks")
    except Exception as exc:  # overran or crashed: one failure per device, the other checks still count
        detail = exc.detail if isinstance(exc, DeviceError) else f"{type(exc).__name__}: {exc}"
        return [
            failed(f"device {name}", f"device checks did not complete: {detail}",
                   "a driver blocks: power-cycle the devices and run `kiosk doctor` again", required=True)
            for name in DEVICE_NAMES
        ]  # fmt: skip
