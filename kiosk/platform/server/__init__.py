"""Reference intake platform: FastAPI + uvicorn over SQLAlchemy (SQLite by default, PostgreSQL by URL).

Public entry points: ``start_server_in_thread``, ``PlatformServer``, ``Platform``, ``FaultConfig``,
``create_app``/``build_asgi`` and the CLI (``python -m kiosk.platform.server``, ``cli.register``).
"""

from kiosk.platform.server.app import build_asgi, create_app
from kiosk.platform.server.core import Platform
from kiosk.platform.server.faults import FaultConfig
from kiosk.platform.server.runner import PlatformServer, start_server_in_thread

__all__ = ["FaultConfig", "Platform", "PlatformServer", "build_asgi", "create_app", "start_server_in_thread"]
