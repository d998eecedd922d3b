"""Sizes derived from one scale factor: ``ui.font_scale`` × the elderly-mode factor.

Pixel sizes, not points, so a 1080x1920 kiosk looks the same whatever DPI the panel reports.
At 96 dpi, 24 px = 18 pt: body text never drops below that in elderly mode (适老化 ≥18 pt), and
touch targets are at least 44 px (60 px in elderly mode). Those sizes are for the 1080x1920 /
1920x1080 design screen; ``display_scale`` shrinks or grows everything, minimums included, for
a screen or development window of another size, so the layout stays the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ELDERLY_FACTOR = 1.3
MIN_TARGET_PX = 44
MIN_TARGET_ELDERLY_PX = 60
MIN_TEXT_ELDERLY_PX = 24


@dataclass(frozen=True, slots=True)
class UiMetrics:
    """Font and target sizes for the current font scale and mode."""

    font_scale: float = 1.0
    elderly: bool = False
    display_scale: float = 1.0  # screen size / design size (1.0 on a 1080x1920 or 1920x1080 screen)

    @property
    def scale(self) -> float:
        return self.font_scale * (ELDERLY_FACTOR if self.elderly else 1.0) * self.display_scale

    def _px(self, base: float, floor: int = 0) -> int:
        return max(round(floor * self.display_scale), round(base * self.scale))

    @property
    def min_target_px(self) -> int:
        return MIN_TARGET_ELDERLY_PX if self.elderly else MIN_TARGET_PX

    @property
    def min_text_px(self) -> int:
        return MIN_TEXT_ELDERLY_PX if self.elderly else 16

    @property
    def body_px(self) -> int:
        return self._px(24, self.min_text_px)

    @property
    def small_px(self) -> int:
        return self._px(20, self.min_text_px)

    @property
    def heading_px(self) -> int:
        return self._px(30, self.min_text_px)

    @property
    def title_px(self) -> int:
        return self._px(40, self.min_text_px)

    @property
    def hero_px(self) -> int:
        return self._px(64, self.min_text_px)

    @property
    def key_px(self) -> int:
        return self._px(30, self.min_text_px)

    @property
    def target_px(self) -> int:
        return self._px(60, self.min_target_px)

    @property
    def key_target_px(self) -> int:
        return self._px(64, self.min_target_px)

    @property
    def big_target_px(self) -> int:
        return self._px(88, self.min_target_px)

    @property
    def wide_px(self) -> int:
        return self._px(360)

    @property
    def spacing_px(self) -> int:
        return self._px(12)

    @property
    def radius_px(self) -> int:
        return self._px(12)

    def with_elderly(self, elderly: bool) -> UiMetrics:
        return replace(self, elderly=elderly)

    def with_display_scale(self, display_scale: float) -> UiMetrics:
        return replace(self, display_scale=display_scale)

    def tokens(self) -> dict[str, str]:
        """Values substituted for ``@name@`` in the QSS templates."""
        names = [
            "body_px",
            "small_px",
            "heading_px",
            "title_px",
            "hero_px",
            "key_px",
            "target_px",
            "key_target_px",
            "big_target_px",
            "wide_px",
            "spacing_px",
            "radius_px",
        ]
        out = {name: str(getattr(self, name)) for name in names}
        out["half_spacing_px"] = str(max(2, self.spacing_px // 2))
        out["border_px"] = str(max(2, round(2 * self.scale)))
        return out
