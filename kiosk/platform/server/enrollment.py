"""Kiosk enrollment: single-use expiring tokens exchanged for a per-kiosk HMAC secret.

Tokens are stored only as SHA-256 hashes. Secrets must be recoverable (HMAC needs them), so they are
stored AES-GCM encrypted with a server key file ``<data_dir>/keys/kiosk-secrets.key`` (0600): a copy
of the database alone does not reveal them. Losing that key file means re-enrolling every kiosk.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.models import Database, EnrollmentToken, Kiosk, iso, utcnow

KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class SecretBox:
    """AES-GCM with a 256-bit key kept in a 0600 file (created on first use)."""

    def __init__(self, key_path: Path) -> None:
        if not key_path.exists():
            key_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(AESGCM.generate_key(bit_length=256))
                handle.flush()
                os.fsync(handle.fileno())
        self._aead = AESGCM(key_path.read_bytes())

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(sealed[:12], sealed[12:], context)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class EnrollmentService:
    """Issues tokens, enrolls kiosks and looks up secrets (cached for ``cache_s`` seconds)."""

    def __init__(self, db: Database, box: SecretBox, root_keys: list[str], cache_s: float = 5.0) -> None:
        self.db = db
        self.box = box
        self.root_keys = root_keys
        self._cache: dict[str, tuple[float, bytes | None]] = {}
        self._cache_s = cache_s
        self._lock = threading.Lock()

    def issue_token(self, kiosk_id: str, ttl_hours: float = 24) -> str:
        if not KIOSK_ID_RE.match(kiosk_id):
            raise ValueError("kiosk id: 1-64 characters of A-Z a-z 0-9 . _ -")
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.db.session() as session:
            session.add(
                EnrollmentToken(
                    token_hash=_token_hash(token),
                    kiosk_id=kiosk_id,
                    created_at=now,
                    expires_at=now + timedelta(hours=ttl_hours),
                )
            )
        return token

    def enroll(self, token: str, kiosk_id: str, service_point: str | None) -> dict[str, Any]:
        """Consume the token and (re)issue the kiosk's secret."""
        now = utcnow()
        with self.db.session() as session:
            row = session.get(EnrollmentToken, _token_hash(token), with_for_update=True)
            if row is None:
                raise ApiError(403, "invalid_token", "unknown enrollment token")
            if row.used_at is not None:
                raise ApiError(403, "token_used", "the enrollment token was already used")
            if row.expires_at < now:
                raise ApiError(403, "token_expired", "the enrollment token expired")
            if row.kiosk_id != kiosk_id:
                raise ApiError(403, "token_kiosk_mismatch", "the token was issued for another kiosk id")
            row.used_at = now
            secret = self._store_secret(session, kiosk_id, service_point)
        return {
            "kiosk_id": kiosk_id,
            "secret": base64.b64encode(secret).decode("ascii"),
            "catalog_root_keys": self.root_keys,
        }

    def register(self, kiosk_id: str, service_point: str | None = None) -> str:
        """Enroll directly without a token (operator/tests/demo); returns the base64 secret."""
        if not KIOSK_ID_RE.match(kiosk_id):
            raise ValueError("kiosk id: 1-64 characters of A-Z a-z 0-9 . _ -")
        with self.db.session() as session:
            secret = self._store_secret(session, kiosk_id, service_point)
        return base64.b64encode(secret).decode("ascii")

    def _store_secret(self, session: Any, kiosk_id: str, service_point: str | None) -> bytes:
        secret = secrets.token_bytes(32)
        sealed = self.box.seal(secret, kiosk_id.encode("utf-8"))
        kiosk = session.get(Kiosk, kiosk_id)
        if kiosk is None:
            session.add(
                Kiosk(kiosk_id=kiosk_id, service_point=service_point, secret_enc=sealed, enrolled_at=utcnow())
            )
        else:
            kiosk.secret_enc, kiosk.revoked, kiosk.enrolled_at = sealed, False, utcnow()
            kiosk.service_point = service_point or kiosk.service_point
        with self._lock:
            self._cache.pop(kiosk_id, None)
        return secret

    def revoke(self, kiosk_id: str) -> bool:
        with self.db.session() as session:
            kiosk = session.get(Kiosk, kiosk_id)
            if kiosk is None:
                return False
            kiosk.revoked = True
        with self._lock:
            self._cache.pop(kiosk_id, None)
        return True

    def secret_for(self, kiosk_id: str) -> bytes | None:
        """Raw secret of an enrolled, non-revoked kiosk, else None."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(kiosk_id)
        if hit is not None and now - hit[0] < self._cache_s:
            return hit[1]
        secret: bytes | None = None
        if KIOSK_ID_RE.match(kiosk_id):
            with self.db.read_session() as session:
                kiosk = session.get(Kiosk, kiosk_id)
                if kiosk is not None and not kiosk.revoked:
                    try:
                        secret = self.box.open(kiosk.secret_enc, kiosk_id.encode("utf-8"))
                    except InvalidTag:
                        secret = None  # wrong server key file: treat as not enrolled
        if secret is not None:  # unknown kiosks are not cached: enrollment elsewhere applies at once
            with self._lock:
                self._cache[kiosk_id] = (now, secret)
        return secret

    def kiosks(self) -> list[dict[str, Any]]:
        with self.db.read_session() as session:
            return [
                {
                    "kiosk_id": k.kiosk_id,
                    "service_point": k.service_point,
                    "enrolled_at": iso(k.enrolled_at),
                    "revoked": k.revoked,
                    "last_seen_at": iso(k.last_seen_at),
                }
                for k in session.scalars(select(Kiosk).order_by(Kiosk.kiosk_id))
            ]
