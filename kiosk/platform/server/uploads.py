"""tus 1.0.0 uploads (core + creation + checksum) stored as files; offsets committed only after fsync.

A PATCH writes its chunk at the committed offset, truncates anything beyond it (bytes from a chunk whose
commit never happened), fsyncs, then commits the new offset with a conditional UPDATE. One server
process per data directory (chunks of one upload are serialised by an in-process lock).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import threading
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import update

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.models import Database, Upload, iso, utcnow

TUS_VERSION = "1.0.0"
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")


def parse_metadata(header: str | None) -> dict[str, str]:
    """``key b64,key2 b64`` -> {key: decoded text}; values may be absent (empty string)."""
    result: dict[str, str] = {}
    if not header:
        return result
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if not parts[0] or len(parts) > 2:
            raise ApiError(400, "bad_metadata", "Upload-Metadata must be 'key base64value' pairs")
        try:
            value = base64.b64decode(parts[1], validate=True) if len(parts) == 2 else b""
        except (binascii.Error, ValueError) as exc:
            raise ApiError(
                400, "bad_metadata", f"Upload-Metadata value of {parts[0]!r} is not base64"
            ) from exc
        result[parts[0]] = value.decode("utf-8", "replace") if parts[0] != "sha256" else value.hex()
    if "sha256" in result:
        raw = bytes.fromhex(result["sha256"])
        # Accept the raw 32-byte digest or the 64-character hex text, both base64-encoded.
        if len(raw) == 64 and re.fullmatch(rb"[0-9a-fA-F]{64}", raw):
            result["sha256"] = raw.decode("ascii").lower()
        elif len(raw) != 32:
            raise ApiError(400, "bad_metadata", "sha256 metadata must be a 32-byte digest or its hex text")
    return result


def parse_int_header(value: str | None, name: str) -> int:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise ApiError(400, f"bad_{name.lower().replace('-', '_')}", f"{name} must be a non-negative integer")
    return int(value)


class UploadService:
    """Creates uploads, appends chunks durably and reports offsets."""

    def __init__(
        self, db: Database, directory: Path, max_size: int = 64 << 20, max_chunk: int = 16 << 20
    ) -> None:
        self.db = db
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_size = max_size
        self.max_chunk = max_chunk
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def path(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.bin"

    def _lock(self, upload_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(upload_id, threading.Lock())

    def create(self, kiosk_id: str, length: int, metadata: dict[str, str]) -> str:
        if length > self.max_size:
            raise ApiError(413, "upload_too_large", f"Upload-Length exceeds Tus-Max-Size {self.max_size}")
        upload_id = uuid.uuid4().hex
        path = self.path(upload_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(self.directory)
        with self.db.session() as session:
            session.add(
                Upload(
                    id=upload_id,
                    kiosk_id=kiosk_id,
                    length=length,
                    offset=0,
                    sha256_expected=metadata.get("sha256"),
                    filename=(metadata.get("filename") or None),
                    content_type=(metadata.get("content_type") or None),
                    created_at=utcnow(),
                    completed_at=utcnow() if length == 0 else None,
                    sha256_actual=hashlib.sha256(b"").hexdigest() if length == 0 else None,
                )
            )
        return upload_id

    def _get(self, kiosk_id: str, upload_id: str) -> Upload:
        if not UPLOAD_ID_RE.match(upload_id):
            raise ApiError(404, "unknown_upload", "no such upload")
        with self.db.read_session() as session:
            row = session.get(Upload, upload_id)
        if row is None or row.kiosk_id != kiosk_id:
            raise ApiError(404, "unknown_upload", "no such upload")
        return row

    def head(self, kiosk_id: str, upload_id: str) -> tuple[int, int]:
        row = self._get(kiosk_id, upload_id)
        return row.offset, row.length

    def patch(self, kiosk_id: str, upload_id: str, offset: int, chunk: bytes, checksum: str | None) -> int:
        """Append ``chunk`` at ``offset``; returns the new offset."""
        if len(chunk) > self.max_chunk:
            raise ApiError(413, "chunk_too_large", f"a PATCH carries at most {self.max_chunk} bytes")
        expected_digest = _parse_checksum(checksum)
        with self._lock(upload_id):
            row = self._get(kiosk_id, upload_id)
            if offset != row.offset:
                raise ApiError(
                    409,
                    "offset_mismatch",
                    f"Upload-Offset {offset} != current {row.offset}",
                    {"Upload-Offset": str(row.offset)},
                )
            if offset + len(chunk) > row.length:
                raise ApiError(413, "exceeds_upload_length", "the chunk goes past Upload-Length")
            if expected_digest is not None:
                algorithm, digest = expected_digest
                if CHECKSUM_ALGORITHMS[algorithm](chunk).digest() != digest:
                    raise ApiError(460, "checksum_mismatch", "Upload-Checksum does not match the chunk")
            new_offset = offset + len(chunk)
            with open(self.path(upload_id), "r+b") as handle:
                handle.seek(offset)
                handle.write(chunk)
                handle.truncate(new_offset)
                handle.flush()
                os.fsync(handle.fileno())
            values: dict[str, Any] = {"offset": new_offset}
            if new_offset == row.length:
                actual = _file_sha256(self.path(upload_id))
                if row.sha256_expected and actual != row.sha256_expected:
                    self._commit(upload_id, offset, {"offset": 0})
                    with open(self.path(upload_id), "r+b") as handle:
                        handle.truncate(0)
                    raise ApiError(
                        460,
                        "file_checksum_mismatch",
                        "the complete file does not match its sha256; the upload restarts at offset 0",
                        {"Upload-Offset": "0"},
                    )
                values.update(sha256_actual=actual, completed_at=utcnow())
            self._commit(upload_id, offset, values)
            return new_offset

    def _commit(self, upload_id: str, old_offset: int, values: dict[str, Any]) -> None:
        with self.db.session() as session:
            result = session.execute(
                update(Upload).where(Upload.id == upload_id, Upload.offset == old_offset).values(**values)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise ApiError(409, "offset_mismatch", "the upload moved concurrently")

    def describe(self, upload_id: str) -> dict[str, Any] | None:
        with self.db.read_session() as session:
            row = session.get(Upload, upload_id)
            if row is None:
                return None
            return {
                "upload_id": row.id,
                "kiosk_id": row.kiosk_id,
                "length": row.length,
                "offset": row.offset,
                "complete": row.completed_at is not None,
                "sha256": row.sha256_actual,
                "sha256_expected": row.sha256_expected,
                "filename": row.filename,
                "content_type": row.content_type,
                "completed_at": iso(row.completed_at),
            }

    def verify_file(self, upload_id: str) -> bool:
        """Recompute the stored file's SHA-256 and compare with the one recorded at completion."""
        info = self.describe(upload_id)
        return bool(info and info["complete"] and _file_sha256(self.path(upload_id)) == info["sha256"])


def _parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    if header is None:
        return None
    parts = header.strip().split(" ")
    if len(parts) != 2:
        raise ApiError(400, "bad_checksum", "Upload-Checksum must be '<algorithm> <base64 digest>'")
    algorithm = parts[0].lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ApiError(400, "unsupported_checksum_algorithm", "supported: sha1, sha256")
    try:
        return algorithm, base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(400, "bad_checksum", "Upload-Checksum digest is not base64") from exc


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
