"""Helpers for catalog sync tests: a real root/signing key pair and signed publications."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.platform import signing


@dataclass
class Publisher:
    """Signs publications like the platform does (full live set, version, expiry)."""

    root: Any
    key: Any
    cert: dict[str, str]

    @property
    def root_public(self) -> str:
        return signing.b64e(signing.raw_public_key(self.root))

    def changeset(
        self,
        records: list[dict[str, Any]],
        version: int,
        *,
        since: int = 0,
        upserts: list[dict[str, Any]] | None = None,
        tombstones: list[dict[str, str]] | None = None,
        expires: datetime | None = None,
    ) -> dict[str, Any]:
        expires = expires or datetime.now(UTC) + timedelta(days=30)
        signed = signing.sign_publication(records, version, expires, self.key, self.cert)
        full = since == 0
        return {
            "version": version,
            "since": since,
            "expires": signed["expires"],
            "full": full,
            "upserts": list(records) if full else list(upserts or []),
            "tombstones": [] if full else list(tombstones or []),
            "signature": signed["signature"],
            "signer": signed["signer"],
        }

    def write_bundle(self, path: Path, records: list[dict[str, Any]], version: int, **kw: Any) -> Path:
        path.write_text(json.dumps(self.changeset(records, version, **kw), ensure_ascii=False), "utf-8")
        return path


def make_publisher(cert_days: int = 365) -> Publisher:
    root, key = signing.generate_key(), signing.generate_key()
    cert = signing.certify_signing_key(root, key, datetime.now(UTC) + timedelta(days=cert_days))
    return Publisher(root, key, cert)


def item(n: int, name: str | None = None) -> dict[str, Any]:
    return {
        "kind": "item",
        "id": f"ITEM{n:05d}",
        "data": {"name": name or f"事项{n}", "fee": n * 1.5, "tags": ["社保", "证明"], "n": n},
    }
