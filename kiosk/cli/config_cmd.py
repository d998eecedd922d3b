"""``kiosk config show``: the effective configuration with secrets masked."""

from __future__ import annotations

import argparse

from kiosk.cli.context import CliContext
from kiosk.cli.groups import group
from kiosk.config import masked_view
from kiosk.config.schema import SCHEMA


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    sub = group(subparsers, groups, "config", "show or check the configuration")
    show = sub.add_parser("show", help="print the effective configuration (secrets masked)")
    show.add_argument("--json", action="store_true", help="JSON instead of TOML-like text")
    show.set_defaults(func=_show)
    keys = sub.add_parser("keys", help="list every configuration key with its type, default and meaning")
    keys.set_defaults(func=_keys)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    view = masked_view(ctx.config)
    if args.json:
        ctx.print_json({"source": str(ctx.config.source) if ctx.config.source else None, "config": view})
        return 0
    ctx.out.write(f"# source: {ctx.config.source or '(defaults and environment only)'}\n")
    for section, values in view.items():
        ctx.out.write(f"\n[{section}]\n")
        for key, value in values.items():
            ctx.out.write(f"{key} = {_toml_value(value)}\n")
    return 0


def _keys(args: argparse.Namespace, ctx: CliContext) -> int:
    for section, opts in SCHEMA.items():
        for key, opt in opts.items():
            env = f"KIOSK_{section.replace('.', '_')}_{key}".upper()
            ctx.out.write(
                f"{section}.{key}  ({opt.expected()}; default {opt.default!r}; env {env})\n    {opt.description}\n"
            )
    return 0
