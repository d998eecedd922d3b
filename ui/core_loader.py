"""Builds the kiosk core (catalog + search index) on a worker thread, reporting by signal."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kiosk.config import KioskConfig

log = logging.getLogger("kiosk.ui")

CoreFactory = Callable[[KioskConfig], Any]


def lazy_factory(target: str = "kiosk.core:build_core") -> CoreFactory:
    """A factory that imports ``module:function`` when called, i.e. on the worker thread.

    Passing ``lazy_factory()`` instead of ``build_core`` keeps SQLAlchemy and pypinyin imports
    off the GUI thread, so the attract screen is painted ~0.5 s sooner.
    """
    module_name, _, attr = target.partition(":")

    def factory(config: KioskConfig) -> Any:
        return getattr(importlib.import_module(module_name), attr)(config)

    return factory


class CoreLoader(QObject):
    """Runs ``factory(config)`` on the global thread pool.

    The built core has exactly one owner: whoever ``claim()``s it first (the window, when
    ``loaded`` arrives), else ``abandon()`` hands it back for closing; a core that is only finished
    after the loader was abandoned (or deleted) is closed by the worker itself. So a kiosk that
    shuts down while its core is still being built never leaves devices and threads running.

    Signals:
        loaded(object): the core, delivered on the GUI thread.
        failed(str): a short technician-facing reason (the traceback is logged).
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, factory: CoreFactory, config: KioskConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._config = config
        self._done = threading.Event()
        self._alive = True
        self._abandoned = False
        self._built: Any = None  # the core until someone claims it
        self._lock = threading.Lock()
        self.destroyed.connect(self._forget)

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Job(self))

    def wait(self, timeout_s: float) -> bool:
        """Block until the worker finished (for shutdown); True if it did."""
        return self._done.wait(timeout_s)

    def claim(self) -> Any:
        """The built core, to the first caller only (None before it is built, or once taken)."""
        with self._lock:
            core, self._built = self._built, None
            return core

    def abandon(self) -> Any:
        """Nobody will use the core any more: returns it if built and unclaimed (the caller closes
        it); a core finished later is closed on the worker thread."""
        with self._lock:
            self._abandoned = True
            core, self._built = self._built, None
            return core

    def _forget(self) -> None:
        with self._lock:
            self._alive = False
            self._abandoned = True

    def _run(self) -> None:
        try:
            core = self._factory(self._config)
        except Exception as exc:
            log.exception("building the kiosk core failed")
            self._report(self.failed, f"{type(exc).__name__}: {exc}")
        else:
            with self._lock:
                orphan = self._abandoned
                if not orphan:
                    self._built = core
            if orphan:
                log.info("kiosk core finished after shutdown: closing it")
                close_core(core)
            else:
                self._report(self.loaded, core)
        finally:
            self._done.set()

    def _report(self, signal: Any, value: Any) -> None:
        with self._lock:
            if self._alive:
                signal.emit(value)


def close_core(core: Any) -> None:
    """``core.close()`` if it has one; a failure is logged, never raised (shutdown goes on)."""
    close = getattr(core, "close", None)
    if close is None:
        return
    try:
        close()
    except Exception:
        log.exception("closing the kiosk core failed")


class _Job(QRunnable):
    def __init__(self, loader: CoreLoader) -> None:
        super().__init__()
        self._loader = loader

    def run(self) -> None:
        self._loader._run()
