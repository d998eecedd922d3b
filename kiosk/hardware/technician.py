"""The operations behind ``kiosk device …``: one bounded call each, returning JSON-ready dicts.

Each raises DeviceError with a technician-readable ``detail`` on failure (never card data in it)
and finishes within its timeout plus a fixed margin, whatever the device does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.model import DeviceError, ResultCode
from kiosk.hardware.bounded import run_bounded
from kiosk.hardware.factory import CJK_FONT, sdt_port

STOP_MARGIN_S = 12.0  # opening, reconnect refusal and stopping an adapter, on top of the read timeout
NO_SAMPLE = "none"


def mask_name(name: str) -> str:
    """``"李明华"`` -> ``"李**"``; Latin names keep their first letter per word."""
    if not name:
        return name
    if name.isascii():
        return " ".join(w[:1] + "*" * (len(w) - 1) for w in name.split(" "))
    return name[0] + "*" * (len(name) - 1)


def read_id_card(
    backend: str,
    *,
    port: str = "",
    baud: int = 115200,
    library: str = "",
    sample: str = "resident",
    timeout: float = 5.0,
    mask: bool = False,
) -> dict[str, Any]:
    """Read one resident ID / permit card. ``simulator`` reads ``sample`` through the real serial path
    (``sample="none"``: an empty reader)."""
    from devices.id_card.cli import card_to_json, read_card, read_card_sdtapi

    def read() -> Any:
        if backend == "sam-serial":
            return read_card(port, baud, timeout)
        if backend == "sdtapi":
            return read_card_sdtapi(library, sdt_port(port), timeout)
        if backend == "simulator":
            from devices.id_card.samples import sample_card
            from devices.id_card.simulator import SamReaderEmulator

            with SamReaderEmulator() as emulator:
                if sample != NO_SAMPLE:
                    emulator.place_card(sample_card(sample))
                return read_card(emulator.port, timeout=timeout)
        raise DeviceError(ResultCode.UNSUPPORTED, f"unknown ID reader backend {backend!r}")

    card = run_bounded(read, timeout + STOP_MARGIN_S, "reading the ID card")
    try:
        out = card_to_json(card, mask=mask)
    finally:
        card.wipe()
    if mask:
        for key in ("name", "english_name"):
            if out.get(key):
                out[key] = mask_name(out[key])
        for key in ("pass_number", "previous_number"):
            if out.get(key):
                out[key] = _mask_tail(out[key])
    return out


def read_social_security_card(
    backend: str, *, reader: str | None = None, timeout: float = 10.0, mask: bool = False
) -> dict[str, Any]:
    """Read one social security card (``simulator``: the built-in sample card)."""
    from devices.id_card.id_number import mask_id_number
    from devices.smart_card.cli import read_card

    card = run_bounded(lambda: read_card(backend, reader, timeout), timeout + 20 + STOP_MARGIN_S,
                       "reading the social security card")  # fmt: skip
    out = card.to_json()
    if mask:
        out["name"] = mask_name(out["name"])
        out["id_number"] = mask_id_number(out["id_number"])
        out["card_number"] = _mask_tail(out["card_number"])
    return out


def print_test_receipt(
    backend: str,
    *,
    host: str = "127.0.0.1",
    port: int = 9100,
    device: str = "",
    baud: int = 9600,
    usb_vendor_id: int = 0,
    usb_product_id: int = 0,
    paper_mm: int = 80,
    encoding: str = "gb18030",
    kanji_mode: bool = True,
    timeout: float = 20.0,
) -> dict[str, Any]:
    """Print the test receipt. A printer that did not print is a report with ``ok`` false."""
    from devices.printer.cli import print_test

    outcome = run_bounded(
        lambda: print_test(
            backend, host, port, device, paper_mm, encoding, kanji_mode, baud=baud,
            usb_vendor_id=usb_vendor_id, usb_product_id=usb_product_id, font_path=CJK_FONT, timeout=timeout,
        ),
        timeout + STOP_MARGIN_S,
        "printing the test receipt",
    )  # fmt: skip
    report = {
        "ok": outcome.ok,
        "code": outcome.code,
        "message": outcome.message,
        "backend": outcome.backend,
        "bytes_sent": outcome.bytes_sent,
        "confirmed": outcome.confirmed,
        "status": _status_json(outcome.status),
        "printed_lines": outcome.printed_lines,
        "lines": outcome.describe(),
    }
    return report


def write_test_preview(
    path: Path, paper_mm: int = 80, encoding: str = "gb18030", kanji_mode: bool = True
) -> Path:
    """Write the test receipt's PNG preview (the printer is not contacted)."""
    from devices.printer import FontNotFoundError
    from devices.printer.cli import test_receipt_layout, write_preview

    mode = "raster" if encoding == "raster" else f"{encoding}{' + FS &' if kanji_mode else ''}"
    try:
        return write_preview(test_receipt_layout(paper_mm, note=f"{mode}（预览）"), path, CJK_FONT)
    except FontNotFoundError as exc:
        raise DeviceError(ResultCode.INTERNAL_ERROR, f"CJK font missing: {exc}") from None
    except OSError as exc:
        raise DeviceError(ResultCode.INVALID_DATA, f"cannot write {path}: {exc.strerror or exc}") from None


def camera_snapshot(
    source: str,
    *,
    backend: str = "opencv",
    decode_qr: bool = False,
    document_out: Path | None = None,
    face: bool = False,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Grab frames from ``source``: frame size, QR payloads, document image, face summary."""
    from devices.camera.cli import snapshot

    report = run_bounded(
        lambda: snapshot(source, decode_qr, document_out, timeout, backend=backend),
        timeout + STOP_MARGIN_S,
        "camera snapshot",
    )
    if not face:
        report.pop("face", None)
    return report


def _mask_tail(text: str, keep: int = 2) -> str:
    return "*" * max(0, len(text) - keep) + text[-keep:] if len(text) > keep else "*" * len(text)


def _status_json(status: Any) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "availability": status.availability.value,
        "media": status.media.value,
        "supply": status.supply.value,
        "detail": status.detail,
        "extra": dict(status.extra),
    }
