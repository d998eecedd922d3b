"""``kiosk platform …``: the reference intake platform's server and operator commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kiosk.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    from kiosk.platform.server.cli import add_commands

    parser = subparsers.add_parser(
        "platform",
        help="reference intake platform: serve, keys, publish catalogs, enroll kiosks, operate submissions",
    )
    add_commands(parser)
    # The platform's handlers take (args); adapt them to the kiosk CLI's (args, ctx) convention.
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for sub in getattr(action, "choices", {}).values():
            func = sub.get_default("func")
            if func is not None:
                sub.set_defaults(func=_adapt(func))


def _adapt(func: Callable[[argparse.Namespace], Any]) -> Callable[[argparse.Namespace, CliContext], int]:
    def handler(args: argparse.Namespace, ctx: CliContext) -> int:
        return int(func(args) or 0)

    return handler
