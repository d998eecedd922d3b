"""What a citizen hands in at the kiosk, as queued in the outbox (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_LABELS = {
    "submitted": "已提交",
    "accepted": "已受理",
    "processing": "办理中",
    "completed": "已办结",
    "rejected": "不予受理",
}
PENDING_UPLOAD_LABEL = "待上传"
STAGES = ("intake", "completed")


@dataclass(frozen=True, slots=True)
class Applicant:
    id_type: str
    id_number: str
    name: str
    phone: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id_type": self.id_type, "id_number": self.id_number, "name": self.name, "phone": self.phone}

    def __repr__(self) -> str:  # never the ID number, name or phone (reprs end up in logs and tracebacks)
        return f"Applicant(id_type={self.id_type!r})"


@dataclass(frozen=True, slots=True)
class Attachment:
    """One captured file (高拍仪 scan, photo, signature image)."""

    content: bytes
    content_type: str = "image/jpeg"
    filename: str = "material.jpg"

    def __repr__(self) -> str:  # never print the bytes (they are personal documents)
        return f"Attachment({self.content_type}, {len(self.content)} bytes)"


@dataclass(frozen=True, slots=True)
class MaterialEntry:
    """A material of the item: a scanned file, a signed commitment (告知承诺), or shared (免提交)."""

    name: str
    attachment: Attachment | None = None
    commitment: bool = False
    commitment_signature: Attachment | None = None
    shared: bool = False


@dataclass(frozen=True, slots=True)
class SubmissionDraft:
    """Everything needed to submit one application; becomes durable in ``Outbox.enqueue_submission``."""

    item_code: str
    applicant: Applicant
    form: dict[str, Any] = field(default_factory=dict)
    materials: tuple[MaterialEntry, ...] = ()
    bundle_code: str | None = None

    def __repr__(self) -> str:
        return f"SubmissionDraft(item_code={self.item_code!r}, materials={len(self.materials)})"


@dataclass(frozen=True, slots=True)
class Receipt:
    """Returned once the submission is durable: only now may a receipt be shown or printed."""

    receipt_no: str
    idempotency_key: str
    item_code: str
    created_at: float


@dataclass(frozen=True, slots=True)
class LocalStatus:
    """Last known status of a submission; ``pending_upload`` adds the 待上传 marker."""

    receipt_no: str
    status: str
    status_label: str
    pending_upload: bool
    history: tuple[dict[str, Any], ...]
    item_code: str | None
    checked_at: float | None
    source: str  # "platform" (fresh) or "local" (last known)

    @property
    def display_label(self) -> str:
        return f"{self.status_label}（{PENDING_UPLOAD_LABEL}）" if self.pending_upload else self.status_label

    def as_dict(self) -> dict[str, Any]:
        return {
            "receipt_no": self.receipt_no,
            "status": self.status,
            "status_label": self.status_label,
            "pending_upload": self.pending_upload,
            "marker": PENDING_UPLOAD_LABEL if self.pending_upload else None,
            "display_label": self.display_label,
            "history": list(self.history),
            "item_code": self.item_code,
            "checked_at": self.checked_at,
            "source": self.source,
        }
