"""Attachment files of queued submissions: written, fsynced (file and directory), read, removed."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from kiosk.outbox.crypto import fsync_dir


class Spool:
    """A directory of sealed attachment files named ``<uuid>.bin``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def new_name(self) -> str:
        return f"{uuid.uuid4().hex}.bin"

    def write(self, name: str, data: bytes) -> None:
        """Write ``data`` to a NEW file and fsync it; call ``sync_dir()`` once after a batch."""
        fd = os.open(self.root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)

    def sync_dir(self) -> None:
        fsync_dir(self.root)

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def remove(self, names: Iterable[str]) -> int:
        removed = 0
        for name in names:
            try:
                (self.root / name).unlink()
                removed += 1
            except FileNotFoundError:
                pass
        if removed:
            self.sync_dir()
        return removed

    def orphans(self, referenced: set[str], min_age_s: float = 600.0) -> list[str]:
        """Files no row references and older than ``min_age_s`` (left by a crash before COMMIT)."""
        now = time.time()
        out = []
        for entry in os.scandir(self.root):
            if entry.is_file() and entry.name not in referenced and now - entry.stat().st_mtime >= min_age_s:
                out.append(entry.name)
        return out

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size
