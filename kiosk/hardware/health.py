"""Health-check results for ``kiosk doctor``: what was checked, how it went, why, and the fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from devices.model import DeviceError
from kiosk.hardware.bounded import run_bounded


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"  # an optional check failed, or a caveat: the kiosk can serve
    FAIL = "fail"  # a required check failed: the kiosk cannot serve
    SKIP = "skip"  # not applicable on this kiosk (not configured)


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str  # e.g. "device id_reader", "data directory"
    level: Level
    summary: str  # one line: what was found
    fix: str = ""  # what to do about it (empty when OK)
    required: bool = True
    details: dict[str, Any] = field(default_factory=dict)  # technical facts (never personal data)
    elapsed_ms: int = 0

    @property
    def passed(self) -> bool:
        return self.level != Level.FAIL

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "level": self.level.value,
            "required": self.required,
            "summary": self.summary,
            "fix": self.fix or None,
            "details": self.details,
            "elapsed_ms": self.elapsed_ms,
        }


def failed(
    name: str, summary: str, fix: str, *, required: bool, details: dict[str, Any] | None = None
) -> CheckResult:
    """FAIL when ``required``, else WARN."""
    return CheckResult(name, Level.FAIL if required else Level.WARN, summary, fix, required, details or {})


def timed(name: str, check: Callable[[], CheckResult], limit: float, *, required: bool = True) -> CheckResult:
    """Run ``check`` with a hard time limit; a crash or overrun becomes a result, never an exception."""
    started = time.monotonic()
    try:
        result = run_bounded(check, limit, name)
    except DeviceError as exc:
        result = failed(
            name,
            f"check did not finish: {exc.detail}",
            "something blocks; run the command again with --json and look at the other checks",
            required=required,
        )
    except Exception as exc:  # a bug in a check must not hide the other results
        result = failed(
            name, f"check crashed: {type(exc).__name__}: {exc}", "report this bug", required=required
        )
    return replace(result, elapsed_ms=round((time.monotonic() - started) * 1000))
