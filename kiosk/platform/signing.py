"""Catalog publication signatures: canonical JSON, Ed25519 keys, signer certificates, verification.

Pure functions shared by the platform (signing) and the kiosk (verification). The signed message is
``canonical({"version": V, "expires": E, "records": live records sorted by (kind, id)})``; a signing
key is trusted through a certificate: a root signature over ``canonical({"key_id", "public_key",
"not_after"})``. Key ids are the first 16 hex digits of SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "Ed25519"
PublicKeyLike = Ed25519PublicKey | bytes | str


class SignatureError(ValueError):
    """A publication failed verification; ``reason`` is a stable code.

    Reasons: ``unsigned``, ``malformed``, ``unknown_root``, ``bad_certificate``, ``signer_expired``,
    ``bad_signature``, ``expired``, ``rollback``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason


def canonical_json(value: Any) -> bytes:
    """The contract's canonical form: sorted keys, no spaces, raw UTF-8, no NaN/Infinity."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with a ``Z`` suffix and whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 timestamp; a value without offset is rejected."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without offset: {text!r}")
    return moment


# --- keys -----------------------------------------------------------------------------------------


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def raw_public_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public_key(value: PublicKeyLike) -> Ed25519PublicKey:
    """Accept a key object, raw 32 bytes, or base64 text of the raw bytes."""
    if isinstance(value, Ed25519PublicKey):
        return value
    raw = b64d(value) if isinstance(value, str) else value
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(key: PublicKeyLike | Ed25519PrivateKey) -> str:
    """First 16 hex digits of SHA-256 of the raw public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else load_public_key(key)
    return hashlib.sha256(raw_public_key(public)).hexdigest()[:16]


def save_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write an unencrypted PKCS#8 PEM file created with mode 0600 (never readable by others)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode on O_CREAT: tighten before writing
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


# --- certificates and publications ----------------------------------------------------------------


def certify_signing_key(
    root_key: Ed25519PrivateKey, signing_public: PublicKeyLike | Ed25519PrivateKey, not_after: datetime
) -> dict[str, str]:
    """Return the signer block: key_id, public_key, not_after, root_key_id, certificate."""
    public = (
        signing_public.public_key()
        if isinstance(signing_public, Ed25519PrivateKey)
        else load_public_key(signing_public)
    )
    body = {
        "key_id": key_id(public),
        "public_key": b64e(raw_public_key(public)),
        "not_after": format_time(not_after),
    }
    return {**body, "root_key_id": key_id(root_key), "certificate": b64e(root_key.sign(canonical_json(body)))}


def sort_records(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(records, key=lambda r: (str(r["kind"]), str(r["id"])))


def publication_message(records: Iterable[Mapping[str, Any]], version: int, expires: str) -> bytes:
    """The exact bytes signed for a publication (full live set)."""
    return canonical_json({"version": version, "expires": expires, "records": sort_records(records)})


def sign_publication(
    records: Iterable[Mapping[str, Any]],
    version: int,
    expires: str | datetime,
    signing_key: Ed25519PrivateKey,
    signer_cert: Mapping[str, str],
) -> dict[str, Any]:
    """Sign the full live set; returns ``{"version", "expires", "signature", "signer"}``."""
    if isinstance(expires, datetime):
        expires = format_time(expires)
    if signer_cert.get("key_id") != key_id(signing_key):
        raise ValueError("signer certificate does not belong to the signing key")
    value = signing_key.sign(publication_message(records, version, expires))
    return {
        "version": version,
        "expires": expires,
        "signature": {"alg": ALG, "key_id": signer_cert["key_id"], "value": b64e(value)},
        "signer": dict(signer_cert),
    }


def verify_publication(
    publication: Mapping[str, Any],
    trusted_root_public_keys: Iterable[PublicKeyLike],
    now: datetime | None = None,
    *,
    min_version: int | None = None,
) -> dict[str, Any]:
    """Verify a publication: the changeset's metadata plus the full live set after applying it.

    ``publication`` holds ``version``, ``expires``, ``records`` (all live records), ``signature`` and
    ``signer``. ``min_version`` (the kiosk's current version) rejects rollback. Returns a summary
    ``{"version", "expires", "key_id", "root_key_id", "signer_not_after"}``; raises SignatureError.
    """
    now = now or datetime.now(UTC)
    signature, signer = publication.get("signature"), publication.get("signer")
    if not signature or not signer:
        raise SignatureError("unsigned", "the publication carries no signature or signer")
    try:
        version, expires = int(publication["version"]), str(publication["expires"])
        records = list(publication["records"])
        cert_body = {k: str(signer[k]) for k in ("key_id", "public_key", "not_after")}
        root_key_id, certificate = str(signer["root_key_id"]), b64d(str(signer["certificate"]))
        sig_value, sig_key_id = b64d(str(signature["value"])), str(signature["key_id"])
        alg = signature.get("alg")
        expires_at, not_after = parse_time(expires), parse_time(cert_body["not_after"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SignatureError("malformed", f"missing or invalid field: {exc}") from exc
    if alg != ALG:
        raise SignatureError("malformed", f"unsupported signature algorithm {alg!r}")
    roots = {key_id(k): load_public_key(k) for k in trusted_root_public_keys}
    root = roots.get(root_key_id)
    if root is None:
        raise SignatureError("unknown_root", f"signer certified by untrusted root {root_key_id}")
    try:
        root.verify(certificate, canonical_json(cert_body))
        signing_public = load_public_key(cert_body["public_key"])
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError(
            "bad_certificate", "the root's certificate over the signing key is invalid"
        ) from exc
    if key_id(signing_public) != cert_body["key_id"] or sig_key_id != cert_body["key_id"]:
        raise SignatureError("bad_certificate", "key id does not match the certified signing key")
    if not_after < now:
        raise SignatureError("signer_expired", f"signing key certificate expired at {cert_body['not_after']}")
    try:
        signing_public.verify(sig_value, publication_message(records, version, expires))
    except InvalidSignature as exc:
        raise SignatureError("bad_signature", "signature does not match the catalog content") from exc
    if expires_at < now:
        raise SignatureError("expired", f"publication expired at {expires}")
    if min_version is not None and version < min_version:
        raise SignatureError("rollback", f"version {version} is older than the current {min_version}")
    return {
        "version": version,
        "expires": expires,
        "key_id": cert_body["key_id"],
        "root_key_id": root_key_id,
        "signer_not_after": cert_body["not_after"],
    }


def apply_changeset(
    current: Iterable[Mapping[str, Any]], changeset: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """Apply a changeset to a record list in memory (replace-all when ``full``); sorted result.

    Reference helper for tests and tools; the kiosk applies changesets inside its database transaction.
    """
    live = {} if changeset.get("full") else {(r["kind"], r["id"]): r for r in current}
    for ref in changeset.get("tombstones", []):
        live.pop((ref["kind"], ref["id"]), None)
    for record in changeset.get("upserts", []):
        live[(record["kind"], record["id"])] = record
    return sort_records(live.values())
