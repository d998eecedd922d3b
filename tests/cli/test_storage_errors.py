"""The CLI on unusable local storage: a one-line message and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.mark.parametrize("argv", [("outbox",), ("catalog", "info"), ("outbox", "list")])
def test_corrupt_database_is_reported_without_traceback(
    kiosk: Callable[..., object], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "kiosk.db").write_bytes(b"this is not an SQLite database" * 200)
    result = kiosk(*argv)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "local storage unusable" in result.err and "corrupt" in result.err


def test_unopenable_database_is_reported_without_traceback(
    kiosk: Callable[..., object], tmp_path: Path
) -> None:
    (tmp_path / "data" / "kiosk.db").mkdir(parents=True)
    result = kiosk("outbox", "--json")
    assert result.code == 1 and result.out == ""
    assert "cannot open" in result.err
