"""Encryption at rest for queued personal data (AES-256-GCM, key file 0600 in <data_dir>/keys/).

Every sealed blob is ``b"KOB1" + nonce(12) + ciphertext||tag``; the associated data binds a blob to
the row or file it belongs to, so blobs cannot be swapped between submissions unnoticed. The key
is created on first use with ``O_CREAT | O_EXCL`` and mode 0600 (directory 0700), fsynced, and
never leaves the data directory. Losing the key makes pending submissions unreadable: back up the
data directory as a whole or not at all.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"KOB1"
KEY_BYTES = 32
_NONCE = 12


class OutboxCryptoError(RuntimeError):
    """The key file is unusable or a sealed blob fails authentication."""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_or_create_key(path: Path) -> bytes:
    """Read the 32-byte key at ``path``, creating it (0600, fsynced) if it does not exist.

    The key is written to a temporary file and hard-linked into place, so a crash never leaves a
    short key file behind. An EMPTY key file (left by an older release killed while creating it)
    cannot have sealed anything and is replaced.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists() or path.stat().st_size == 0:
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX)  # creators in other processes wait, then read ours
            if path.exists() and path.stat().st_size == 0:
                path.unlink()
            if not path.exists():
                _create_key(path)
        finally:
            os.close(dir_fd)  # releases the lock
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise OutboxCryptoError(f"key file {path} must not be readable by others (mode {mode:o}, need 600)")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise OutboxCryptoError(f"key file {path} holds {len(key)} bytes, expected {KEY_BYTES}")
    return key


def _create_key(path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, os.urandom(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # atomic: the key appears complete or not at all
    finally:
        tmp.unlink()
    fsync_dir(path.parent)


class Sealer:
    """AES-GCM sealing of payloads and attachment files plus keyed lookup tags."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise OutboxCryptoError("the outbox key must be 32 bytes")
        self._aead = AESGCM(hashlib.sha256(b"kiosk-outbox-aead\x00" + key).digest())
        self._tag_key = hashlib.sha256(b"kiosk-outbox-tag\x00" + key).digest()

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _NONCE + 16:
            raise OutboxCryptoError("not a sealed outbox blob")
        nonce = blob[len(MAGIC) : len(MAGIC) + _NONCE]
        try:
            return self._aead.decrypt(nonce, blob[len(MAGIC) + _NONCE :], aad)
        except InvalidTag:
            raise OutboxCryptoError("sealed blob failed authentication (wrong key or tampered)") from None

    def lookup_tag(self, value: str) -> str:
        """A keyed hash of a personal value (an ID number) so it can be searched without storing it."""
        return hmac.new(self._tag_key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
