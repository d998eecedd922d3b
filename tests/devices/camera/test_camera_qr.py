"""QR decoding: UTF-8 Chinese payloads exact, GBK payloads repaired, fallback detector, odd codes."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest
import qrcode
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

from devices.camera.frames import Frame
from devices.camera.qr import QrAnalyser, repair_text
from devices.camera.simulator import SyntheticSource

RECEIPT = "回执号：BJ-2024-0611-000123 居住证明申请已受理（示例）"


def qr_bgr(segments: list[tuple[int, bytes]]) -> np.ndarray:
    code = qrcode.QRCode(box_size=6, border=4)
    for mode, data in segments:
        code.add_data(QRData(data, mode=mode))
    code.make(fit=True)
    grey = np.array(code.make_image().get_image().convert("L"))
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def test_sample_receipt_chinese_payload_is_exact(load: Callable[[str], np.ndarray]) -> None:
    result = QrAnalyser().analyse(Frame.from_image(load("qr_receipt.png"), seq=7))
    assert result.payloads == (RECEIPT,)
    code = result.codes[0]
    assert code.encoding == "utf-8"
    assert code.raw == RECEIPT.encode("utf-8")
    assert len(code.corners) == 4
    assert result.frame_seq == 7 and result.undecoded == 0


def test_code_printed_on_the_photographed_page(load: Callable[[str], np.ndarray]) -> None:
    desk = load("document_desk.jpg")
    codes, _ = QrAnalyser().decode(desk)
    assert [c.payload for c in codes] == ["BJ-2024-0611-000123 居住证明"]
    primary_only, _ = QrAnalyser(fallback=False).decode(desk)
    if not primary_only:  # on OpenCV 4.14 only the Aruco-based detector reads this photo
        assert codes[0].detector == "aruco"


def test_moving_page_at_720p_decodes_through_the_capture_source() -> None:
    source = SyntheticSource("document", fps=0, size=(1280, 720))
    analyser = QrAnalyser()
    payloads: set[str] = set()
    decoded = []
    for index in range(34):  # moving (frames 0-29), then still
        ok, image = source.read()
        assert ok and image is not None and image.shape == (720, 1280, 3)
        if index % 6 == 0 or index >= 30:
            codes, _ = analyser.decode(image)
            payloads.update(c.payload for c in codes)
            decoded.append(bool(codes))
    assert payloads == {"回执号 BJ-2024-0611-000123 居住证明（示例）"}
    assert decoded[-4:] == [True] * 4  # every still frame
    assert sum(decoded) >= 6


def test_gbk_payload_is_repaired_from_latin1() -> None:
    text = "居住证明 回执￥100"
    codes, _ = QrAnalyser().decode(qr_bgr([(MODE_8BIT_BYTE, text.encode("gbk"))]))
    assert [(c.payload, c.encoding, c.raw) for c in codes] == [(text, "gb18030", text.encode("gbk"))]


def test_latin1_payload_stays_latin1() -> None:
    codes, _ = QrAnalyser().decode(qr_bgr([(MODE_8BIT_BYTE, "café".encode("latin-1"))]))
    assert [(c.payload, c.encoding) for c in codes] == [("café", "latin-1")]


def test_nul_bytes_survive() -> None:
    codes, _ = QrAnalyser().decode(qr_bgr([(MODE_8BIT_BYTE, b"ab\x00cd")]))
    assert [c.raw for c in codes] == [b"ab\x00cd"]


def test_mixed_segment_code_is_never_misread() -> None:
    """Alphanumeric segment + UTF-8 byte segment: OpenCV 4.14 cannot decode it; we must report it
    as undecoded rather than return a wrong or empty payload."""
    image = qr_bgr([(MODE_ALPHA_NUM, b"BJ-2024-0611-000123 "), (MODE_8BIT_BYTE, "居住证明".encode())])
    codes, undecoded = QrAnalyser().decode(image)
    if codes:
        assert [c.payload for c in codes] == ["BJ-2024-0611-000123 居住证明"]
    else:
        assert undecoded >= 1


def test_no_code_in_a_blank_or_noisy_frame() -> None:
    rng = np.random.default_rng(3)
    for image in (np.full((480, 640, 3), 200, np.uint8), rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)):
        assert QrAnalyser().decode(image) == ((), 0)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("居住证明".encode(), ("居住证明", "utf-8")),
        ("居住证明".encode("gbk").decode("latin-1").encode(), ("居住证明", "gb18030")),
        ("居住".encode().decode("latin-1").encode(), ("居住", "utf-8")),  # older OpenCV behaviour
        ("café".encode(), ("café", "latin-1")),
        (b"ASCII-123", ("ASCII-123", "utf-8")),
        ("¥100".encode(), ("¥100", "latin-1")),
    ],
)
def test_repair_text(data: bytes, expected: tuple[str, str]) -> None:
    text, _raw, encoding = repair_text(data)
    assert (text, encoding) == expected
