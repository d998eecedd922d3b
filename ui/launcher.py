"""The program's entry point (`kiosk` and `python main.py`): CLI subcommands or the kiosk GUI.

Kept free of PySide6 imports so that technician commands start fast and work without Qt libraries.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from kiosk.cli.main import main as cli_main
from kiosk.config import KioskConfig
from kiosk.logs import SensitiveValues


def _run_gui(config: KioskConfig, args: argparse.Namespace, sensitive: SensitiveValues) -> int:
    from ui.app import run_gui  # Qt is imported only when the window is wanted

    target = "kiosk.demo:build_demo_core" if args.demo else "kiosk.core:build_core"

    def factory(cfg: KioskConfig) -> Any:
        # imported on the core loader's worker thread: the attract screen paints sooner
        module_name, _, attr = target.partition(":")
        return getattr(importlib.import_module(module_name), attr)(
            cfg, sensitive=sensitive, with_devices=True
        )

    exit_after_ms = int(args.exit_after * 1000) if args.exit_after else None
    return run_gui(config, factory, demo=args.demo, windowed=args.windowed, exit_after_ms=exit_after_ms)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
