"""Catalog signing keys on disk: a root key certifying rotating signing keys.

Layout under ``<data_dir>/keys``: ``root.key.pem`` (0600), ``signing/<key_id>.key.pem`` (0600),
``signing/<key_id>.cert.json`` (the signer block) and ``current_signing`` (the active key id).
Root rotation is not implemented: the root is pinned in kiosks (enrollment returns it).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.platform import signing


class KeyStoreError(RuntimeError):
    """Keys are missing or inconsistent; the message says which command fixes it."""


class KeyStore:
    """Root and signing keys in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.root_path = self.directory / "root.key.pem"
        self.signing_dir = self.directory / "signing"
        self.current_path = self.directory / "current_signing"

    def exists(self) -> bool:
        return self.root_path.exists() and self.current_path.exists()

    def keygen(self, signing_days: int = 365, force: bool = False) -> dict[str, Any]:
        """Create the root key and a first signing key; refuses to overwrite unless ``force``."""
        if self.root_path.exists() and not force:
            raise KeyStoreError(f"{self.root_path} exists; use rotate-key for a new signing key")
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        signing.save_private_key(signing.generate_key(), self.root_path)
        return self.rotate_signing_key(signing_days)

    def ensure(self) -> None:
        """Create keys when none exist (first start of a development server)."""
        if not self.root_path.exists():
            self.keygen()
        elif not self.current_path.exists():
            self.rotate_signing_key()

    def root_key(self) -> Ed25519PrivateKey:
        if not self.root_path.exists():
            raise KeyStoreError(f"no root key at {self.root_path}; run keygen")
        return signing.load_private_key(self.root_path)

    def root_public_keys(self) -> list[str]:
        """Base64 raw public keys of the trusted roots (one: root rotation is out of scope)."""
        return [signing.b64e(signing.raw_public_key(self.root_key()))]

    def rotate_signing_key(self, days: int = 365) -> dict[str, Any]:
        """New signing key certified by the root until now + ``days``; becomes current."""
        if days <= 0:
            raise KeyStoreError("signing key validity must be at least one day")
        key = signing.generate_key()
        not_after = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
        cert = signing.certify_signing_key(self.root_key(), key, not_after)
        self.signing_dir.mkdir(parents=True, exist_ok=True)
        signing.save_private_key(key, self.signing_dir / f"{cert['key_id']}.key.pem")
        _write_atomic(self.signing_dir / f"{cert['key_id']}.cert.json", json.dumps(cert, indent=2) + "\n")
        _write_atomic(self.current_path, cert["key_id"] + "\n")
        return cert

    def current_signer(self) -> tuple[Ed25519PrivateKey, dict[str, str]]:
        """The active signing key and its certificate."""
        if not self.current_path.exists():
            raise KeyStoreError(f"no signing key in {self.directory}; run keygen")
        kid = self.current_path.read_text(encoding="ascii").strip()
        cert = json.loads((self.signing_dir / f"{kid}.cert.json").read_text(encoding="utf-8"))
        key = signing.load_private_key(self.signing_dir / f"{kid}.key.pem")
        if signing.key_id(key) != kid:
            raise KeyStoreError(f"signing key file for {kid} holds another key")
        return key, cert

    def describe(self) -> dict[str, Any]:
        root = self.root_key()
        _, cert = self.current_signer()
        return {
            "root_key_id": signing.key_id(root),
            "root_public_key": signing.b64e(signing.raw_public_key(root)),
            "signing_key_id": cert["key_id"],
            "signing_not_after": cert["not_after"],
        }


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
