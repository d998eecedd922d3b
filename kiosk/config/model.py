"""The validated, immutable configuration object."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any


class Section:
    """Read-only attribute view of one configuration section (``cfg.ui.font_scale``)."""

    __slots__ = ("_name", "_values")

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"no configuration key {self._name}.{key}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("configuration is read-only")

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


class _Group:
    """Attribute access to dotted sections: ``cfg.devices.printer``."""

    def __init__(self, sections: Mapping[str, Section], prefix: str) -> None:
        self._sections = sections
        self._prefix = prefix

    def __getattr__(self, key: str) -> Section:
        try:
            return self._sections[f"{self._prefix}.{key}"]
        except KeyError:
            raise AttributeError(f"no configuration section {self._prefix}.{key}") from None


class KioskConfig:
    """Effective configuration: defaults, then the TOML file, then ``KIOSK_*`` environment overrides."""

    def __init__(
        self, values: Mapping[str, Mapping[str, Any]], source: Path | None = None, env_data_dir: str | None = None
    ) -> None:
        self._sections = {name: Section(name, v) for name, v in values.items()}
        self.source = source
        self.env_data_dir = env_data_dir  # $KIOSK_DATA_DIR of the environment the config was loaded from

    def __getattr__(self, name: str) -> Any:
        sections = self.__dict__.get("_sections", {})
        if name in sections:
            return sections[name]
        if any(s.startswith(name + ".") for s in sections):
            return _Group(sections, name)
        raise AttributeError(f"no configuration section {name}")

    def get(self, dotted: str) -> Any:
        section, _, key = dotted.rpartition(".")
        return getattr(self._sections[section], key)

    def sections(self) -> dict[str, dict[str, Any]]:
        return {name: s.as_dict() for name, s in self._sections.items()}

    def replace(self, overrides: Mapping[str, Any]) -> KioskConfig:
        """A copy with ``{"section.key": value}`` overrides (already validated values)."""
        values = self.sections()
        for dotted, value in overrides.items():
            section, _, key = dotted.rpartition(".")
            values[section][key] = value
        return KioskConfig(values, self.source, self.env_data_dir)

    @property
    def data_dir(self) -> Path:
        configured = self._sections["kiosk"].data_dir
        if configured:
            return Path(configured).expanduser()
        if self.env_data_dir:
            return Path(self.env_data_dir).expanduser()
        return Path.home() / ".local" / "share" / "gov-kiosk"
