"""UI test fixtures: offscreen Qt, a real kiosk core over the seed catalog, a shown kiosk window."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from uitest_helpers import dispose, make_config, show_window

from kiosk.config import KioskConfig
from kiosk.paths import resource


@pytest.fixture(scope="session")
def seed_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seed catalog; until it exists, a synthetic catalog of the same format."""
    seed = resource("catalog", "seed_catalog.json")
    if seed.is_file():
        return seed
    from kiosk.catalog.generator import generate_catalog

    path = tmp_path_factory.mktemp("catalog") / "synthetic_catalog.json"
    path.write_text(json.dumps(generate_catalog(300, seed=7), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def session_config(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> KioskConfig:
    return make_config(tmp_path_factory.mktemp("data"), seed_path)


@pytest.fixture(scope="session")
def core(session_config: KioskConfig) -> Iterator[object]:
    """The real KioskCore (catalog + search index), built once for the UI tests."""
    from kiosk.core import build_core

    built = build_core(session_config)
    yield built
    built.close()


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ui.i18n import build_translations

    out = tmp_path_factory.mktemp("i18n")
    build_translations(resource("i18n"), out, strict=True)
    return out


@pytest.fixture
def ui_context(qapp, session_config: KioskConfig, qm_dir: Path) -> Iterator[object]:
    from ui.context import UiContext

    ctx = UiContext(qapp, session_config, qm_dir=qm_dir)
    yield ctx
    ctx.close()
    qapp.setStyleSheet("")


@pytest.fixture
def window(qtbot, ui_context, core):
    """A shown portrait kiosk window with the core loaded and a long idle timeout."""
    from kiosk.session import IdlePolicy
    from ui.window import KioskWindow

    win = KioskWindow(ui_context, idle_policy=IdlePolicy(timeout_s=600, warning_s=30))
    show_window(qtbot, win)
    win.set_core(core)
    yield win
    dispose(win)
