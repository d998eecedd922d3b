"""Where the kiosk's bundled resources and per-kiosk data live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The layout of the data directory (``kiosk.data_dir``)."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "kiosk.db"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def spool(self) -> Path:
        return self.root / "spool"

    @property
    def keys(self) -> Path:
        return self.root / "keys"


def resource(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)
