"""Personal data never reaches the log files."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.logs import SensitiveValues, redact, setup_logging

NAME = "欧阳明月"
ID_NUMBER = "33010619900307235X"
PHONE = "13957112345"
ADDRESS = "浙江省杭州市西湖区文三路478号"


def test_a_real_looking_identity_never_reaches_the_file(tmp_path: Path) -> None:
    sensitive = SensitiveValues()
    sensitive.add(NAME, ADDRESS)
    handler = setup_logging(tmp_path, level="DEBUG", sensitive=sensitive)
    try:
        log = logging.getLogger("kiosk.test")
        log.info("card read: %s %s %s", NAME, ID_NUMBER, ADDRESS)
        log.warning("applicant phone=%s, 15-digit id 330106900307235, mobile +86 139-5711-2345", PHONE)
        log.info('payload {"name": "%s", "id_number": "%s"}', "李雷", "110101199003074514")
        try:
            raise ValueError(f"bad form for {NAME} {ID_NUMBER}")
        except ValueError:
            log.exception("submission failed")
        log.info("receipt R-330106-000123 printed, 3 pages, item 330100103000")
    finally:
        handler.flush()
    text = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    for secret in (
        NAME,
        ID_NUMBER,
        PHONE,
        ADDRESS,
        "330106900307235",
        "139-5711-2345",
        "李雷",
        "110101199003074514",
    ):
        assert secret not in text
    assert "receipt R-330106-000123 printed" in text  # ordinary numbers survive
    assert "item 330100103000" in text
    assert text.count("***") >= 8


def test_redact_leaves_innocent_text_alone() -> None:
    assert redact("catalog version 20261129 has 10000 items") == "catalog version 20261129 has 10000 items"


def test_session_values_are_forgotten_after_clear() -> None:
    sensitive = SensitiveValues()
    sensitive.add(NAME)
    assert NAME not in redact(f"hello {NAME}", sensitive)
    sensitive.clear()
    assert NAME in redact(f"hello {NAME}", sensitive)
