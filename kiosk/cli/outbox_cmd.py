"""``kiosk outbox``: queue health for technicians (never personal data) and dead-letter retry."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from kiosk.cli.context import CliContext
from kiosk.paths import DataPaths
from offline_cache.outbox_store import STATES, OutboxStore  # light: no SQLAlchemy engine import


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    parser = subparsers.add_parser(
        "outbox", help="queued submissions: counts per state, oldest pending age, bytes pending"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_summary)
    sub = parser.add_subparsers(dest="outbox_command", metavar="SUBCOMMAND")
    listing = sub.add_parser("list", help="queued items (metadata only: id, kind, state, sizes, errors)")
    listing.add_argument("--state", choices=STATES, action="append", help="only these states (repeatable)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=_list)
    retry = sub.add_parser("retry", help="move dead-letter items back to the queue")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("ids", nargs="*", type=int, default=[], metavar="ID", help="outbox item ids")
    which.add_argument("--all-dead", action="store_true", help="every dead-letter item")
    retry.add_argument("--json", action="store_true", help="print JSON")
    retry.set_defaults(func=_retry)


def _store(ctx: CliContext) -> OutboxStore:
    from offline_cache.db import Database

    return OutboxStore(Database(DataPaths(ctx.data_dir).database))


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _summary(args: argparse.Namespace, ctx: CliContext) -> int:
    from kiosk.outbox.service import outbox_summary

    store = _store(ctx)
    try:
        summary = outbox_summary(store, time.time())
    finally:
        store.db.close()
    if args.json:
        ctx.print_json(summary)
        return 0
    counts = summary["counts"]
    ctx.out.write("state       count\n")
    for state in STATES:
        ctx.out.write(f"{state:<10} {counts[state]:>6}\n")
    ctx.out.write(f"oldest pending: {_age(summary['oldest_pending_age_s'])}\n")
    ctx.out.write(f"bytes pending:  {summary['bytes_pending']}\n")
    if counts["dead"]:
        ctx.out.write(f"{counts['dead']} dead-letter item(s): `kiosk outbox list --state dead`, then retry\n")
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    store = _store(ctx)
    try:
        rows = store.list_items(tuple(args.state or STATES))
    finally:
        store.db.close()
    items = [row.metadata() for row in rows]
    if args.json:
        ctx.print_json(items)
        return 0
    for it in items:
        created = datetime.fromtimestamp(it["created_at"], UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        size = it["payload_bytes"] + it["attachment_bytes"]
        error = f"  HTTP {it['last_http_status']} {it['last_error']}" if it["last_error"] else ""
        ctx.out.write(
            f"{it['id']:>6}  {it['kind']:<10} {it['state']:<9} {it['receipt_no']:<24} {created} "
            f"{size:>9} B  attempts {it['attempts']}{error}\n"
        )
    if not items:
        ctx.out.write("no items\n")
    return 0


def _retry(args: argparse.Namespace, ctx: CliContext) -> int:
    store = _store(ctx)
    try:
        moved = store.retry_dead(None if args.all_dead else args.ids)
    finally:
        store.db.close()
    if args.json:
        ctx.print_json({"requeued": moved})
    else:
        ctx.out.write(f"{moved} item(s) moved back to pending\n")
    if not args.all_dead and moved < len(args.ids):
        return ctx.fail(f"{len(args.ids) - moved} id(s) are not dead-letter items", 1)
    return 0
