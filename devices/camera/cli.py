"""Technician helper behind ``kiosk device snapshot --source PATH_OR_INDEX [--decode-qr] [--document OUT.png] --json``.

``snapshot`` opens the source through the normal Camera adapter (same capture path as the kiosk),
grabs frames for at most ``timeout`` seconds and returns a JSON-ready dict. It raises DeviceError
with a technician-readable ``detail`` when the source cannot be opened or delivers no frame.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import cv2

from devices.base import Backoff
from devices.camera.capture import Camera
from devices.camera.document import DocumentAnalyser, DocumentResult, manual_capture, warp_page
from devices.camera.face import FaceAnalyser
from devices.camera.frames import Frame
from devices.camera.qr import QrAnalyser, QrResult
from devices.model import Availability, DeviceError, DeviceUnavailable, ResultCode


def snapshot(
    source: str,
    decode_qr: bool = False,
    document_out: Path | None = None,
    timeout: float = 5.0,
    *,
    backend: str = "opencv",
    resolution: tuple[int, int] | None = None,
    stable_frames: int = 5,
    max_frames: int = 30,
) -> dict[str, Any]:
    """Capture from ``source`` and report frame size, QR payloads, document and face summary."""
    started = time.monotonic()
    deadline = started + timeout
    camera = Camera(
        source,
        name="camera-snapshot",
        backend=backend,
        resolution=resolution,
        preview_width=None,
        unplug_after=min(1.0, timeout / 2),
        open_timeout=min(3.0, timeout),
        backoff=Backoff(base=0.2, cap=1.0),
    )
    camera.start()
    try:
        frame = _grab(camera, deadline)
        qr = QrAnalyser() if decode_qr else None
        doc = DocumentAnalyser(stable_frames=stable_frames) if document_out else None
        qr_result = qr.analyse(frame) if qr else None
        doc_result = doc.analyse(frame) if doc else None
        last_found: tuple[Frame, DocumentResult] | None = (
            (frame, doc_result) if doc_result and doc_result.found else None
        )
        count = 1
        while count < max_frames and time.monotonic() < deadline:
            want_qr = qr is not None and not (qr_result and qr_result.codes)
            want_doc = doc is not None and not (doc_result and doc_result.stable)
            if not (want_qr or want_doc):
                break
            try:
                frame = _grab(camera, deadline)
            except DeviceError:
                break  # keep what we have
            count += 1
            if want_qr and qr:
                qr_result = qr.analyse(frame)
            if want_doc and doc:
                doc_result = doc.analyse(frame)
                if doc_result.found:
                    last_found = (frame, doc_result)
        report: dict[str, Any] = {
            "source": camera.spec.describe(),
            "backend": backend,
            "frame": {"width": frame.width, "height": frame.height},
            "frames_read": count,
            "face": _face_summary(frame),
        }
        if qr_result is not None:
            report["qr"] = _qr_summary(qr_result)
        if document_out is not None:
            report["document"] = _write_document(Path(document_out), frame, doc_result, last_found)
        report["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        return report
    finally:
        camera.stop()


def _grab(camera: Camera, deadline: float) -> Frame:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DeviceError(ResultCode.TIMEOUT, f"no frame from {camera.spec.describe()} in time")
    try:
        return camera.snapshot(timeout=remaining)
    except DeviceUnavailable as exc:
        status = camera.status
        raise DeviceError(
            ResultCode.INVALID_DATA if status.availability == Availability.HARDWARE_ERROR else exc.code,
            f"cannot open camera source {camera.spec.describe()}: {status.detail or exc.detail}",
        ) from None
    except DeviceError as exc:
        if exc.code == ResultCode.TIMEOUT:
            detail = camera.status.detail or "no frame"
            raise DeviceError(ResultCode.TIMEOUT, f"{camera.spec.describe()}: {detail} (timed out)") from None
        raise


def _qr_summary(result: QrResult) -> dict[str, Any]:
    return {
        "codes": [
            {"payload": c.payload, "encoding": c.encoding, "detector": c.detector} for c in result.codes
        ],
        "undecoded": result.undecoded,
    }


def _face_summary(frame: Frame) -> dict[str, Any]:
    try:
        result = FaceAnalyser().analyse(frame)
    except DeviceError as exc:
        return {"error": exc.detail}
    return {
        "count": len(result.faces),
        "ok": result.ok,
        "issues": [str(i) for i in result.issues],
        "size_ratio": round(result.size_ratio, 3),
    }


def _write_document(
    out: Path, frame: Frame, result: DocumentResult | None, last_found: tuple[Frame, DocumentResult] | None
) -> dict[str, Any]:
    if result is not None and result.stable and result.image is not None:
        chosen, image = result, result.image
    elif last_found is not None:  # seen but never still: correct the last sighting anyway
        found_frame, chosen = last_found
        image = warp_page(found_frame.image, chosen.corners, None)
    else:
        chosen = manual_capture(frame, "full-frame")
        image = chosen.image
    assert image is not None
    try:
        written = cv2.imwrite(str(out), image)
    except cv2.error:
        written = False
    if not written:
        raise DeviceError(ResultCode.INVALID_DATA, f"cannot write document image to {out}")
    return {
        "found": chosen.found,
        "stable": chosen.stable,
        "aspect": round(chosen.aspect, 3),
        "kind": str(chosen.kind),
        "fallback": chosen.fallback or None,
        "output": str(out),
        "size": [int(image.shape[1]), int(image.shape[0])],
    }
