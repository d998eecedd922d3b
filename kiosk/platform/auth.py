"""Signed requests (HMAC-SHA256 with the per-kiosk secret): client signing and server verification.

String to sign: ``"\\n".join([METHOD, PATH_WITH_QUERY, TIMESTAMP, CONTENT_SHA256, KIOSK_ID])``;
headers ``X-Kiosk-Id``, ``X-Timestamp``, ``X-Content-SHA256``, ``X-Signature`` (base64 HMAC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

from requests import PreparedRequest
from requests.auth import AuthBase

WINDOW_S = 300
HEADER_KIOSK = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_CONTENT = "X-Content-SHA256"
HEADER_SIGNATURE = "X-Signature"
SIGNED_HEADERS = (HEADER_KIOSK, HEADER_TIMESTAMP, HEADER_CONTENT, HEADER_SIGNATURE)


def secret_bytes(secret: bytes | str) -> bytes:
    """A secret as raw bytes: ``str`` is the base64 text from enrollment, ``bytes`` is the raw key."""
    if isinstance(secret, str):
        return base64.b64decode(secret.encode("ascii"), validate=True)
    return secret


def body_sha256(body: bytes | str | None) -> str:
    if body is None:
        body = b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


def string_to_sign(
    method: str, path_with_query: str, timestamp: str, content_sha256: str, kiosk_id: str
) -> bytes:
    return "\n".join([method.upper(), path_with_query, timestamp, content_sha256, kiosk_id]).encode("utf-8")


def compute_signature(secret: bytes | str, message: bytes) -> str:
    digest = hmac.new(secret_bytes(secret), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def sign_headers(
    method: str,
    path_with_query: str,
    body: bytes | str | None,
    kiosk_id: str,
    secret: bytes | str,
    now: float | None = None,
) -> dict[str, str]:
    """The four signature headers for one request (``now`` defaults to the current time)."""
    timestamp = str(int(time.time() if now is None else now))
    content = body_sha256(body)
    signature = compute_signature(
        secret, string_to_sign(method, path_with_query, timestamp, content, kiosk_id)
    )
    return {
        HEADER_KIOSK: kiosk_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_CONTENT: content,
        HEADER_SIGNATURE: signature,
    }


class KioskAuth(AuthBase):
    """requests auth that signs every prepared request; ``clock`` returns unix seconds.

    Streaming bodies (generators, files) are not supported: pass bytes so the hash covers them.
    """

    def __init__(self, kiosk_id: str, secret: bytes | str, clock: Callable[[], float] = time.time) -> None:
        self.kiosk_id = kiosk_id
        self._secret = secret_bytes(secret)
        self._clock = clock

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        body = request.body
        if body is not None and not isinstance(body, bytes | str):
            raise TypeError("KioskAuth needs the request body as bytes or str")
        headers = sign_headers(
            request.method or "GET", request.path_url, body, self.kiosk_id, self._secret, self._clock()
        )
        request.headers.update(headers)
        return request


class AuthFailure(Exception):
    """A request failed verification: HTTP status, stable code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def verify_headers(
    method: str,
    path_with_query: str,
    body: bytes,
    headers: Mapping[str, str],
    secret_for: Callable[[str], bytes | None],
    now: float | None = None,
    window_s: int = WINDOW_S,
) -> str:
    """Server side: check the signature headers of a request; return the kiosk id or raise AuthFailure.

    ``headers`` must be case-insensitive (Starlette and requests headers are). ``secret_for(kiosk_id)``
    returns the raw secret, or None for an unknown or revoked kiosk.
    """
    values = {name: headers.get(name) for name in SIGNED_HEADERS}
    if any(not v for v in values.values()):
        raise AuthFailure(
            401, "missing_signature", "X-Kiosk-Id, X-Timestamp, X-Content-SHA256 and X-Signature are required"
        )
    kiosk_id, timestamp = str(values[HEADER_KIOSK]), str(values[HEADER_TIMESTAMP])
    content, signature = str(values[HEADER_CONTENT]), str(values[HEADER_SIGNATURE])
    now = time.time() if now is None else now
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise AuthFailure(401, "stale_timestamp", "X-Timestamp must be integer unix seconds")
    if abs(now - int(timestamp)) > window_s:
        raise AuthFailure(401, "stale_timestamp", f"X-Timestamp is more than {window_s} s from server time")
    if not hmac.compare_digest(content.encode("ascii", "replace"), body_sha256(body).encode("ascii")):
        raise AuthFailure(400, "body_hash_mismatch", "X-Content-SHA256 does not match the body")
    secret = secret_for(kiosk_id)
    if secret is None:
        raise AuthFailure(403, "unknown_kiosk", "the kiosk is not enrolled or was revoked")
    expected = compute_signature(
        secret, string_to_sign(method, path_with_query, timestamp, content, kiosk_id)
    )
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
        raise AuthFailure(401, "bad_signature", "X-Signature does not match")
    return kiosk_id
