"""HTTP routes of the reference intake platform (FastAPI); the contract is resources/openapi/platform-v1.yaml."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.platform.auth import AuthFailure, verify_headers
from kiosk.platform.server.core import Platform
from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.faults import FaultConfig, FaultInjectionMiddleware
from kiosk.platform.server.idempotency import normalise_key
from kiosk.platform.server.schemas import EnrollIn, parse_body
from kiosk.platform.server.uploads import TUS_VERSION, parse_int_header, parse_metadata
from kiosk.platform.signing import format_time

log = logging.getLogger(__name__)
OPENAPI_PATH = Path(__file__).resolve().parents[3] / "resources" / "openapi" / "platform-v1.yaml"
JSON_LIMIT = 1 << 20
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}


@lru_cache(maxsize=2)
def openapi_document(path: Path = OPENAPI_PATH) -> tuple[str, str]:
    """(YAML text, JSON text) of the contract."""
    text = path.read_text(encoding="utf-8")
    return text, json.dumps(yaml.safe_load(text), ensure_ascii=False)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "body_too_large", f"request bodies are limited to {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", f"request bodies are limited to {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _target(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    return (raw + (b"?" + query if query else b"")).decode("latin-1")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "bad_json", "the body is not UTF-8 JSON") from exc


def create_app(platform: Platform, gzip_changesets: bool = True) -> FastAPI:
    """The FastAPI application (its own OpenAPI generation is off: the YAML contract is served).

    ``gzip_changesets``: answer ``Accept-Encoding: gzip`` on the changeset endpoint with gzip bodies.
    """
    app = FastAPI(title="Kiosk intake platform", openapi_url=None, docs_url=None, redoc_url=None)

    async def authenticate(request: Request, limit: int = JSON_LIMIT) -> tuple[str, bytes]:
        body = await read_body(request, limit)
        headers = request.headers
        kiosk_id = await run_in_threadpool(
            verify_headers, request.method, _target(request), body, headers, platform.enrollment.secret_for
        )
        return kiosk_id, body

    def require_tus(request: Request) -> None:
        if request.headers.get("tus-resumable") != TUS_VERSION:
            raise ApiError(
                412, "tus_version", "Tus-Resumable: 1.0.0 is required", {"Tus-Version": TUS_VERSION}
            )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        headers = dict(exc.headers)
        if request.url.path.startswith("/v1/uploads"):
            headers.update(TUS_HEADERS)
        if request.method == "HEAD":
            return Response(status_code=exc.status, headers=headers)
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(AuthFailure)
    async def _auth_error(request: Request, exc: AuthFailure) -> Response:
        return await _api_error(request, ApiError(exc.status, exc.code, exc.message))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return await _api_error(
            request, ApiError(422, "validation_error", "invalid request parameters", details=details)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed"}
        error = ApiError(
            exc.status_code,
            codes.get(exc.status_code, "http_error"),
            str(exc.detail),
            dict(exc.headers or {}),
        )
        return await _api_error(request, error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"error": {"code": "internal_error", "message": "internal error"}}, status_code=500
        )

    @app.get("/v1/time")
    async def server_time() -> dict[str, Any]:
        now = time.time()
        return {"server_time": format_time_epoch(now), "epoch": now}

    @app.get("/v1/openapi.yaml")
    async def openapi_yaml() -> Response:
        return Response(openapi_document()[0], media_type="application/yaml")

    @app.get("/v1/openapi.json")
    async def openapi_json() -> Response:
        return Response(openapi_document()[1], media_type="application/json")

    @app.post("/v1/enroll", status_code=201)
    async def enroll(request: Request) -> dict[str, Any]:
        body = parse_body(EnrollIn, _json(await read_body(request, JSON_LIMIT)))
        return await run_in_threadpool(
            platform.enrollment.enroll, body.token, body.kiosk_id, body.service_point
        )

    @app.get("/v1/catalog/changeset")
    async def changeset(request: Request) -> Response:
        await authenticate(request)
        raw = request.query_params.get("since", "0")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise ApiError(422, "validation_error", "since must be a non-negative integer")
        gzipped = gzip_changesets and "gzip" in request.headers.get("accept-encoding", "").lower()
        body = await run_in_threadpool(platform.catalog.changeset_bytes, int(raw), gzipped)
        headers = (
            {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            if gzipped
            else {"Vary": "Accept-Encoding"}
        )
        return Response(body, media_type="application/json", headers=headers)

    @app.options("/v1/uploads")
    async def tus_options() -> Response:
        return Response(
            status_code=204,
            headers={
                **TUS_HEADERS,
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": "creation,checksum",
                "Tus-Checksum-Algorithm": "sha1,sha256",
                "Tus-Max-Size": str(platform.uploads.max_size),
            },
        )

    @app.post("/v1/uploads")
    async def tus_create(request: Request) -> Response:
        kiosk_id, _ = await authenticate(request)
        require_tus(request)
        if request.headers.get("upload-defer-length") is not None:
            raise ApiError(400, "defer_length_unsupported", "Upload-Defer-Length is not supported")
        length = parse_int_header(request.headers.get("upload-length"), "Upload-Length")
        metadata = parse_metadata(request.headers.get("upload-metadata"))
        upload_id = await run_in_threadpool(platform.uploads.create, kiosk_id, length, metadata)
        headers = {**TUS_HEADERS, "Location": f"/v1/uploads/{upload_id}", "Upload-Offset": "0"}
        return Response(status_code=201, headers=headers)

    @app.head("/v1/uploads/{upload_id}")
    async def tus_head(upload_id: str, request: Request) -> Response:
        kiosk_id, _ = await authenticate(request)
        require_tus(request)
        offset, length = await run_in_threadpool(platform.uploads.head, kiosk_id, upload_id)
        headers = {
            **TUS_HEADERS,
            "Upload-Offset": str(offset),
            "Upload-Length": str(length),
            "Cache-Control": "no-store",
        }
        return Response(status_code=200, headers=headers)

    @app.patch("/v1/uploads/{upload_id}")
    async def tus_patch(upload_id: str, request: Request) -> Response:
        kiosk_id, chunk = await authenticate(request, platform.uploads.max_chunk)
        require_tus(request)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/offset+octet-stream":
            raise ApiError(415, "bad_content_type", "Content-Type must be application/offset+octet-stream")
        offset = parse_int_header(request.headers.get("upload-offset"), "Upload-Offset")
        checksum = request.headers.get("upload-checksum")
        new_offset = await run_in_threadpool(
            platform.uploads.patch, kiosk_id, upload_id, offset, chunk, checksum
        )
        return Response(status_code=204, headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)})

    @app.post("/v1/submissions")
    async def create_submission(request: Request) -> Response:
        kiosk_id, body = await authenticate(request)
        key = normalise_key(request.headers.get("idempotency-key"))
        status, result, replayed = await run_in_threadpool(
            platform.submissions.create, kiosk_id, key, _json(body)
        )
        return JSONResponse(
            result, status_code=status, headers={"Idempotent-Replayed": "true"} if replayed else None
        )

    @app.get("/v1/submissions")
    async def by_applicant(request: Request) -> dict[str, Any]:
        await authenticate(request)
        applicant_id = request.query_params.get("applicant_id", "")
        if not 1 <= len(applicant_id) <= 64:
            raise ApiError(422, "validation_error", "applicant_id (1-64 characters) is required")
        return {"submissions": await run_in_threadpool(platform.submissions.by_applicant, applicant_id)}

    @app.get("/v1/submissions/{receipt_no}")
    async def submission_status(receipt_no: str, request: Request) -> dict[str, Any]:
        await authenticate(request)
        return await run_in_threadpool(platform.submissions.status, receipt_no)

    @app.post("/v1/submissions/{receipt_no}/evaluations")
    async def create_evaluation(receipt_no: str, request: Request) -> Response:
        kiosk_id, body = await authenticate(request)
        key = normalise_key(request.headers.get("idempotency-key"))
        status, result, replayed = await run_in_threadpool(
            platform.evaluations.create, kiosk_id, receipt_no, key, _json(body)
        )
        return JSONResponse(
            result, status_code=status, headers={"Idempotent-Replayed": "true"} if replayed else None
        )

    @app.post("/v1/heartbeat")
    async def heartbeat(request: Request) -> dict[str, Any]:
        kiosk_id, body = await authenticate(request)
        result = await run_in_threadpool(platform.heartbeat.beat, kiosk_id, _json(body))
        return {"server_time": format_time_epoch(time.time()), **result}

    return app


def format_time_epoch(epoch: float) -> str:
    return format_time(datetime.fromtimestamp(epoch, UTC))


def build_asgi(platform: Platform, faults: FaultConfig | None = None, gzip_changesets: bool = True) -> Any:
    """The ASGI app to serve: the FastAPI app, wrapped by fault injection when configured."""
    app = create_app(platform, gzip_changesets)
    return FaultInjectionMiddleware(app, faults) if faults is not None else app
