"""Loading and validating the configuration; errors name the key and the expected value."""

from __future__ import annotations

import base64
import binascii
import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.config.model import KioskConfig
from kiosk.config.schema import SCHEMA, Option

ENV_PREFIX = "KIOSK_"
DEFAULT_PATHS = (Path("/etc/gov-kiosk/kiosk.toml"), Path.home() / ".config" / "gov-kiosk" / "kiosk.toml")
# Environment variables that are not configuration overrides.
_NON_CONFIG_ENV = {"KIOSK_CONFIG", "KIOSK_DATA_DIR"}


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and what was expected."""


def _suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _coerce(dotted: str, opt: Option, value: Any, from_env: bool) -> Any:
    where = f"environment variable {ENV_PREFIX}{dotted.replace('.', '_').upper()}" if from_env else dotted
    shown = f"a hidden {type(value).__name__} value" if opt.secret else repr(value)  # never echo a secret
    bad = ConfigError(f"{where}: expected {opt.expected()}, got {shown}")
    if from_env:
        value = _parse_env(opt, value, bad)
    if opt.type is bool:
        if not isinstance(value, bool):
            raise bad
    elif opt.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
    elif opt.type is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
        value = float(value)
    elif opt.type is str and not isinstance(value, str):
        raise bad
    if opt.choices and value not in opt.choices:
        raise bad
    if opt.base64 and value:
        try:
            base64.b64decode(value.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error):
            raise bad from None
    if opt.minimum is not None and value < opt.minimum:
        raise bad
    if opt.maximum is not None and value > opt.maximum:
        raise bad
    return value


def _parse_env(opt: Option, raw: str, bad: ConfigError) -> Any:
    if opt.type is bool:
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise bad
    if opt.type is int:
        try:
            return int(raw, 0)
        except ValueError:
            raise bad from None
    if opt.type is float:
        try:
            return float(raw)
        except ValueError:
            raise bad from None
    return raw


def _flatten(doc: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """TOML tables to ``{"devices.printer": {...}}``; dotted section names map to nested tables."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and (name in SCHEMA or any(s.startswith(name + ".") for s in SCHEMA)):
            if name in SCHEMA:
                out[name] = {
                    k: v for k, v in value.items() if not (isinstance(v, dict) and f"{name}.{k}" in SCHEMA)
                }
            out.update(_flatten({k: v for k, v in value.items() if isinstance(v, dict)}, name))
        elif isinstance(value, dict):
            raise ConfigError(f"unknown section [{name}]{_suggest(name, list(SCHEMA))}")
        elif not prefix:
            raise ConfigError(f"{name}: keys must be inside a section such as [kiosk] or [ui]")
    return out


def validate(doc: Mapping[str, Any], env: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Defaults overlaid with ``doc`` (parsed TOML) and ``env``; raises ConfigError on any bad key."""
    values = {section: {k: o.default for k, o in opts.items()} for section, opts in SCHEMA.items()}
    for section, table in _flatten(doc).items():
        opts = SCHEMA[section]
        for key, value in table.items():
            if key not in opts:
                raise ConfigError(f"unknown key {section}.{key}{_suggest(key, list(opts))}")
            values[section][key] = _coerce(f"{section}.{key}", opts[key], value, from_env=False)
    env_keys = {
        f"{ENV_PREFIX}{s.replace('.', '_')}_{k}".upper(): (s, k) for s, o in SCHEMA.items() for k in o
    }
    for name, raw in (env or {}).items():
        if not name.startswith(ENV_PREFIX) or name in _NON_CONFIG_ENV:
            continue
        if name not in env_keys:
            raise ConfigError(f"unknown environment override {name}{_suggest(name, list(env_keys))}")
        section, key = env_keys[name]
        values[section][key] = _coerce(f"{section}.{key}", SCHEMA[section][key], raw, from_env=True)
    return values


def find_config_file(explicit: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    """``--config`` first, then ``$KIOSK_CONFIG``, then the default locations; None if there is none."""
    if explicit:
        return Path(explicit)
    if env.get("KIOSK_CONFIG"):
        return Path(env["KIOSK_CONFIG"])
    return next((p for p in DEFAULT_PATHS if p.is_file()), None)


def load_config(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> KioskConfig:
    """Load, validate and return the effective configuration."""
    env = dict(os.environ) if env is None else dict(env)
    source = find_config_file(path, env)
    doc: dict[str, Any] = {}
    if source is not None:
        try:
            with source.open("rb") as fh:
                doc = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"configuration file {source} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration file {source} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"configuration file {source} cannot be read: {exc.strerror}") from None
    return KioskConfig(validate(doc, env), source, env.get("KIOSK_DATA_DIR") or None)


def masked_view(cfg: KioskConfig) -> dict[str, dict[str, Any]]:
    """The effective configuration with secrets replaced by ``***`` (empty secrets stay empty)."""
    out = cfg.sections()
    for section, opts in SCHEMA.items():
        for key, opt in opts.items():
            if opt.secret and out[section][key]:
                out[section][key] = "***"
    out["kiosk"]["data_dir"] = str(cfg.data_dir)
    return out
