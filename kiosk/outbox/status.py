"""Status queries (进度查询) that work offline: the platform when reachable, else the last known status.

A submission not yet acknowledged by the platform is always reported with the 待上传 marker, whether
the answer came from the platform or from the local database.
"""

from __future__ import annotations

import logging

from kiosk.outbox.model import LocalStatus
from kiosk.outbox.receipts import normalize
from kiosk.outbox.service import Outbox
from kiosk.platform.client import PermanentError, PlatformClient, PlatformError

log = logging.getLogger(__name__)


class StatusService:
    """Answers 查询 screens: ``by_receipt`` and ``by_applicant``."""

    def __init__(self, outbox: Outbox, client: PlatformClient | None) -> None:
        self.outbox = outbox
        self.client = client

    def by_receipt(self, receipt_no: str) -> LocalStatus | None:
        receipt_no = normalize(receipt_no)
        if self.client is not None:
            try:
                return self.outbox.remember_status(self.client.submission_status(receipt_no))
            except PermanentError as exc:
                if exc.status != 404:
                    log.warning("status query rejected: %s", exc)
            except PlatformError as exc:
                log.info("status query offline: %s", exc)
        return self.outbox.local_status(receipt_no)

    def by_applicant(self, id_number: str) -> list[LocalStatus]:
        """All submissions of one applicant (ID number); local ones not yet uploaded included."""
        found: dict[str, LocalStatus] = {}
        if self.client is not None:
            try:
                for status in self.client.submissions_by_applicant(id_number):
                    st = self.outbox.remember_status(status, id_number)
                    found[st.receipt_no] = st
            except PlatformError as exc:
                log.info("applicant status query offline: %s", exc)
        for st in self.outbox.local_statuses_for(id_number):
            found.setdefault(st.receipt_no, st)
        return sorted(found.values(), key=lambda s: s.receipt_no)
