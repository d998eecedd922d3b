"""Run the real CLI in-process (``kiosk.cli.main.main(argv)``) against a TOML file in tmp_path."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devices.id_card.simulator import SamReaderEmulator
from devices.printer import TcpPrinterEmulator
from kiosk.cli.main import main

REPO = Path(__file__).resolve().parents[2]
MEDIA = REPO / "resources" / "media"


@dataclass
class CliResult:
    code: int
    out: str
    err: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.out)


def toml_text(sections: dict[str, dict[str, Any]]) -> str:
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        for key, value in values.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float):
                lines.append(f"{key} = {value}")
            else:
                lines.append(f"{key} = {json.dumps(str(value), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """A kiosk.toml with the given sections over a test baseline (simulators, small camera)."""

    def write(sections: dict[str, dict[str, Any]] | None = None, name: str = "kiosk.toml") -> Path:
        merged: dict[str, dict[str, Any]] = {
            "kiosk": {"data_dir": str(tmp_path / "data")},
            "devices.camera": {"width": 320, "height": 240},
        }
        for section, values in (sections or {}).items():
            merged.setdefault(section, {}).update(values)
        path = tmp_path / name
        path.write_text(toml_text(merged), "utf-8")
        return path

    return write


@pytest.fixture
def kiosk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], write_config
) -> Callable[..., CliResult]:
    """``kiosk("device", "read-id", ..., config=path)`` -> CliResult (argparse errors give code 2)."""
    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)
    default = write_config()

    def run(*argv: str, config: Path | None = None) -> CliResult:
        capsys.readouterr()
        started = time.monotonic()
        try:
            code = main(["--config", str(config or default), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        seconds = time.monotonic() - started
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err, seconds)

    return run


@pytest.fixture
def sam_emulator(tmp_path: Path) -> Iterator[SamReaderEmulator]:
    emulator = SamReaderEmulator(link_path=tmp_path / "ttyID0").start()
    yield emulator
    emulator.stop()


@pytest.fixture
def printer_emulator() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(encoding="gb18030") as emulator:
        yield emulator
