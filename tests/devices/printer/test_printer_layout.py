"""The receipt layout model: columns, CJK-aware wrapping, key-value rows, QR sizing."""

from __future__ import annotations

import pytest

from devices.printer.layout import (
    PAPER_58,
    PAPER_80,
    Align,
    CutRow,
    FeedRow,
    KeyValue,
    QrCode,
    QrRow,
    ReceiptLayout,
    TextRow,
    kv_lines,
    paper_for,
)
from devices.printer.textcols import char_width, clean_text, text_width, wrap


def test_paper_sizes() -> None:
    assert (PAPER_58.columns, PAPER_58.dots) == (32, 384)
    assert (PAPER_80.columns, PAPER_80.dots) == (48, 576)
    assert paper_for(58) is PAPER_58 and paper_for(80) is PAPER_80
    with pytest.raises(ValueError):
        paper_for(76)


def test_character_widths() -> None:
    assert [char_width(c) for c in "A1 中，￥"] == [1, 1, 1, 2, 2, 2]
    assert text_width("办理事项：ABC") == 13
    assert clean_text("¥5\tx\x1b") == "￥5 x "


@pytest.mark.parametrize("columns", [10, 32, 48])
def test_wrap_never_exceeds_columns(columns: int) -> None:
    text = "某某区某某街道办事处便民服务中心一楼综合窗口，请携带身份证原件。Bring ID card please, thanks!"
    lines = wrap(text, columns)
    assert all(text_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_keeps_words_and_punctuation_rules() -> None:
    assert wrap("hello wonderful world", 12) == ["hello", "wonderful", "world"]
    # "，" may not start a line: the character before it moves down with it.
    lines = wrap("一二三四五，六七", 10)
    assert lines == ["一二三四", "五，六七"]
    assert not any(line.startswith("，") for line in lines)
    assert wrap("a\nb", 5) == ["a", "b"]


def test_kv_fits_on_one_line_right_aligned() -> None:
    (line,) = kv_lines("收费金额：", "¥0.00（免费）", 32)
    assert text_width(line) == 32
    assert line.startswith("收费金额：") and line.endswith("￥0.00（免费）")


def test_kv_wraps_with_hanging_indent_for_cjk() -> None:
    lines = kv_lines("办理地点：", "某某区某某街道办事处便民服务中心一楼综合窗口", 32)
    assert len(lines) == 2
    assert all(text_width(line) <= 32 for line in lines)
    assert lines[1].startswith(" " * 10)  # the key is 10 columns wide
    assert lines[0][5:] + lines[1].strip() == "某某区某某街道办事处便民服务中心一楼综合窗口"


def test_kv_with_very_long_key() -> None:
    lines = kv_lines("一个非常非常非常长的键名称超过半行：", "值", 20)
    assert all(text_width(line) <= 20 for line in lines)
    assert lines[-1].endswith("值") and text_width(lines[-1]) == 20


def test_rows_of_a_receipt() -> None:
    layout = (
        ReceiptLayout(PAPER_80)
        .title("办事回执")
        .separator("=")
        .add(KeyValue("编号：", "A-1", bold=True))
        .qr("https://example.gov.cn/q/1")
        .feed(2)
        .cut(partial=True)
    )
    rows = layout.rows()
    assert rows[0] == TextRow("办事回执", Align.CENTER, True, 2, 2)
    assert rows[1] == TextRow("=" * 48)
    assert rows[2].bold and text_width(rows[2].text) == 48
    assert isinstance(rows[3], QrRow) and rows[3].module == 6 and rows[3].modules >= 21
    assert rows[4] == FeedRow(2)
    assert rows[5] == CutRow(True, 4)


def test_double_width_text_wraps_at_half_the_columns() -> None:
    rows = ReceiptLayout(PAPER_58).text("一二三四五六七八九十一二三四五六七八", double_width=True).rows()
    assert [text_width(r.text) for r in rows] == [16, 16, 4]


def test_qr_shrinks_to_fit_the_paper() -> None:
    data = "x" * 1000
    (row,) = ReceiptLayout(PAPER_58).qr(data, module=16).rows()
    assert row.module * row.modules <= 384
    with pytest.raises(ValueError):
        QrCode("")
    with pytest.raises(ValueError):
        QrCode("x", module=17)
    with pytest.raises(ValueError):
        QrCode("中" * 1000)  # 3000 UTF-8 bytes: more than a QR code (level M) holds
