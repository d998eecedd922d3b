"""Trust anchors and the kiosk's platform credential.

* Pinned catalog root keys: ``resources/keys/*.pub`` (base64 of the raw 32-byte Ed25519 key, one per
  file; PEM ``PUBLIC KEY`` files are accepted too), plus the roots received at enrollment.
* The enrollment result lives in ``<data_dir>/keys/platform.json`` (mode 0600): kiosk id, the base64
  request-signing secret and the catalog root keys. ``platform.kiosk_secret`` in the configuration,
  when set, overrides the stored secret.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.outbox.crypto import fsync_dir
from kiosk.platform import signing

CREDENTIAL_FILE = "platform.json"


class TrustError(ValueError):
    """A key file cannot be parsed; the message names it."""


def parse_public_key(text: str, where: str = "key") -> str:
    """Base64 of the raw Ed25519 public key held in ``text`` (base64 raw or PEM)."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
            if not isinstance(key, Ed25519PublicKey):
                raise TrustError(f"{where}: not an Ed25519 public key")
            return signing.b64e(signing.raw_public_key(key))
        if text.startswith("{"):
            text = str(json.loads(text)["public_key"])
        signing.load_public_key(text)
        return text
    except TrustError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise TrustError(f"{where}: not an Ed25519 public key ({exc})") from None


def load_root_keys(pinned_dir: Path | None, data_dir: Path | None = None) -> list[str]:
    """All trusted catalog root keys (base64 raw), pinned ones first, without duplicates."""
    keys: list[str] = []
    if pinned_dir is not None and Path(pinned_dir).is_dir():
        for path in sorted(Path(pinned_dir).glob("*.pub")):
            keys.append(parse_public_key(path.read_text(encoding="utf-8"), str(path)))
    if data_dir is not None:
        cred = load_credential(data_dir)
        if cred is not None:
            keys.extend(parse_public_key(k, "enrolled root key") for k in cred.catalog_root_keys)
    return list(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True)
class Credential:
    kiosk_id: str
    secret: str  # base64 (never logged)
    catalog_root_keys: tuple[str, ...]
    enrolled_at: float

    def __repr__(self) -> str:
        return f"Credential(kiosk_id={self.kiosk_id!r}, roots={len(self.catalog_root_keys)})"


def credential_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / CREDENTIAL_FILE


def load_credential(data_dir: Path) -> Credential | None:
    path = credential_path(data_dir)
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return Credential(
            str(doc["kiosk_id"]),
            str(doc["secret"]),
            tuple(str(k) for k in doc.get("catalog_root_keys", [])),
            float(doc.get("enrolled_at", 0)),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise TrustError(f"{path} is not a valid enrollment record: {exc}") from None


def save_credential(data_dir: Path, enrollment: dict[str, Any]) -> Credential:
    """Store an enrollment response atomically with mode 0600."""
    base64.b64decode(str(enrollment["secret"]), validate=True)
    cred = Credential(
        str(enrollment["kiosk_id"]),
        str(enrollment["secret"]),
        tuple(parse_public_key(k, "enrolled root key") for k in enrollment.get("catalog_root_keys", [])),
        time.time(),
    )
    path = credential_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a leftover .tmp keeps its old mode on O_CREAT: tighten before writing
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "kiosk_id": cred.kiosk_id,
                "secret": cred.secret,
                "catalog_root_keys": list(cred.catalog_root_keys),
                "enrolled_at": cred.enrolled_at,
            },
            fh,
        )
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return cred
