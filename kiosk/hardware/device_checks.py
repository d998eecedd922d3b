"""``kiosk doctor``'s device checks: start every configured device as the kiosk would, wait for
its first status, look deeper where it is cheap (a camera frame), and explain what is wrong.

Cards are never read: the readers run with auto-read off, so a card left on a reader stays unread.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from devices.base import Backoff
from devices.model import DeviceError
from kiosk.config import KioskConfig
from kiosk.hardware.availability import DeviceReport, Usability
from kiosk.hardware.device_set import DeviceSet
from kiosk.hardware.factory import Tuning
from kiosk.hardware.health import CheckResult, Level, failed
from kiosk.hardware.hints import suggest_fix
from kiosk.hardware.specs import TITLES, specs_from_config

DOCTOR_TUNING = Tuning(backoff=Backoff(base=0.3, cap=1.0), auto_read=False)
RECONNECT_GRACE_S = 1.5  # a device that failed its first open gets this long to come up


def check_devices(
    config: KioskConfig, timeout: float = 5.0, tuning: Tuning | None = None
) -> list[CheckResult]:
    """One CheckResult per device section, in configuration order. Bounded by about ``timeout`` + 4 s."""
    started = time.monotonic()
    deadline = started + timeout
    devices = DeviceSet(specs_from_config(config), tuning or DOCTOR_TUNING)
    devices.start()
    try:
        devices.wait_reported(timeout)
        grace = min(RECONNECT_GRACE_S, max(0.0, deadline - time.monotonic()))
        devices.wait_until(lambda: all(_settled(r) for r in devices.snapshot()), grace)
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="doctor-device") as pool:
            futures = [
                pool.submit(_check_one, devices, name, max(1.0, deadline - time.monotonic()))
                for name in devices.names
            ]
            results = [f.result() for f in futures]
    finally:
        devices.stop(timeout=3.0)
    elapsed = round((time.monotonic() - started) * 1000)
    return [_with_elapsed(r, elapsed) for r in results]


def _settled(report: DeviceReport) -> bool:
    return report.usability not in (Usability.UNAVAILABLE, Usability.STARTING)


def _with_elapsed(result: CheckResult, elapsed_ms: int) -> CheckResult:
    return replace(result, elapsed_ms=elapsed_ms)


def _check_one(devices: DeviceSet, name: str, budget: float) -> CheckResult:
    report = devices.report(name)
    spec = report.spec
    label = f"device {name}"
    details = _details(report)
    if report.usability == Usability.ABSENT:
        if spec.contradictory:
            return CheckResult(
                label,
                Level.WARN,
                f"{TITLES[name]}: required = true but backend = none; treated as not installed",
                f"set {spec.section}.required = false, or configure its backend",
                False,
                details,
            )
        return CheckResult(
            label, Level.SKIP, f"{TITLES[name]}: not installed (backend none)", "", False, details
        )
    head = f"{TITLES[name]} [{spec.backend}]"
    if report.usability == Usability.STARTING:
        return failed(
            label,
            f"{head}: no status within the time limit",
            "the driver does not answer; power-cycle the device and run `kiosk doctor` again",
            required=spec.required,
            details=details,
        )
    detail = report.status.detail or report.note
    if report.usability == Usability.UNAVAILABLE:
        return failed(
            label,
            f"{head}: {report.status.availability.value} — {detail}",
            suggest_fix(spec, detail),
            required=spec.required,
            details=details,
        )
    if report.usability == Usability.CONSUMABLE_OUT:
        return failed(
            label,
            f"{head}: paper out",
            suggest_fix(spec, "paper out"),
            required=spec.required,
            details=details,
        )
    if spec.name == "camera":
        frame_problem = _camera_frame(devices, name, min(budget, 3.0), details)
        if frame_problem:
            return failed(
                label,
                f"{head}: {frame_problem}",
                suggest_fix(spec, frame_problem),
                required=spec.required,
                details=details,
            )
    summary = f"{head}: {_good_news(report, details)}"
    if report.usability == Usability.DEGRADED:
        return CheckResult(label, Level.WARN, f"{summary} ({report.note})", suggest_fix(spec, report.note),
                           spec.required, details)  # fmt: skip
    return CheckResult(label, Level.OK, summary, "", spec.required, details)


def _camera_frame(devices: DeviceSet, name: str, timeout: float, details: dict[str, object]) -> str:
    camera = devices.adapter(name)
    snapshot = getattr(camera, "snapshot", None)
    if snapshot is None:
        return ""
    try:
        frame = snapshot(timeout=timeout)
    except DeviceError as exc:
        return f"no frame: {exc.detail}"
    details["frame"] = f"{frame.width}x{frame.height}"
    return ""


def _good_news(report: DeviceReport, details: dict[str, object]) -> str:
    info = report.info
    model = info.model if info else ""
    if report.spec.name == "id_reader":
        return f"SAM answered (SAM ID {info.serial})" if info and info.serial else f"online — {model}"
    if report.spec.name == "smart_card":
        service = "PC/SC service reachable, " if report.spec.backend == "pcsc" else ""
        return f"{service}reader {model!r}, card {report.status.media.value}"
    if report.spec.name == "printer":
        return f"{model}; paper {report.status.supply.value}"
    return f"{model}; frames {details.get('frame', '?')}"


def _details(report: DeviceReport) -> dict[str, object]:
    data = report.to_json()
    keep = (
        "backend",
        "required",
        "usability",
        "availability",
        "media",
        "supply",
        "model",
        "serial",
        "detail",
    )
    return {k: data[k] for k in keep if data.get(k) not in ("", None, [])}
