"""Rotating log files with redaction of personal data.

Redaction happens in the formatter, on the fully formatted line (message, arguments and
traceback), so nothing that reaches a file or the console can carry an ID number, a phone
number or the name/address of the citizen being served. Code must still never log personal
values on purpose: this is the safety net.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

# 18-digit resident ID (last char may be X), 15-digit legacy ID, and permit numbers on digit runs.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mainland mobile numbers, optionally with +86 and separators; landlines with area code.
_PHONE_RE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"
)
# "name=张三", "姓名：张三", '"name": "张三"', "address=…" style key/value pairs.
_KV_RE = re.compile(
    r"""(?P<key>\b(?:name|full_name|applicant_name|address|phone|mobile|id_number|id_no)\b|姓名|地址|住址|电话|手机|身份证号)"""
    r"""(?P<sep>["']?\s*[:=：]\s*["']?)(?P<value>[^,;，；"'\s)}\]]+)""",
    re.IGNORECASE,
)
MASK = "***"


class SensitiveValues:
    """Values known to be personal for the current session (names, addresses); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()

    def add(self, *values: str) -> None:
        with self._lock:
            self._values.update(v for v in values if v and len(v.strip()) >= 2)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def snapshot(self) -> list[str]:
        with self._lock:
            return sorted(self._values, key=len, reverse=True)


def redact(text: str, sensitive: SensitiveValues | None = None) -> str:
    """Mask ID numbers, phone numbers, labelled personal fields and registered session values."""
    if sensitive is not None:
        for value in sensitive.snapshot():
            text = text.replace(value, MASK)
    text = _KV_RE.sub(lambda m: f"{m.group('key')}{m.group('sep')}{MASK}", text)
    text = _ID_RE.sub(MASK, text)
    return _PHONE_RE.sub(MASK, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output is passed through ``redact``."""

    def __init__(self, fmt: str, sensitive: SensitiveValues | None = None) -> None:
        super().__init__(fmt)
        self.sensitive = sensitive

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.sensitive)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(
    log_dir: Path,
    *,
    level: str = "INFO",
    max_bytes: int = 2_000_000,
    backup_count: int = 5,
    sensitive: SensitiveValues | None = None,
    console: bool = False,
) -> logging.Handler:
    """Attach a rotating file handler (``log_dir/kiosk.log``) to the ``kiosk`` root logger."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.log", maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, sensitive))
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "_kiosk_handler", False)]:
        root.removeHandler(old)
        old.close()
    handler._kiosk_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s", sensitive))
        stream.setLevel(logging.WARNING)
        stream._kiosk_handler = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return handler
