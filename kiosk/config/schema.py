"""The configuration schema: every key, its type, default, bounds and description.

This table is the single source of truth: the loader validates against it, `kiosk config show`
prints it, and the README documents it. Unknown keys are errors (nothing is guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Option:
    """One configuration key."""

    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    secret: bool = False
    base64: bool = False  # a non-empty string value must be valid base64 text

    def expected(self) -> str:
        """Human description of an acceptable value, used in error messages."""
        if self.base64:
            return "base64 text (or empty)"
        name = {bool: "a boolean (true/false)", int: "an integer", float: "a number", str: "a string"}[
            self.type
        ]
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"{name} between {self.minimum:g} and {self.maximum:g}"
        if self.minimum is not None:
            return f"{name} >= {self.minimum:g}"
        return name


SCHEMA: dict[str, dict[str, Option]] = {
    "kiosk": {
        "id": Option(str, "demo-kiosk-001", "Kiosk identifier issued at enrollment"),
        "name": Option(str, "市民中心24小时自助服务区 1号机", "Display name of this kiosk"),
        "data_dir": Option(
            str,
            "",
            "Data directory (database, logs, spool); empty = $KIOSK_DATA_DIR or ~/.local/share/gov-kiosk",
        ),
        "language": Option(str, "zh_CN", "Default UI language", choices=("zh_CN", "en_US")),
    },
    "service_point": {
        "code": Option(str, "SP-330106-001", "Code of the service point that hosts the kiosk"),
        "name": Option(str, "西湖区市民之家", "Name of the service point"),
        "level": Option(
            str, "区县", "Level in the four-level service system", choices=("市", "区县", "乡镇", "村")
        ),
        "region_code": Option(str, "330106", "Administrative region code (GB/T 2260)"),
        "address": Option(str, "杭州市西湖区文三路 100 号", "Street address"),
        "hours": Option(str, "24小时自助服务", "Opening hours"),
        "latitude": Option(
            float, 30.2741, "Latitude, for 就近办 (nearest service points)", minimum=-90, maximum=90
        ),
        "longitude": Option(float, 120.1551, "Longitude", minimum=-180, maximum=180),
    },
    "ui": {
        "fullscreen": Option(bool, True, "Frameless fullscreen window (--windowed overrides)"),
        "orientation": Option(str, "auto", "Screen layout", choices=("auto", "portrait", "landscape")),
        "font_scale": Option(float, 1.0, "Global font scale", minimum=0.8, maximum=2.5),
        "elderly_mode": Option(bool, False, "Start in 长辈模式 (larger text, 60 px targets)"),
        "idle_timeout_s": Option(
            int, 90, "Seconds of silence before the timeout warning", minimum=15, maximum=3600
        ),
        "idle_warning_s": Option(int, 30, "Countdown length of the timeout warning", minimum=20, maximum=300),
        "theme": Option(str, "default", "QSS theme", choices=("default", "high_contrast")),
    },
    "catalog": {
        "seed_path": Option(
            str, "", "Seed catalog JSON; empty = the bundled resources/catalog/seed_catalog.json"
        ),
        "search_limit": Option(int, 30, "Maximum search results shown", minimum=1, maximum=500),
    },
    "logging": {
        "level": Option(str, "INFO", "Log level", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
        "max_bytes": Option(int, 2_000_000, "Rotate a log file at this size", minimum=10_000),
        "backup_count": Option(int, 5, "Rotated log files kept", minimum=1, maximum=100),
    },
    "platform": {
        "url": Option(str, "", "Base URL of the intake platform; empty = offline only (demo starts its own)"),
        "verify_tls": Option(bool, True, "Verify the platform's TLS certificate"),
        "ca_file": Option(str, "", "CA bundle pinned for the platform; empty = system CAs"),
        "client_cert": Option(str, "", "Client certificate for mutual TLS"),
        "client_key": Option(str, "", "Client key for mutual TLS", secret=True),
        "kiosk_secret": Option(
            str,
            "",
            "Per-kiosk request-signing secret issued at enrollment (base64)",
            secret=True,
            base64=True,
        ),
        "poll_interval_s": Option(int, 300, "Catalog poll interval (jittered)", minimum=5, maximum=86400),
        "timeout_s": Option(float, 15.0, "HTTP timeout", minimum=0.5, maximum=300),
    },
    "outbox": {
        "retention_days": Option(
            int, 7, "Days personal data is kept after the platform acknowledges it", minimum=0, maximum=365
        ),
        "chunk_bytes": Option(int, 262_144, "Upload chunk size", minimum=4096, maximum=16_777_216),
        "key_file": Option(str, "", "AES-GCM key file (0600); empty = <data_dir>/keys/outbox.key"),
    },
    "devices.id_reader": {
        "backend": Option(
            str, "simulator", "ID-card reader backend", choices=("sam-serial", "sdtapi", "simulator", "none")
        ),
        "port": Option(str, "", "Serial port of a sam-serial reader (e.g. /dev/ttyUSB0)"),
        "baud": Option(int, 115200, "Serial baud rate", choices=(9600, 19200, 38400, 57600, 115200)),
        "library": Option(str, "", "Path of the vendor sdtapi library (backend sdtapi only)"),
        "required": Option(bool, True, "The kiosk is out of service without it"),
    },
    "devices.smart_card": {
        "backend": Option(
            str,
            "simulator",
            "Smart-card (social security card) backend",
            choices=("pcsc", "simulator", "none"),
        ),
        "reader": Option(str, "", "PC/SC reader name (substring); empty = first reader"),
        "required": Option(bool, False, "The kiosk is out of service without it"),
    },
    "devices.printer": {
        "backend": Option(
            str,
            "simulator",
            "Receipt printer transport",
            choices=("usb", "serial", "network", "file", "simulator", "none"),
        ),
        "host": Option(str, "127.0.0.1", "Network printer host"),
        "port": Option(int, 9100, "Network printer TCP port", minimum=1, maximum=65535),
        "device": Option(str, "", "Serial port or file path of the printer"),
        "baud": Option(int, 9600, "Serial baud rate", choices=(9600, 19200, 38400, 57600, 115200)),
        "usb_vendor_id": Option(int, 0, "USB vendor id", minimum=0, maximum=0xFFFF),
        "usb_product_id": Option(int, 0, "USB product id", minimum=0, maximum=0xFFFF),
        "paper_mm": Option(int, 80, "Paper width", choices=(58, 80)),
        "encoding": Option(str, "gb18030", "Chinese text path", choices=("gb18030", "gbk", "utf8", "raster")),
        "kanji_mode": Option(bool, True, "Send FS & (Chinese character mode) after initialising"),
        "required": Option(bool, True, "The kiosk is out of service without it"),
    },
    "devices.camera": {
        "backend": Option(str, "simulator", "Camera backend", choices=("opencv", "simulator", "none")),
        "source": Option(
            str, "0", "OpenCV source: index, device path, URL or video file; simulator: media path"
        ),
        "width": Option(int, 1280, "Capture width", minimum=160, maximum=7680),
        "height": Option(int, 720, "Capture height", minimum=120, maximum=4320),
        "required": Option(bool, False, "The kiosk is out of service without it"),
    },
}
