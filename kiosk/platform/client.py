"""HTTP client of the intake platform (protocol v1), kiosk side.

Every call has a timeout, every authenticated request is signed (kiosk/platform/auth.py), TLS is
verified by default (``ca_file`` pins a private CA; an mTLS client certificate is optional). Errors
are mapped to two exception types so callers only decide *when* to try again:

* ``RetryableError``: 5xx, 429 and 503 (with ``retry_after`` from ``Retry-After``), 409 (request
  still in flight / tus offset conflict), timeouts, connection resets, truncated responses.
* ``PermanentError``: every other 4xx (the request itself is wrong; retrying cannot help).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from kiosk.platform.auth import KioskAuth

log = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
API_PREFIX = "/v1"


class PlatformError(Exception):
    """A platform call failed; ``status`` is the HTTP status (None for transport errors)."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RetryableError(PlatformError):
    """Try again later (after ``retry_after`` seconds when the platform said so)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status, code)
        self.retry_after = retry_after


class PermanentError(PlatformError):
    """The platform rejected the request itself (4xx other than 408/409/429)."""


class UploadGone(PermanentError):
    """The tus upload no longer exists on the platform (404/410): start a new one."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: Any
    nbytes: int
    headers: Mapping[str, str]


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


class PlatformClient:
    """Signed, timeout-bounded calls to one platform base URL (``https://host[:port]``)."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        secret: bytes | str | None,
        *,
        timeout: float = 15.0,
        verify_tls: bool = True,
        ca_file: str | None = None,
        client_cert: str | None = None,
        client_key: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        if not base_url:
            raise ValueError("the platform URL is not configured (platform.url)")
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self.clock_offset = 0.0  # server time minus local time, learnt from /v1/time
        self._session = session or requests.Session()
        # passed on every request: requests lets $REQUESTS_CA_BUNDLE override a session-level verify
        self._verify: bool | str = (ca_file or True) if verify_tls else False
        self._cert = (client_cert, client_key) if client_cert and client_key else (client_cert or None)
        self._auth = KioskAuth(kiosk_id, secret, clock=self._now) if secret else None

    def _now(self) -> float:
        return time.time() + self.clock_offset

    def close(self) -> None:
        self._session.close()

    # -- plumbing --------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        signed: bool = True,
        expect: tuple[int, ...] = (200, 201, 204),
        timeout: float | None = None,
    ) -> Response:
        """One request; raises RetryableError / PermanentError for everything outside ``expect``."""
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers = {"Content-Type": "application/json", **(headers or {})}
        if signed and self._auth is None:
            raise PermanentError("this kiosk is not enrolled (no platform secret)", code="not_enrolled")
        for attempt in (1, 2):
            resp = self._send(method, path, data, headers, signed, timeout)
            if resp.status_code == 401 and attempt == 1 and _error_code(resp) == "stale_timestamp":
                self.sync_clock()  # the kiosk clock drifted: learn the offset, sign again once
                continue
            break
        return self._result(resp, expect)

    def _send(
        self,
        method: str,
        path: str,
        data: bytes | None,
        headers: Mapping[str, str] | None,
        signed: bool,
        timeout: float | None,
    ) -> requests.Response:
        try:
            resp = self._session.request(
                method,
                self.url(path),
                data=data,
                headers=dict(headers or {}),
                auth=self._auth if signed else None,
                timeout=timeout or self.timeout,
                verify=self._verify,
                cert=self._cert,
                allow_redirects=False,
            )
            _ = resp.content  # read the whole body now so a cut connection surfaces here
            return resp
        except requests.exceptions.SSLError as exc:
            # retryable: a wrong CA file or an intercepting proxy is fixed by people, not by dropping data
            raise RetryableError(
                f"TLS verification failed for {self.base_url} (untrusted certificate or wrong host)",
                code="tls",
            ) from exc
        except requests.exceptions.RequestException as exc:
            where = path.split("?", 1)[0]  # never the query: it may hold an ID number
            raise RetryableError(f"{method} {where}: {type(exc).__name__}", code="transport") from exc

    def _result(self, resp: requests.Response, expect: tuple[int, ...]) -> Response:
        status = resp.status_code
        if status in expect:
            body: Any = None
            if resp.content and "json" in resp.headers.get("Content-Type", ""):
                try:
                    body = resp.json()
                except ValueError as exc:
                    raise RetryableError("truncated or invalid JSON response", status, "bad_json") from exc
            return Response(status, body, len(resp.content), resp.headers)
        code = _error_code(resp)
        message = f"{resp.request.method} {urlsplit(resp.url).path}: HTTP {status} {code or ''}".strip()
        if status == 409 and code == "receipt_exists":  # another key already owns this receipt
            raise PermanentError(message, status, code)
        if status >= 500 or status in (408, 409, 425, 429):
            retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            raise RetryableError(message, status, code, retry_after)
        if status in (404, 410) and "/uploads/" in resp.request.path_url:
            raise UploadGone(message, status, code)
        raise PermanentError(message, status, code)

    # -- unauthenticated -------------------------------------------------------------------------
    def server_time(self) -> dict[str, Any]:
        return self.request("GET", "/v1/time", signed=False).body

    def sync_clock(self) -> float:
        """Set ``clock_offset`` from /v1/time (used to sign when the kiosk clock is off)."""
        before = time.time()
        body = self.server_time()
        after = time.time()
        self.clock_offset = float(body["epoch"]) - (before + after) / 2
        return self.clock_offset

    def enroll(self, token: str, service_point: str) -> dict[str, Any]:
        """Exchange a one-time token for the kiosk secret and the catalog root keys."""
        body = {"token": token, "kiosk_id": self.kiosk_id, "service_point": service_point}
        return self.request("POST", "/v1/enroll", json_body=body, signed=False, expect=(200, 201)).body

    # -- catalog ---------------------------------------------------------------------------------
    def changeset(self, since: int) -> Response:
        """The catalog changeset since ``since`` (0 = full); ``Response.nbytes`` is the wire size."""
        resp = self.request("GET", f"/v1/catalog/changeset?since={int(since)}", expect=(200,))
        if not isinstance(resp.body, dict):
            raise RetryableError("changeset response is not a JSON object", resp.status, "bad_json")
        return resp

    # -- submissions and evaluations -------------------------------------------------------------
    def submit(self, body: Mapping[str, Any], idempotency_key: str) -> Response:
        return self.request(
            "POST",
            "/v1/submissions",
            json_body=body,
            headers={"Idempotency-Key": idempotency_key},
            expect=(200, 201),
        )

    def submission_status(self, receipt_no: str) -> dict[str, Any]:
        return self.request("GET", f"/v1/submissions/{receipt_no}", expect=(200,)).body

    def submissions_by_applicant(self, id_number: str) -> list[dict[str, Any]]:
        body = self.request(
            "GET", f"/v1/submissions?applicant_id={requests.utils.quote(id_number)}", expect=(200,)
        ).body
        return list(body.get("submissions", []))

    def evaluate(self, receipt_no: str, body: Mapping[str, Any], idempotency_key: str) -> Response:
        return self.request(
            "POST",
            f"/v1/submissions/{receipt_no}/evaluations",
            json_body=body,
            headers={"Idempotency-Key": idempotency_key},
            expect=(200, 201),
        )

    def heartbeat(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.request("POST", "/v1/heartbeat", json_body=body, expect=(200,)).body

    # -- tus 1.0.0 -------------------------------------------------------------------------------
    def tus_create(self, length: int, sha256_hex: str, filename: str, content_type: str) -> str:
        """POST /v1/uploads; returns the upload path (``/v1/uploads/<id>``)."""
        meta = ",".join(
            f"{k} {base64.b64encode(v).decode()}"
            for k, v in (
                ("sha256", bytes.fromhex(sha256_hex)),
                ("filename", filename.encode()),
                ("content_type", content_type.encode()),
            )
        )
        resp = self.request(
            "POST",
            "/v1/uploads",
            data=b"",
            headers={"Tus-Resumable": TUS_VERSION, "Upload-Length": str(length), "Upload-Metadata": meta},
            expect=(201,),
        )
        location = resp.headers.get("Location")
        if not location:
            raise RetryableError("tus create answered without Location", resp.status, "bad_tus")
        return urlsplit(location).path

    def tus_offset(self, upload_path: str) -> tuple[int, int | None]:
        """HEAD: the server's ``(Upload-Offset, Upload-Length)``."""
        resp = self.request("HEAD", upload_path, headers={"Tus-Resumable": TUS_VERSION}, expect=(200, 204))
        try:
            length = resp.headers.get("Upload-Length")
            return int(resp.headers["Upload-Offset"]), int(length) if length else None
        except (KeyError, ValueError) as exc:
            raise RetryableError("tus HEAD without a valid Upload-Offset", resp.status, "bad_tus") from exc

    def tus_patch(self, upload_path: str, offset: int, chunk: bytes) -> int:
        """PATCH one chunk with its sha256 checksum; returns the new server offset."""
        checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        resp = self.request(
            "PATCH",
            upload_path,
            data=chunk,
            headers={
                "Tus-Resumable": TUS_VERSION,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
                "Upload-Checksum": f"sha256 {checksum}",
            },
            expect=(204, 200),
        )
        try:
            return int(resp.headers["Upload-Offset"])
        except (KeyError, ValueError) as exc:
            raise RetryableError("tus PATCH without Upload-Offset", resp.status, "bad_tus") from exc

    def tus_upload(
        self,
        data: bytes,
        upload_path: str | None,
        *,
        sha256_hex: str,
        filename: str,
        content_type: str,
        chunk_size: int = 262_144,
        on_created: Callable[[str], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> str:
        """Upload ``data`` completely, resuming ``upload_path`` from the server's offset.

        ``on_created(path)`` runs after the upload is created and BEFORE any byte is sent (persist it
        there); ``on_progress(offset)`` after each acknowledged chunk. A 460 checksum mismatch or a
        409 offset conflict re-reads the offset and continues; a vanished upload starts over.
        """
        if upload_path is not None:
            try:
                offset, _ = self.tus_offset(upload_path)
            except UploadGone:
                upload_path = None
        if upload_path is None:
            upload_path = self.tus_create(len(data), sha256_hex, filename, content_type)
            if on_created:
                on_created(upload_path)
            offset = 0
        conflicts = 0
        while offset < len(data):
            try:
                new_offset = self.tus_patch(upload_path, offset, data[offset : offset + chunk_size])
                if not offset < new_offset <= len(data):  # a stuck or bogus server must not loop forever
                    raise RetryableError(
                        f"tus PATCH answered offset {new_offset} after sending from {offset}", None, "bad_tus"
                    )
                offset = new_offset
            except UploadGone:  # expired or removed on the platform: start a new upload once
                if conflicts >= 3:
                    raise
                conflicts += 1
                upload_path = self.tus_create(len(data), sha256_hex, filename, content_type)
                if on_created:
                    on_created(upload_path)
                offset = 0
                continue
            except (RetryableError, PermanentError) as exc:
                if exc.status not in (409, 460) or conflicts >= 3:
                    raise
                conflicts += 1
                offset, _ = self.tus_offset(upload_path)
                continue
            if on_progress:
                on_progress(offset)
        return upload_path


def _error_code(resp: requests.Response) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return str(code) if code else None
    return None
