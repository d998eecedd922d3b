"""Reference intake platform: FastAPI + uvicorn over SQLAlchemy (SQLite by default, PostgreSQL by URL).

Public entry points: ``start_server_in_thread``, ``PlatformServer``, ``Platform``, ``FaultConfig``,
``create_app``/``build_asgi`` and the CLI (``python -m kiosk.platform.server``, ``cli.register``).
"""

import importlib
from typing import Any

_EXPORTS = {
    "build_asgi": "kiosk.platform.server.app",
    "create_app": "kiosk.platform.server.app",
    "Platform": "kiosk.platform.server.core",
    "FaultConfig": "kiosk.platform.server.faults",
    "PlatformServer": "kiosk.platform.server.runner",
    "start_server_in_thread": "kiosk.platform.server.runner",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import FastAPI and uvicorn only when the server is actually used (keeps the CLI fast)."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
