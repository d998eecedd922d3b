"""The kiosk's devices as one set: built from the configuration, started and stopped together,
aggregated into the kiosk's availability (CUSS 2), checked and explained by ``kiosk doctor``.

Qt-free; ``ui/`` attaches its DeviceBridge to ``DeviceSet.adapters()``.
"""

from kiosk.hardware.availability import (
    DeviceReport,
    KioskAvailability,
    KioskState,
    OutOfService,
    Usability,
    assess,
)
from kiosk.hardware.device_set import DeviceSet
from kiosk.hardware.factory import Tuning, build_adapter
from kiosk.hardware.specs import DEVICE_NAMES, FEATURES, DeviceSpec, simulated_config, specs_from_config

__all__ = [
    "DEVICE_NAMES",
    "FEATURES",
    "DeviceReport",
    "DeviceSet",
    "DeviceSpec",
    "KioskAvailability",
    "KioskState",
    "OutOfService",
    "Tuning",
    "Usability",
    "assess",
    "build_adapter",
    "simulated_config",
    "specs_from_config",
]
