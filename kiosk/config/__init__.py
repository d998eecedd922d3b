"""Declarative, validated kiosk configuration (TOML file + environment overrides)."""

from kiosk.config.loader import ConfigError, load_config, masked_view
from kiosk.config.model import KioskConfig

__all__ = ["ConfigError", "KioskConfig", "load_config", "masked_view"]
