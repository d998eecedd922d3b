"""The configuration is validated: wrong keys and types stop start-up with a precise message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config, masked_view


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_serve_the_demo() -> None:
    cfg = load_config(env={})
    assert cfg.source is None
    assert cfg.ui.idle_warning_s >= 20
    assert cfg.devices.id_reader.backend == "simulator"
    assert cfg.service_point.code == "SP-330106-001"


def test_file_values_and_nested_device_sections(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[ui]\nfont_scale = 1.5\n\n[devices.printer]\nbackend = "network"\npaper_mm = 58\n'
    )
    cfg = load_config(path, env={})
    assert cfg.ui.font_scale == 1.5
    assert cfg.devices.printer.backend == "network"
    assert cfg.devices.printer.paper_mm == 58
    assert cfg.source == path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ui]\nidel_timeout_s = 60\n", "unknown key ui.idel_timeout_s (did you mean 'idle_timeout_s'?)"),
        (
            '[ui]\nidle_timeout_s = "60"\n',
            "ui.idle_timeout_s: expected an integer between 15 and 3600, got '60'",
        ),
        ("[ui]\nidle_warning_s = 5\n", "ui.idle_warning_s: expected an integer between 20 and 300, got 5"),
        ("[devices.printer]\npaper_mm = 57\n", "devices.printer.paper_mm: expected one of 58, 80, got 57"),
        ("[ui]\nfullscreen = 1\n", "ui.fullscreen: expected a boolean (true/false), got 1"),
        ("[uii]\nfont_scale = 1\n", "unknown section [uii] (did you mean 'ui'?)"),
        ("font_scale = 1\n", "font_scale: keys must be inside a section"),
        ("[ui\n", "is not valid TOML"),
    ],
)
def test_bad_values_name_the_key_and_the_expected_value(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text), env={})
    assert message in str(err.value)


def test_environment_overrides_are_validated_too(tmp_path: Path) -> None:
    cfg = load_config(env={"KIOSK_UI_FONT_SCALE": "1.25", "KIOSK_DEVICES_PRINTER_PORT": "9101"})
    assert cfg.ui.font_scale == 1.25
    assert cfg.devices.printer.port == 9101
    with pytest.raises(ConfigError, match="KIOSK_UI_FULLSCREEN: expected a boolean"):
        load_config(env={"KIOSK_UI_FULLSCREEN": "maybe"})
    with pytest.raises(ConfigError, match="unknown environment override KIOSK_UI_FONTSCALE"):
        load_config(env={"KIOSK_UI_FONTSCALE": "1"})


def test_kiosk_config_env_points_at_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[logging]\nlevel = "DEBUG"\n')
    assert load_config(env={"KIOSK_CONFIG": str(path)}).logging.level == "DEBUG"
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(env={"KIOSK_CONFIG": str(tmp_path / "missing.toml")})


def test_secrets_are_masked(tmp_path: Path) -> None:
    path = write(tmp_path, '[platform]\nkiosk_secret = "s3cr3tvalue0"\nurl = "https://platform.example"\n')
    view = masked_view(load_config(path, env={}))
    assert view["platform"]["kiosk_secret"] == "***"
    assert view["platform"]["url"] == "https://platform.example"
    assert "s3cr3t" not in repr(view)


def test_cli_refuses_to_start_on_a_bad_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\nfont_scael = 1.2\n")
    proc = subprocess.run(
        [sys.executable, "main.py", "--config", str(path), "config", "show"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown key ui.font_scael (did you mean 'font_scale'?)" in proc.stderr


def test_cli_config_show_masks_secrets(tmp_path: Path) -> None:
    path = write(tmp_path, '[platform]\nkiosk_secret = "abcdef123456"\n')
    proc = subprocess.run(
        [sys.executable, "main.py", "--config", str(path), "config", "show"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert 'kiosk_secret = "***"' in proc.stdout
    assert "abcdef123" not in proc.stdout
    assert "[devices.printer]" in proc.stdout


def test_a_malformed_secret_is_rejected_without_echoing_it(tmp_path: Path) -> None:
    for text in ('kiosk_secret = "not base64!!"', "kiosk_secret = 4711"):
        path = write(tmp_path, f"[platform]\n{text}\n")
        with pytest.raises(ConfigError, match=r"platform\.kiosk_secret: expected base64") as info:
            load_config(path, env={})
        assert "base64!!" not in str(info.value) and "4711" not in str(info.value)
    with pytest.raises(ConfigError, match="KIOSK_PLATFORM_KIOSK_SECRET") as info:
        load_config(None, env={"KIOSK_PLATFORM_KIOSK_SECRET": "sec ret"})
    assert "sec ret" not in str(info.value)
    valid = write(tmp_path, '[platform]\nkiosk_secret = "c2VjcmV0LWtleS0wMQ=="\n')
    assert load_config(valid, env={}).platform.kiosk_secret == "c2VjcmV0LWtleS0wMQ=="
