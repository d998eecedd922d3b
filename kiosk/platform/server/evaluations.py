"""Evaluations (好差评) linked to a submission, idempotent like submissions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.idempotency import IdempotencyStore, fingerprint
from kiosk.platform.server.models import Evaluation, Submission, utcnow
from kiosk.platform.server.schemas import EvaluationIn, parse_body
from kiosk.platform.server.submissions import evaluation_view
from kiosk.platform.signing import canonical_json


class EvaluationService:
    """Stores one evaluation per Idempotency-Key; several evaluations per submission are allowed."""

    def __init__(self, idempotency: IdempotencyStore) -> None:
        self.idempotency = idempotency

    def create(
        self, kiosk_id: str, receipt_no: str, key: str, payload: Any
    ) -> tuple[int, dict[str, Any], bool]:
        fp = fingerprint("POST", f"/v1/submissions/{receipt_no}/evaluations", payload)
        body = parse_body(EvaluationIn, payload)
        canonical = canonical_json(body.model_dump()).decode("utf-8")

        def insert(session: Session) -> tuple[int, dict[str, Any]]:
            submission = session.scalars(
                select(Submission).where(Submission.receipt_no == receipt_no)
            ).one_or_none()
            if submission is None:
                raise ApiError(404, "unknown_receipt", "no submission with this receipt number")
            row = Evaluation(
                evaluation_id="E" + uuid.uuid4().hex[:20].upper(),
                submission_id=submission.id,
                kiosk_id=kiosk_id,
                stage=body.stage,
                rating=body.rating,
                payload_json=canonical,
                received_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return 201, evaluation_view(row, receipt_no)

        return self.idempotency.run(kiosk_id, key, fp, insert)
