"""Request bodies (pydantic), mirroring resources/openapi/platform-v1.yaml."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, field_validator

from kiosk.platform.server.errors import ApiError
from kiosk.platform.signing import parse_time

TIMESTAMP_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
KioskId = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
UploadId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
M = TypeVar("M", bound="BaseModel")
Rating = Annotated[int, Field(ge=1, le=5, strict=True)]


def _check_time(value: str | None) -> str | None:
    if value is not None:
        parse_time(value)  # ValueError (e.g. month 13) -> validation error
    return value


class EnrollIn(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    kiosk_id: KioskId
    service_point: Annotated[str | None, Field(max_length=200)] = None


class ApplicantIn(BaseModel):
    id_type: Annotated[str, Field(min_length=1, max_length=32)]
    id_number: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    phone: Annotated[str | None, Field(max_length=32)] = None


class MaterialIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    upload_id: UploadId | None = None
    sha256: str | None = None
    commitment: bool = False
    commitment_signature_upload_id: UploadId | None = None
    shared: bool = False


class SubmissionIn(BaseModel):
    receipt_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,64}$")]
    kiosk_id: KioskId
    item_code: Annotated[str, Field(min_length=1, max_length=100)]
    bundle_code: Annotated[str | None, Field(max_length=100)] = None
    applicant: ApplicantIn
    form: dict[str, Any] = Field(default_factory=dict)
    materials: Annotated[list[MaterialIn], Field(max_length=100)] = Field(default_factory=list)
    submitted_at: Annotated[str, Field(pattern=TIMESTAMP_RE)]
    channel: Annotated[str, Field(max_length=32)] = "kiosk"

    @field_validator("submitted_at")
    @classmethod
    def _valid_time(cls, value: str) -> str:
        return _check_time(value) or value


class EvaluationIn(BaseModel):
    rating: Rating
    stage: Literal["intake", "completed"]
    indicators: dict[str, Rating] = Field(default_factory=dict)
    comment: Annotated[str, Field(max_length=2000)] = ""
    evaluated_at: Annotated[str | None, Field(pattern=TIMESTAMP_RE)] = None

    @field_validator("evaluated_at")
    @classmethod
    def _valid_time(cls, value: str | None) -> str | None:
        return _check_time(value)


class DeviceStateIn(BaseModel):
    availability: Annotated[str | None, Field(max_length=64)] = None
    media: Annotated[str | None, Field(max_length=64)] = None
    supply: Annotated[str | None, Field(max_length=64)] = None


class HeartbeatIn(BaseModel):
    kiosk_id: KioskId
    app_version: Annotated[str | None, Field(max_length=64)] = None
    catalog_version: Annotated[int | None, Field(ge=0)] = None
    queue_depth: Annotated[int | None, Field(ge=0)] = None
    oldest_pending_s: Annotated[float | None, Field(ge=0)] = None
    devices: dict[str, DeviceStateIn] = Field(default_factory=dict)


def parse_body(model: type[M], data: Any) -> M:
    """Validate decoded JSON; errors carry locations and messages, never the input values."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise ApiError(
            422, "validation_error", "request body does not match the schema", details=details
        ) from exc
