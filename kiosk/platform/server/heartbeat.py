"""Kiosk heartbeats and the remote configuration answered to them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.models import CatalogVersion, Database, Kiosk, RemoteConfig, utcnow
from kiosk.platform.server.schemas import HeartbeatIn, parse_body

DEFAULT_CONFIG: dict[str, Any] = {"poll_interval_s": 300, "maintenance_message": None}
GLOBAL = "*"


class HeartbeatService:
    """Records the last heartbeat per kiosk; configuration = defaults < global rows < per-kiosk rows."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def beat(self, kiosk_id: str, payload: Any) -> dict[str, Any]:
        body = parse_body(HeartbeatIn, payload)
        if body.kiosk_id != kiosk_id:
            raise ApiError(403, "kiosk_mismatch", "kiosk_id in the body differs from the signing kiosk")
        with self.db.session() as session:
            kiosk = session.get(Kiosk, kiosk_id)
            if kiosk is not None:
                kiosk.last_seen_at = utcnow()
                kiosk.last_heartbeat = json.dumps(body.model_dump(), ensure_ascii=False)
        return {"config": self.config_for(kiosk_id)}

    def config_for(self, kiosk_id: str) -> dict[str, Any]:
        config = dict(DEFAULT_CONFIG)
        with self.db.read_session() as session:
            rows = session.scalars(
                select(RemoteConfig).where(RemoteConfig.kiosk_id.in_([GLOBAL, kiosk_id]))
            ).all()
            for row in sorted(rows, key=lambda r: r.kiosk_id != GLOBAL):
                config[row.key] = json.loads(row.value_json)
            config["latest_catalog_version"] = session.scalar(select(func.max(CatalogVersion.version))) or 0
        return config

    def set_config(self, key: str, value: Any, kiosk_id: str = GLOBAL) -> None:
        """Set (or with ``value`` None on a per-kiosk key, clear) one configuration value."""
        with self.db.session() as session:
            session.execute(
                delete(RemoteConfig).where(RemoteConfig.kiosk_id == kiosk_id, RemoteConfig.key == key)
            )
            if value is not None or kiosk_id == GLOBAL:
                session.add(
                    RemoteConfig(kiosk_id=kiosk_id, key=key, value_json=json.dumps(value, ensure_ascii=False))
                )

    def last_heartbeats(self) -> dict[str, Any]:
        with self.db.read_session() as session:
            return {
                k.kiosk_id: json.loads(k.last_heartbeat) if k.last_heartbeat else None
                for k in session.scalars(select(Kiosk))
            }
