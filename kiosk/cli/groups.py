"""Shared command groups (``kiosk catalog …``, ``kiosk device …``) that several modules extend."""

from __future__ import annotations

import argparse


def group(
    subparsers: argparse._SubParsersAction,
    groups: dict[str, argparse._SubParsersAction],
    name: str,
    help_text: str,
) -> argparse._SubParsersAction:
    """The sub-command action of group ``name``, created on first use."""
    if name not in groups:
        parser = subparsers.add_parser(name, help=help_text)
        groups[name] = parser.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
    return groups[name]
