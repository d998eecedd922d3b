"""Helpers for outbox tests: drafts with known personal values (to grep for) and attachments."""

from __future__ import annotations

import os

from kiosk.outbox.model import Applicant, Attachment, MaterialEntry, SubmissionDraft

NAME = "张三丰"
ID_NUMBER = "110101199003071234"
PHONE = "13912345678"


def draft(n: int = 0, *, images: int = 2, size: int = 50_000, seed: int | None = None) -> SubmissionDraft:
    rnd = os.urandom if seed is None else (lambda k: bytes([seed % 251]) * k)
    mats = [
        MaterialEntry(f"材料{i}", Attachment(rnd(size) + f"#{n}-{i}".encode(), "image/jpeg", f"m{i}.jpg"))
        for i in range(images)
    ]
    mats.append(
        MaterialEntry("承诺书", commitment=True, commitment_signature=Attachment(b"sig" * 100, "image/png"))
    )
    mats.append(MaterialEntry("户口簿", shared=True))
    return SubmissionDraft(
        item_code="330106-000-XK-001",
        applicant=Applicant("居民身份证", ID_NUMBER, NAME, PHONE),
        form={"地址": "杭州市西湖区文三路 100 号", "序号": n},
        materials=tuple(mats),
    )
