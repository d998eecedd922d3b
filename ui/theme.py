"""QSS themes: ``resources/themes/<name>.qss`` templates with ``@token@`` sizes from UiMetrics."""

from __future__ import annotations

import re
from pathlib import Path

from ui.metrics import UiMetrics

THEMES = ("default", "high_contrast")
_TOKEN = re.compile(r"@([a-z_]+)@")

# Icon colours per theme: on plain buttons, on primary buttons, on dark backgrounds.
ICON_COLORS = {
    "default": {"plain": "#0b3d91", "primary": "#ffffff", "dark": "#ffffff", "ok": "#0a5c2b"},
    "high_contrast": {"plain": "#ffffff", "primary": "#000000", "dark": "#ffffff", "ok": "#7dff9b"},
}


class ThemeError(ValueError):
    """A theme file is missing or uses an unknown token."""


def render_qss(template: str, metrics: UiMetrics, font_family: str) -> str:
    tokens = metrics.tokens()
    tokens["font_family"] = font_family.replace('"', "")

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in tokens:
            raise ThemeError(f"unknown theme token @{name}@")
        return tokens[name]

    return _TOKEN.sub(sub, template)


def load_qss(themes_dir: Path, theme: str, metrics: UiMetrics, font_family: str) -> str:
    if theme not in THEMES:
        raise ThemeError(f"ui.theme: expected one of {', '.join(THEMES)}, got {theme!r}")
    path = themes_dir / f"{theme}.qss"
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ThemeError(f"theme file {path} cannot be read: {exc.strerror}") from None
    return render_qss(template, metrics, font_family)
