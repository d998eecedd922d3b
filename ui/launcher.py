"""The program's entry point (`kiosk` and `python main.py`): CLI subcommands or the kiosk GUI.

Kept free of PySide6 imports so that technician commands start fast and work without Qt libraries.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kiosk.cli.main import main as cli_main
from kiosk.config import KioskConfig


def _run_gui(config: KioskConfig, args: argparse.Namespace) -> int:
    from kiosk.core import build_core
    from ui.app import run_gui  # Qt is imported only when the window is wanted

    exit_after_ms = int(args.exit_after * 1000) if args.exit_after else None
    return run_gui(config, build_core, demo=args.demo, windowed=args.windowed, exit_after_ms=exit_after_ms)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
