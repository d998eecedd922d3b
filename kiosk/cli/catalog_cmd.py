"""``kiosk catalog search``: the same ranked search the kiosk screen uses."""

from __future__ import annotations

import argparse

from kiosk.cli.context import CliContext
from kiosk.cli.groups import group


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    sub = group(subparsers, groups, "catalog", "the service-item catalog")
    search = sub.add_parser("search", help="search items by Chinese text, pinyin, initials, code or synonym")
    search.add_argument("query", help="e.g. 社保, shebao, sbk, 户口, a 12-digit basic code")
    search.add_argument("--limit", type=int, default=20, help="maximum results (default 20)")
    search.add_argument("--json", action="store_true", help="print a JSON list")
    search.set_defaults(func=_search)


def _search(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.limit < 1:
        return ctx.fail("--limit must be at least 1", 2)
    hits = ctx.core.search(args.query, limit=args.limit)
    if args.json:
        ctx.print_json([hit.to_json() for hit in hits])
        return 0
    if not hits:
        ctx.out.write("no results\n")
    for n, hit in enumerate(hits, 1):
        here = "本机可办" if hit.kiosk_supported else "窗口办理"
        ctx.out.write(f"{n:>3}. {hit.name}  [{hit.department}]  {hit.code}  ({hit.match}, {here})\n")
    return 0
