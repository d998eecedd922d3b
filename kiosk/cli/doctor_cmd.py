"""``kiosk doctor``: check the configured kiosk and explain every problem with a suggested fix.

Exit 0 only when every required check passes; optional failures are warnings.
"""

from __future__ import annotations

import argparse

from kiosk.cli.context import CliContext

MARKS = {"ok": "[ OK ]", "warn": "[WARN]", "fail": "[FAIL]", "skip": "[SKIP]"}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.5 <= value <= 120:
        raise argparse.ArgumentTypeError("must be between 0.5 and 120 seconds")
    return value


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    doctor = subparsers.add_parser(
        "doctor", help="check devices, storage, catalog and platform; explain each failure"
    )
    doctor.add_argument("--json", action="store_true", help="JSON report")
    doctor.add_argument("--timeout", type=_seconds, default=5.0, metavar="S",
                        help="time each device gets to report (default 5)")  # fmt: skip
    doctor.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace, ctx: CliContext) -> int:
    from kiosk.hardware.doctor import run_doctor
    from kiosk.hardware.health import Level

    config = ctx.config
    if getattr(args, "demo", False):  # `kiosk --demo doctor`: the devices as the demo runs them
        from kiosk.hardware.specs import simulated_config

        config = simulated_config(config)
    report = run_doctor(config, timeout=args.timeout)
    if args.json:
        ctx.print_json({"config": str(ctx.config.source) if ctx.config.source else None, **report.to_json()})
        return 0 if report.passed else 1
    source = ctx.config.source or "(defaults and environment only)"
    ctx.out.write(f"kiosk doctor — configuration: {source}\n")
    for r in report.results:
        optional = "" if r.required or r.level in (Level.OK, Level.SKIP) else " (optional)"
        ctx.out.write(f"{MARKS[r.level.value]} {r.name}{optional}: {r.summary}\n")
        if r.fix and r.level in (Level.FAIL, Level.WARN):
            ctx.out.write(f"       fix: {r.fix}\n")
    failures, warnings = report.count(Level.FAIL), report.count(Level.WARN)
    verdict = "PASS" if report.passed else "FAIL"
    ctx.out.write(
        f"result: {verdict} — {failures} required check(s) failed, {warnings} warning(s) "
        f"({report.elapsed_ms} ms)\n"
    )
    return 0 if report.passed else 1
