"""Submissions: idempotent intake, status queries and the operator's status transitions with history."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.idempotency import IdempotencyStore, fingerprint
from kiosk.platform.server.models import Database, Evaluation, StatusChange, Submission, Upload, iso, utcnow
from kiosk.platform.server.schemas import SubmissionIn, parse_body
from kiosk.platform.signing import canonical_json

STATUS_LABELS = {
    "submitted": "已提交",
    "accepted": "已受理",
    "processing": "办理中",
    "completed": "已办结",
    "rejected": "不予受理",
}
TRANSITIONS = {
    "submitted": {"accepted", "rejected"},
    "accepted": {"processing", "rejected"},
    "processing": {"completed", "rejected"},
    "completed": set(),
    "rejected": set(),
}
_ALIASES = {label: status for status, label in STATUS_LABELS.items()}


class TransitionError(ValueError):
    """The requested status change is not allowed from the current status."""


def normalise_status(value: str) -> str:
    """Accept ``processing`` or ``办理中``; raise ValueError otherwise."""
    status = _ALIASES.get(value.strip(), value.strip().lower())
    if status not in STATUS_LABELS:
        raise ValueError(
            f"unknown status {value!r}; one of {', '.join(STATUS_LABELS)} or {', '.join(_ALIASES)}"
        )
    return status


def applicant_key(id_number: str) -> str:
    return hashlib.sha256(id_number.strip().upper().encode("utf-8")).hexdigest()


def evaluation_view(ev: Evaluation, receipt_no: str) -> dict[str, Any]:
    payload = json.loads(ev.payload_json)
    return {
        "evaluation_id": ev.evaluation_id,
        "receipt_no": receipt_no,
        "stage": ev.stage,
        "rating": ev.rating,
        "indicators": payload.get("indicators", {}),
        "comment": payload.get("comment", ""),
        "evaluated_at": payload.get("evaluated_at"),
        "received_at": iso(ev.received_at),
    }


class SubmissionService:
    """Stores submissions exactly once and answers status queries."""

    def __init__(self, db: Database, idempotency: IdempotencyStore) -> None:
        self.db = db
        self.idempotency = idempotency

    def create(self, kiosk_id: str, key: str, payload: Any) -> tuple[int, dict[str, Any], bool]:
        fp = fingerprint("POST", "/v1/submissions", payload)
        body = parse_body(SubmissionIn, payload)
        if body.kiosk_id != kiosk_id:
            raise ApiError(403, "kiosk_mismatch", "kiosk_id in the body differs from the signing kiosk")
        canonical = canonical_json(payload).decode("utf-8")
        return self.idempotency.run(kiosk_id, key, fp, lambda s: self._insert(s, kiosk_id, body, canonical))

    def _insert(
        self, session: Session, kiosk_id: str, body: SubmissionIn, canonical: str
    ) -> tuple[int, dict[str, Any]]:
        existing = session.scalars(
            select(Submission).where(Submission.receipt_no == body.receipt_no)
        ).one_or_none()
        if existing is not None:
            if existing.kiosk_id == kiosk_id and existing.payload_json == canonical:
                return 201, _created(existing)  # same submission sent again under a new key
            raise ApiError(
                422, "receipt_exists", "this receipt number was already used for another submission"
            )
        for material in body.materials:
            for upload_id in (material.upload_id, material.commitment_signature_upload_id):
                if upload_id is None:
                    continue
                upload = session.get(Upload, upload_id)
                if upload is None or upload.kiosk_id != kiosk_id or upload.completed_at is None:
                    raise ApiError(422, "upload_incomplete", f"upload {upload_id} is missing or incomplete")
                if (
                    upload_id == material.upload_id
                    and material.sha256
                    and material.sha256.lower() != upload.sha256_actual
                ):
                    raise ApiError(
                        422, "material_hash_mismatch", f"upload {upload_id} does not match its sha256"
                    )
        now = utcnow()
        row = Submission(
            platform_id="P" + uuid.uuid4().hex[:20].upper(),
            receipt_no=body.receipt_no,
            kiosk_id=kiosk_id,
            item_code=body.item_code,
            bundle_code=body.bundle_code,
            applicant_key=applicant_key(body.applicant.id_number),
            payload_json=canonical,
            status="submitted",
            received_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        session.add(
            StatusChange(
                submission_id=row.id, status="submitted", at=now, note=None, actor=f"kiosk:{kiosk_id}"
            )
        )
        return 201, _created(row)

    def status(self, receipt_no: str) -> dict[str, Any]:
        with self.db.read_session() as session:
            row = session.scalars(select(Submission).where(Submission.receipt_no == receipt_no)).one_or_none()
            if row is None:
                raise ApiError(404, "unknown_receipt", "no submission with this receipt number")
            return self._view(session, row)

    def by_applicant(self, id_number: str, limit: int = 100) -> list[dict[str, Any]]:
        with self.db.read_session() as session:
            rows = session.scalars(
                select(Submission)
                .where(Submission.applicant_key == applicant_key(id_number))
                .order_by(Submission.received_at.desc(), Submission.id.desc())
                .limit(limit)
            ).all()
            return [self._view(session, row) for row in rows]

    def _view(self, session: Session, row: Submission) -> dict[str, Any]:
        history = session.scalars(
            select(StatusChange).where(StatusChange.submission_id == row.id).order_by(StatusChange.id)
        ).all()
        evaluations = session.scalars(
            select(Evaluation).where(Evaluation.submission_id == row.id).order_by(Evaluation.id)
        ).all()
        return {
            "receipt_no": row.receipt_no,
            "item_code": row.item_code,
            "status": row.status,
            "status_label": STATUS_LABELS[row.status],
            "received_at": iso(row.received_at),
            "history": [{"status": h.status, "at": iso(h.at), "note": h.note} for h in history],
            "evaluations": [evaluation_view(e, row.receipt_no) for e in evaluations],
        }

    def set_status(
        self, receipt_no: str, status: str, note: str | None = None, actor: str = "operator"
    ) -> dict[str, Any]:
        """Operator transition along submitted → accepted → processing → completed | rejected."""
        target = normalise_status(status)
        with self.db.session() as session:
            row = session.scalars(
                select(Submission).where(Submission.receipt_no == receipt_no).with_for_update()
            ).one_or_none()
            if row is None:
                raise LookupError(f"no submission {receipt_no}")
            if target not in TRANSITIONS[row.status]:
                allowed = ", ".join(sorted(TRANSITIONS[row.status])) or "none (final)"
                raise TransitionError(
                    f"{row.status} ({STATUS_LABELS[row.status]}) -> {target} not allowed; allowed: {allowed}"
                )
            now = utcnow()
            row.status, row.updated_at = target, now
            session.add(StatusChange(submission_id=row.id, status=target, at=now, note=note, actor=actor))
            session.flush()
            return self._view(session, row)

    def list(self, status: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Operator listing: no ID numbers or phone numbers; names masked; materials with hashes."""
        with self.db.read_session() as session:
            query = select(Submission).order_by(Submission.id)
            if status:
                query = query.where(Submission.status == normalise_status(status))
            if limit:
                query = query.limit(limit)
            result = []
            for row in session.scalars(query):
                payload = json.loads(row.payload_json)
                materials = []
                for m in payload.get("materials", []):
                    upload = session.get(Upload, m["upload_id"]) if m.get("upload_id") else None
                    materials.append(
                        {
                            "name": m.get("name"),
                            "upload_id": m.get("upload_id"),
                            "sha256": upload.sha256_actual if upload else None,
                            "size": upload.length if upload else None,
                        }
                    )
                name = str(payload.get("applicant", {}).get("name", ""))
                result.append(
                    {
                        "receipt_no": row.receipt_no,
                        "platform_id": row.platform_id,
                        "kiosk_id": row.kiosk_id,
                        "item_code": row.item_code,
                        "status": row.status,
                        "status_label": STATUS_LABELS[row.status],
                        "applicant": (name[:1] + "*" * max(len(name) - 1, 1)) if name else "",
                        "received_at": iso(row.received_at),
                        "updated_at": iso(row.updated_at),
                        "materials": materials,
                    }
                )
            return result


def _created(row: Submission) -> dict[str, Any]:
    return {
        "receipt_no": row.receipt_no,
        "status": "submitted",
        "platform_id": row.platform_id,
        "received_at": iso(row.received_at),
    }
