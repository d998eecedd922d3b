"""What the configuration says about each device: backend, required flag and transport settings.

The four ``devices.*`` sections of the configuration become four DeviceSpecs, always in the same
order. Backend ``none`` means the device is not installed on this kiosk (its features are hidden);
such a device is never required, whatever ``required`` says (``kiosk doctor`` warns about it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kiosk.config import KioskConfig

DEVICE_NAMES = ("id_reader", "smart_card", "printer", "camera")
NO_BACKEND = "none"

# What the kiosk cannot offer while a device is missing or unusable (stable keys for the UI).
FEATURES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "id_reader": ("read-id-card",),
        "smart_card": ("read-social-security-card",),
        "printer": ("print-receipt",),
        "camera": ("scan-qr", "capture-document", "live-photo"),
    }
)

TITLES: Mapping[str, str] = MappingProxyType(
    {
        "id_reader": "ID-card reader (身份证阅读器)",
        "smart_card": "smart-card reader (社保卡读卡器)",
        "printer": "receipt printer (凭条打印机)",
        "camera": "camera (高拍仪/摄像头)",
    }
)


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """One configured device. ``settings`` holds the section's keys other than backend/required."""

    name: str
    backend: str
    required_in_config: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return self.backend != NO_BACKEND

    @property
    def required(self) -> bool:
        """Required for service: only an installed device can be."""
        return self.required_in_config and self.configured

    @property
    def contradictory(self) -> bool:
        """``required = true`` with ``backend = "none"``: treated as not installed."""
        return self.required_in_config and not self.configured

    @property
    def section(self) -> str:
        return f"devices.{self.name}"

    @property
    def features(self) -> tuple[str, ...]:
        return FEATURES.get(self.name, ())


def spec_from_section(name: str, values: Mapping[str, Any]) -> DeviceSpec:
    settings = {k: v for k, v in values.items() if k not in ("backend", "required")}
    return DeviceSpec(
        name,
        str(values.get("backend", NO_BACKEND)),
        bool(values.get("required", False)),
        MappingProxyType(settings),
    )


def specs_from_config(config: KioskConfig) -> list[DeviceSpec]:
    sections = config.sections()
    return [spec_from_section(name, sections.get(f"devices.{name}", {})) for name in DEVICE_NAMES]


def simulated_config(config: KioskConfig) -> KioskConfig:
    """The configuration with every installed device switched to its simulator (``--demo``)."""
    overrides = {
        f"devices.{spec.name}.backend": "simulator" for spec in specs_from_config(config) if spec.configured
    }
    return config.replace(overrides)


def camera_source(backend: str, source: str) -> str:
    """The simulator plays a drawn scene when the source is a camera index (the default ``"0"``)."""
    text = source.strip()
    if backend == "simulator" and (text == "" or text.isdigit()):
        return "synthetic"
    return text
