"""Entry point: parse arguments, load the configuration, run a subcommand or the kiosk GUI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from kiosk.cli.context import CliContext
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.logs import SensitiveValues, setup_logging
from kiosk.paths import DataPaths

# Modules exposing ``register(subparsers)``; each adds its subcommands with ``set_defaults(func=...)``.
COMMAND_MODULES = (
    "kiosk.cli.config_cmd",
    "kiosk.cli.catalog_cmd",
    "kiosk.cli.device_cmd",
    "kiosk.cli.doctor_cmd",
    "kiosk.cli.catalog_sync_cmd",
    "kiosk.cli.sync_cmd",
    "kiosk.cli.outbox_cmd",
    "kiosk.cli.platform_cmd",
)

GuiEntry = Callable[[KioskConfig, argparse.Namespace, SensitiveValues], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="24-hour government self-service kiosk (综合自助办事服务机). "
        "Without a command it opens the kiosk window.",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="TOML configuration file (default: $KIOSK_CONFIG, "
        "/etc/gov-kiosk/kiosk.toml, ~/.config/gov-kiosk/kiosk.toml)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="demo mode: simulated devices and a local platform"
    )
    parser.add_argument(
        "--windowed", action="store_true", help="a normal window instead of fullscreen (development)"
    )
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers, groups)
    return parser


def main(argv: Sequence[str] | None = None, gui: GuiEntry | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        sys.stderr.write(f"kiosk: invalid configuration: {exc}\n")
        return 2
    sensitive = SensitiveValues()
    _start_logging(config, sensitive)
    func = getattr(args, "func", None)
    if func is None:
        if args.command is not None:  # a group without its subcommand
            parser.parse_args([args.command, "--help"])
        if gui is None:
            sys.stderr.write(
                "kiosk: the GUI is not available from this entry point; run `kiosk` or `python main.py`\n"
            )
            return 2
        return gui(config, args, sensitive)
    ctx = CliContext(config)
    try:
        return int(func(args, ctx) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        storage_error = _storage_error_type()
        if storage_error is not None and isinstance(exc, storage_error):
            # a corrupt, read-only or unopenable database: say which, no traceback
            return ctx.fail(f"local storage unusable: {exc}", 1)
        raise


def _storage_error_type() -> type[Exception] | None:
    """``offline_cache.db.StorageError`` if that module is loaded (it cannot be raised otherwise)."""
    module = sys.modules.get("offline_cache.db")
    return getattr(module, "StorageError", None) if module is not None else None


def _start_logging(config: KioskConfig, sensitive: SensitiveValues) -> None:
    """Rotating, redacted log files in the data directory; a read-only disk is reported, not fatal."""
    log_dir = DataPaths(config.data_dir).logs
    try:
        setup_logging(
            log_dir,
            level=config.logging.level,
            max_bytes=config.logging.max_bytes,
            backup_count=config.logging.backup_count,
            sensitive=sensitive,
        )
    except OSError as exc:
        sys.stderr.write(
            f"kiosk: cannot write logs to {log_dir}: {exc.strerror or exc}; logging to stderr only\n"
        )
