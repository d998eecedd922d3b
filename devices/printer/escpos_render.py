"""Render a ReceiptLayout to ESC/POS bytes with our own Chinese encoding path.

python-escpos 3.1's ``text()`` (MagicEncode) only switches to GB18030 when a chunk contains a
character in U+4E00-U+9FA5, so "：（）" or "￥" alone come out as "?". We therefore encode every
text chunk ourselves (``gb18030`` | ``gbk`` | ``utf8``) and use python-escpos (``Dummy``) only for
the command bytes it gets right: styles, native QR (GS ( k) and cut (GS V).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from devices.printer.layout import Align, CutRow, FeedRow, QrRow, ReceiptLayout, TextRow
from devices.printer.textcols import FULLWIDTH_YEN, YEN, char_width

ESC_INIT = b"\x1b@"
FS_KANJI_ON = b"\x1c&"
FS_KANJI_OFF = b"\x1c."
LF = b"\n"


class TextEncoding(StrEnum):
    GB18030 = "gb18030"
    GBK = "gbk"
    UTF8 = "utf8"


# Characters a codec lacks, mapped to a same-meaning character it has (before falling back to "?").
_GBK_SUBSTITUTES = {YEN: FULLWIDTH_YEN}


def encode_text(text: str, encoding: TextEncoding | str) -> bytes:
    """Encode ``text`` for a printer in ``encoding``; never raises.

    Unencodable characters become "?" (1 column) or "？" (2 columns) so the line keeps its width.
    """
    enc = TextEncoding(encoding)
    codec = {"gb18030": "gb18030", "gbk": "gbk", "utf8": "utf-8"}[enc.value]
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        if enc == TextEncoding.GBK and ch in _GBK_SUBSTITUTES:
            ch = _GBK_SUBSTITUTES[ch]
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:  # lone surrogates (utf8/gb18030), or outside GBK
            out += ("？" if char_width(ch) == 2 else "?").encode(codec)
    return bytes(out)


def decode_text(data: bytes, encoding: TextEncoding | str) -> str:
    codec = {"gb18030": "gb18030", "gbk": "gbk", "utf8": "utf-8"}[TextEncoding(encoding).value]
    return codecs.decode(data, codec, errors="replace")


class Renderer(Protocol):
    """Turns a layout into printer chunks; the adapter may cancel between two chunks."""

    def render(self, layout: ReceiptLayout) -> list[bytes]: ...


@dataclass
class _Style:
    align: Align = Align.LEFT
    bold: bool = False
    size: tuple[int, int] = (1, 1)


class EscPosTextRenderer:
    """Text mode: the printer's own (Chinese) fonts, our encoding, native QR codes."""

    def __init__(self, encoding: TextEncoding | str = TextEncoding.GB18030, kanji_mode: bool = True) -> None:
        self.encoding = TextEncoding(encoding)
        self.kanji_mode = kanji_mode

    def preamble(self) -> bytes:
        """ESC @ (reset), then FS & when the printer needs Chinese mode switched on."""
        return ESC_INIT + (FS_KANJI_ON if self.kanji_mode else b"")

    def render(self, layout: ReceiptLayout) -> list[bytes]:
        chunks = [self.preamble()]
        style = _Style()
        for row in layout.rows():
            if isinstance(row, TextRow):
                chunks.append(self._text_row(row, style))
            elif isinstance(row, QrRow):
                chunks.append(self._qr_row(row, style))
            elif isinstance(row, FeedRow):
                chunks.append(feed_lines(row.lines))
            elif isinstance(row, CutRow):
                chunks.append(cut_command(row.partial, row.feed_lines))
        chunks.append(self._restyle(_Style(), style))  # leave the printer in its default style
        return [c for c in chunks if c]

    def _text_row(self, row: TextRow, style: _Style) -> bytes:
        wanted = _Style(row.align, row.bold, (row.width_mult, row.height_mult))
        return self._restyle(wanted, style) + encode_text(row.text.rstrip(), self.encoding) + LF

    def _qr_row(self, row: QrRow, style: _Style) -> bytes:
        prefix = self._restyle(_Style(row.align, style.bold, style.size), style)
        return prefix + qr_command(row.data, row.module) + LF

    @staticmethod
    def _restyle(wanted: _Style, current: _Style) -> bytes:
        """Commands that change ``current`` into ``wanted`` (updates ``current``)."""
        p = Dummy()
        if wanted.size != current.size:
            p.set(custom_size=True, width=wanted.size[0], height=wanted.size[1])  # GS ! n
        if wanted.bold != current.bold:
            p.set(bold=wanted.bold)  # ESC E n
        if wanted.align != current.align:
            p.set(align=wanted.align.value)  # ESC a n
        current.align, current.bold, current.size = wanted.align, wanted.bold, wanted.size
        return p.output


def qr_command(data: str, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store (UTF-8 payload), print."""
    p = Dummy()
    p.qr(data, ec=QR_ECLEVEL_M, size=module, native=True)
    return p.output


def feed_lines(lines: int) -> bytes:
    """ESC d n: print the buffer and feed ``n`` lines."""
    return b"\x1bd" + bytes([max(0, min(lines, 255))]) if lines > 0 else b""


def cut_command(partial: bool, feed: int) -> bytes:
    """Feed past the cutter, then GS V 0 (full) or GS V 1 (partial)."""
    return feed_lines(feed) + (b"\x1dV\x01" if partial else b"\x1dV\x00")
