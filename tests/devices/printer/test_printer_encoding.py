"""Golden bytes of our Chinese text path and of the ESC/POS commands the text renderer emits."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from devices.printer.escpos_render import EscPosTextRenderer, decode_text, encode_text, qr_command
from devices.printer.layout import PAPER_58, Align, ReceiptLayout

PUNCT = "，：（）￥"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("gb18030", "a3ac a3ba a3a8 a3a9 a3a4"),
        ("gbk", "a3ac a3ba a3a8 a3a9 a3a4"),
        ("utf8", "efbc8c efbc9a efbc88 efbc89 efbfa5"),
    ],
)
def test_full_width_punctuation_and_yen_golden(encoding: str, expected: str) -> None:
    assert encode_text(PUNCT, encoding) == bytes.fromhex(expected.replace(" ", ""))
    assert decode_text(encode_text(PUNCT, encoding), encoding) == PUNCT


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("gb18030", "81308436"), ("gbk", "a3a4"), ("utf8", "c2a5")],  # GBK has no ¥: the full-width ￥
)
def test_half_width_yen(encoding: str, expected: str) -> None:
    assert encode_text("¥", encoding) == bytes.fromhex(expected)


def test_hanzi_golden() -> None:
    assert encode_text("办事", "gb18030") == bytes.fromhex("b0eccac2")
    assert encode_text("办事", "gbk") == bytes.fromhex("b0eccac2")
    assert encode_text("办事", "utf8") == "办事".encode()


def test_unencodable_characters_are_replaced_keeping_width() -> None:
    assert encode_text("a😀b", "gbk") == b"a" + "？".encode("gbk") + b"b"  # wide -> full-width ？
    assert encode_text("a😀b", "gb18030") == "a😀b".encode("gb18030")  # GB18030 covers all of Unicode
    assert encode_text("a\ud800b", "utf8") == b"a" + "？".encode() + b"b"  # lone surrogate: no crash
    with pytest.raises(ValueError):
        encode_text("x", "big5")


def test_python_escpos_magic_encode_mangles_punctuation() -> None:
    """Why we encode ourselves: python-escpos 3.1 prints "：（）" without Hanzi as "???"."""
    p = Dummy()
    p.text("：（）")
    assert b"?" in p.output
    assert bytes.fromhex("a3baa3a8a3a9") not in p.output


def test_text_renderer_preamble_and_styles() -> None:
    layout = ReceiptLayout(PAPER_58).title("回执").kv("金额：", "¥1").cut()
    chunks = EscPosTextRenderer("gb18030", kanji_mode=True).render(layout)
    assert chunks[0] == b"\x1b@\x1c&"  # ESC @, FS & (Chinese mode on)
    # GS ! 0x11 (double w/h), ESC E 1, ESC a 1, 回执 in GB18030, LF
    assert chunks[1] == bytes.fromhex("1d2111 1b4501 1b6101 bbd8d6b4 0a")
    # back to normal size, bold off, left; "金额：" + 23 spaces + "￥1" = 32 columns
    assert chunks[2] == bytes.fromhex("1d2100 1b4500 1b6100 bdf0b6eea3ba") + b" " * 23 + bytes.fromhex(
        "a3a4 31 0a"
    )
    assert chunks[3] == b"\x1bd\x04\x1dV\x00"  # feed 4 lines, GS V 0 full cut
    assert len(chunks) == 4


def test_text_renderer_without_kanji_mode_and_utf8() -> None:
    layout = ReceiptLayout(PAPER_58).text("（免费）", Align.RIGHT)
    chunks = EscPosTextRenderer("utf8", kanji_mode=False).render(layout)
    assert chunks[0] == b"\x1b@"
    assert chunks[1] == b"\x1ba\x02" + "（免费）".encode() + b"\n"
    assert chunks[-1] == b"\x1ba\x00"  # left alignment restored at the end


def test_control_characters_cannot_inject_commands() -> None:
    layout = ReceiptLayout(PAPER_58).text("A\x1bB\x1dV\x00C")
    chunks = EscPosTextRenderer("gb18030").render(layout)
    assert chunks[1] == b"A B V C\n"  # ESC, GS and NUL became spaces: no command reaches the printer


def test_qr_command_golden() -> None:
    assert qr_command("AB", 6) == bytes.fromhex(
        "1d286b0400314132 00"  # model 2
        "1d286b0300314306"  # module 6 dots
        "1d286b0300314531"  # error correction M
        "1d286b050031503041 42"  # store "AB"
        "1d286b0300315130".replace(" ", "")  # print
    )


def test_qr_payload_is_utf8() -> None:
    cmd = qr_command("回执", 4)
    store = (
        bytes.fromhex("1d286b") + (len("回执".encode()) + 3).to_bytes(2, "little") + b"1P0" + "回执".encode()
    )
    assert store in cmd
