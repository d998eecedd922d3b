"""Suite-wide: never touch the real kiosk data directory of the machine running the tests."""

from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir() -> object:
    """Point ``$KIOSK_DATA_DIR`` (used by configs loaded from the environment and by subprocesses)
    at a throwaway directory for the whole run, unless a test sets its own."""
    previous = os.environ.get("KIOSK_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="kiosk-test-data-") as tmp:
        os.environ["KIOSK_DATA_DIR"] = tmp
        yield tmp
        if previous is None:
            os.environ.pop("KIOSK_DATA_DIR", None)
        else:
            os.environ["KIOSK_DATA_DIR"] = previous
