"""``kiosk devices`` and ``kiosk device read-id | read-card | print-test | snapshot``.

Defaults come from the configuration's ``devices.*`` sections; flags override them. Exit codes:
0 success, 1 the device failed (the message says why and what to check), 2 bad arguments;
``kiosk devices`` exits 1 when the kiosk is not AVAILABLE. ``--demo`` (before the command) lists
the simulators instead of the configured backends.
Card fields are printed because showing the card is the command's purpose; they are never logged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.context import CliContext
from kiosk.cli.groups import group

ID_BACKENDS = ("sam-serial", "sdtapi", "simulator")
CARD_BACKENDS = ("pcsc", "simulator")
PRINTER_BACKENDS = ("usb", "serial", "network", "file", "simulator")
ID_SAMPLES = ("resident", "resident-long-term", "hmt-permit", "foreigner", "foreigner-2023", "none")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("must be between 0 and 600 seconds")
    return value


def _tcp_port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 1 and 65535")
    return value


def _usb_id(text: str) -> int:
    try:
        value = int(text, 16) if not text.lower().startswith("0x") else int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a hexadecimal USB id: {text!r}") from None
    if not 0 <= value <= 0xFFFF:
        raise argparse.ArgumentTypeError("must be between 0000 and ffff")
    return value


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    listing = subparsers.add_parser("devices", help="every configured device with its status")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.add_argument("--wait", type=_seconds, default=3.0, metavar="S",
                         help="wait at most S seconds for the first status (default 3)")  # fmt: skip
    listing.set_defaults(func=_devices)

    sub = group(subparsers, groups, "device", "technician commands for one device")
    rid = sub.add_parser("read-id", help="read one resident ID / residence permit card")
    rid.add_argument("--backend", choices=ID_BACKENDS, help="default: devices.id_reader.backend")
    rid.add_argument("--port", help="serial port (sam-serial) or SDT port number (sdtapi)")
    rid.add_argument("--baud", type=int, choices=(9600, 19200, 38400, 57600, 115200))
    rid.add_argument("--library", help="vendor sdtapi library path (sdtapi)")
    rid.add_argument("--sample", choices=ID_SAMPLES, default="resident",
                     help="simulator: the sample card on the reader ('none' = empty reader)")  # fmt: skip
    rid.add_argument("--timeout", type=_seconds, default=5.0, metavar="S", help="wait S s for a card")
    rid.add_argument("--mask", action="store_true", help="mask name, ID number and address")
    rid.add_argument("--json", action="store_true", help="JSON output")
    rid.set_defaults(func=_read_id)

    rcard = sub.add_parser("read-card", help="read one social security card (社会保障卡) over PC/SC")
    rcard.add_argument("--backend", choices=CARD_BACKENDS, help="default: devices.smart_card.backend")
    rcard.add_argument("--reader", help="PC/SC reader name (substring); default: the first reader")
    rcard.add_argument("--timeout", type=_seconds, default=10.0, metavar="S", help="wait S s for a card")
    rcard.add_argument("--mask", action="store_true", help="mask name, ID number and card number")
    rcard.add_argument("--json", action="store_true", help="JSON output")
    rcard.set_defaults(func=_read_card)

    pt = sub.add_parser("print-test", help="print a test receipt (Chinese text, ￥, QR code, cut)")
    pt.add_argument("--backend", choices=PRINTER_BACKENDS, help="default: devices.printer.backend")
    pt.add_argument("--host", help="network printer host")
    pt.add_argument("--port", type=_tcp_port, help="network printer TCP port")
    pt.add_argument("--device", help="serial port or file / device node")
    pt.add_argument("--baud", type=int, choices=(9600, 19200, 38400, 57600, 115200))
    pt.add_argument("--vendor-id", type=_usb_id, help="USB vendor id (hex)")
    pt.add_argument("--product-id", type=_usb_id, help="USB product id (hex)")
    pt.add_argument("--paper", type=int, choices=(58, 80), help="paper width in mm")
    pt.add_argument("--encoding", choices=("gb18030", "gbk", "utf8", "raster"))
    pt.add_argument("--no-kanji", action="store_true", help="do not send FS & (Chinese character mode)")
    pt.add_argument("--preview", type=Path, metavar="FILE.png", help="write the PNG preview instead")
    pt.add_argument("--timeout", type=_seconds, default=20.0, metavar="S", help="give up after S s")
    pt.add_argument("--json", action="store_true", help="JSON output")
    pt.set_defaults(func=_print_test)

    snap = sub.add_parser("snapshot", help="grab camera frames: size, QR codes, document, face")
    snap.add_argument("--source", help="camera index, /dev/videoN, URL, image or video file "
                      "(default: devices.camera.source)")  # fmt: skip
    snap.add_argument("--backend", choices=("opencv", "simulator"), help="default: devices.camera.backend")
    snap.add_argument("--decode-qr", action="store_true", help="decode QR codes")
    snap.add_argument("--document", type=Path, metavar="OUT.png", help="write the corrected page image")
    snap.add_argument("--face", action="store_true", help="report face presence and quality")
    snap.add_argument("--timeout", type=_seconds, default=5.0, metavar="S", help="give up after S s")
    snap.add_argument("--json", action="store_true", help="JSON output")
    snap.set_defaults(func=_snapshot)


# ----- kiosk devices -----
def _devices(args: argparse.Namespace, ctx: CliContext) -> int:
    from devices.model import DeviceError
    from kiosk.hardware.bounded import run_bounded
    from kiosk.hardware.device_set import DeviceSet
    from kiosk.hardware.factory import Tuning

    config = ctx.config
    if getattr(args, "demo", False):
        from kiosk.hardware.specs import simulated_config

        config = simulated_config(config)

    def survey() -> tuple[list[Any], Any]:
        devices = DeviceSet.from_config(config, Tuning(auto_read=False))
        devices.start()
        try:
            devices.wait_reported(args.wait)
            return devices.snapshot(), devices.availability()
        finally:
            devices.stop(timeout=3.0)

    try:
        reports, availability = run_bounded(survey, args.wait + 10.0, "device survey")
    except DeviceError as exc:
        return ctx.fail(exc.detail)
    if args.json:
        ctx.print_json({"kiosk": availability.to_json(), "devices": [r.to_json() for r in reports]})
    else:
        _print_table(ctx, reports, availability)
    return 0 if availability.available else 1


def _print_table(ctx: CliContext, reports: list[Any], availability: Any) -> None:
    rows = [("DEVICE", "BACKEND", "REQ", "STATE", "AVAILABILITY", "MEDIA", "SUPPLY", "MODEL")]
    for r in reports:
        info = r.info
        model = (info.model if info else "") + (f" [{info.serial}]" if info and info.serial else "")
        if info and info.firmware:
            model += f" fw {info.firmware}"
        rows.append((r.name, r.spec.backend, "yes" if r.spec.required else "no", r.usability.value,
                     r.status.availability.value, r.status.media.value, r.status.supply.value, model))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        ctx.out.write(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1] + "\n"
        )
    for r in reports:
        if r.note and r.usability.value != "absent":
            ctx.out.write(f"  {r.name}: {r.note}\n")
    ctx.out.write(f"kiosk: {availability.describe()}\n")
    if availability.missing_features:
        ctx.out.write(f"features unavailable: {', '.join(availability.missing_features)}\n")


# ----- shared error output -----
def _device_failure(ctx: CliContext, device: str, backend: str, settings: dict[str, Any], exc: Any) -> int:
    from kiosk.hardware.hints import suggest_fix
    from kiosk.hardware.specs import DeviceSpec

    detail = getattr(exc, "detail", "") or str(exc)
    code = getattr(getattr(exc, "code", None), "value", "error")
    spec = DeviceSpec(device, backend, True, settings)
    ctx.err.write(f"kiosk: {code}: {detail}\n  fix: {suggest_fix(spec, detail)}\n")
    return 1


def _print_fields(ctx: CliContext, data: dict[str, Any]) -> None:
    width = max(len(k) for k in data)
    for key, value in data.items():
        ctx.out.write(f"{key.ljust(width)}  {'' if value is None else value}\n")


# ----- kiosk device read-id -----
def _read_id(args: argparse.Namespace, ctx: CliContext) -> int:
    from devices.model import DeviceError
    from kiosk.hardware.technician import read_id_card

    section = ctx.config.devices.id_reader
    backend = args.backend or section.backend
    if backend not in ID_BACKENDS:
        return ctx.fail("no ID reader configured (devices.id_reader.backend = none): pass --backend", 2)
    port = args.port if args.port is not None else section.port
    baud = args.baud or section.baud
    library = args.library if args.library is not None else section.library
    if backend == "sam-serial" and not port:
        return ctx.fail("--port is required for sam-serial (or set devices.id_reader.port)", 2)
    if backend == "sdtapi" and not library:
        return ctx.fail("--library is required for sdtapi (or set devices.id_reader.library)", 2)
    try:
        card = read_id_card(backend, port=port, baud=baud, library=library, sample=args.sample,
                            timeout=args.timeout, mask=args.mask)  # fmt: skip
    except DeviceError as exc:
        return _device_failure(
            ctx, "id_reader", backend, {"port": port, "baud": baud, "library": library}, exc
        )
    if args.json:
        ctx.print_json(card)
    else:
        _print_fields(ctx, card)
    return 0


# ----- kiosk device read-card -----
def _read_card(args: argparse.Namespace, ctx: CliContext) -> int:
    from devices.model import DeviceError
    from kiosk.hardware.technician import read_social_security_card

    section = ctx.config.devices.smart_card
    backend = args.backend or section.backend
    if backend not in CARD_BACKENDS:
        return ctx.fail(
            "no smart-card reader configured (devices.smart_card.backend = none): pass --backend", 2
        )
    reader = args.reader if args.reader is not None else section.reader
    try:
        card = read_social_security_card(backend, reader=reader or None, timeout=args.timeout, mask=args.mask)
    except DeviceError as exc:
        return _device_failure(ctx, "smart_card", backend, {"reader": reader}, exc)
    if args.json:
        ctx.print_json(card)
    else:
        _print_fields(ctx, card)
    return 0


# ----- kiosk device print-test -----
def _print_test(args: argparse.Namespace, ctx: CliContext) -> int:
    from devices.model import DeviceError
    from kiosk.hardware.technician import print_test_receipt, write_test_preview

    s = ctx.config.devices.printer
    paper = args.paper or s.paper_mm
    encoding = args.encoding or s.encoding
    kanji = s.kanji_mode and not args.no_kanji
    if args.preview is not None:
        try:
            path = write_test_preview(args.preview, paper, encoding, kanji)
        except DeviceError as exc:
            return ctx.fail(exc.detail)
        if args.json:
            ctx.print_json({"ok": True, "preview": str(path), "paper_mm": paper})
        else:
            ctx.out.write(f"preview of the {paper} mm test receipt written to {path}\n")
        return 0
    backend = args.backend or s.backend
    if backend not in PRINTER_BACKENDS:
        return ctx.fail("no printer configured (devices.printer.backend = none): pass --backend", 2)
    settings = {
        "host": args.host or s.host,
        "port": args.port or s.port,
        "device": args.device if args.device is not None else s.device,
        "baud": args.baud or s.baud,
        "usb_vendor_id": args.vendor_id if args.vendor_id is not None else s.usb_vendor_id,
        "usb_product_id": args.product_id if args.product_id is not None else s.usb_product_id,
    }
    try:
        report = print_test_receipt(backend, paper_mm=paper, encoding=encoding, kanji_mode=kanji,
                                    timeout=args.timeout, **settings)  # fmt: skip
    except DeviceError as exc:
        return _device_failure(ctx, "printer", backend, settings, exc)
    if args.json:
        ctx.print_json({k: v for k, v in report.items() if k != "lines"})
    else:
        ctx.out.write("\n".join(report["lines"]) + "\n")
    if not report["ok"]:
        from kiosk.hardware.hints import suggest_fix
        from kiosk.hardware.specs import DeviceSpec

        fix = suggest_fix(DeviceSpec("printer", backend, True, settings), report["message"] or report["code"])
        ctx.err.write(f"kiosk: the test receipt was not printed: {report['message'] or report['code']}\n"
                      f"  fix: {fix}\n")  # fmt: skip
        return 1
    return 0


# ----- kiosk device snapshot -----
def _snapshot(args: argparse.Namespace, ctx: CliContext) -> int:
    from devices.model import DeviceError
    from kiosk.hardware.specs import camera_source
    from kiosk.hardware.technician import camera_snapshot

    c = ctx.config.devices.camera
    configured = c.backend if c.backend != "none" else "opencv"
    backend = args.backend or configured
    source = args.source if args.source is not None else camera_source(backend, c.source)
    try:
        report = camera_snapshot(source, backend=backend, decode_qr=args.decode_qr, document_out=args.document,
                                 face=args.face, timeout=args.timeout)  # fmt: skip
    except DeviceError as exc:
        return _device_failure(ctx, "camera", backend, {"source": source}, exc)
    if args.json:
        ctx.print_json(report)
        return 0
    ctx.out.write(f"source: {report['source']} ({report['backend']})\n")
    ctx.out.write(f"frame: {report['frame']['width']}x{report['frame']['height']}, "
                  f"{report['frames_read']} frame(s) in {report['elapsed_ms']} ms\n")  # fmt: skip
    if "qr" in report:
        codes = report["qr"]["codes"]
        ctx.out.write(f"qr: {len(codes)} code(s)\n" + "".join(f"  {c['payload']}\n" for c in codes))
    if "document" in report:
        d = report["document"]
        ctx.out.write(f"document: {d['kind']} {'found' if d['found'] else 'not found'}"
                      f"{' (' + d['fallback'] + ')' if d['fallback'] else ''} -> {d['output']}\n")  # fmt: skip
    if "face" in report:
        f = report["face"]
        ctx.out.write(f"face: {f}\n")
    return 0
