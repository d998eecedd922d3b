"""Choosing the Qt platform when there is no display."""

from __future__ import annotations

import sys
from collections.abc import Mapping

OFFSCREEN_MESSAGE = (
    "kiosk: no display found (DISPLAY and WAYLAND_DISPLAY are unset): running on Qt's offscreen "
    "platform, nothing is shown on screen. Run under `xvfb-run` or on the kiosk's display to see it."
)


def headless_platform(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """``"offscreen"`` when Linux has no display and QT_QPA_PLATFORM is unset, else None."""
    if env.get("QT_QPA_PLATFORM"):
        return None
    if platform.startswith("linux") and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return "offscreen"
    return None


def is_offscreen(platform_name: str) -> bool:
    return platform_name in ("offscreen", "minimal")
