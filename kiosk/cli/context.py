"""What every CLI handler receives: the validated configuration and lazily built services."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.config import KioskConfig

if TYPE_CHECKING:
    from kiosk.core import KioskCore


@dataclass
class CliContext:
    config: KioskConfig
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    @cached_property
    def core(self) -> KioskCore:
        from kiosk.core import build_core

        return build_core(self.config)

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2, default=str)
        self.out.write("\n")

    def fail(self, message: str, code: int = 1) -> int:
        self.err.write(f"kiosk: {message}\n")
        return code
