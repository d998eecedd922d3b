"""Printer columns: how wide a character prints, and line wrapping that respects double-width CJK.

A Chinese ESC/POS printer prints ASCII from its 12x24 font (one column) and every character it
receives as a double-byte code from its 24x24 font (two columns). So the rule is: printable ASCII
is 1 column, combining marks are 0, everything else is 2. Preview and raster mode use the same rule,
so all three outputs break lines at the same places.
"""

from __future__ import annotations

import unicodedata

# Chinese line-breaking rule (禁则): these never start a line ...
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉’”％‰·…—,.;:!?)]}%")
# ... and these never end one.
_NO_LINE_END = frozenset("（《「『【〔〈‘“([{￥$#")

FULLWIDTH_YEN = "\uffe5"  # ￥
YEN = "\u00a5"  # ¥


def char_width(ch: str) -> int:
    """Printed columns of one character (0, 1 or 2)."""
    if " " <= ch <= "~":
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def clean_text(text: str) -> str:
    """Normalise user text for printing.

    Control characters (ESC, GS, ... which would be printer commands) become spaces, tabs become a
    space, and the half-width yen ¥ becomes the full-width ￥: GBK has no ¥, and ￥ is what Chinese
    receipts print, so every encoding and the preview agree on its glyph and width.
    """
    out = []
    for ch in text:
        if ch == YEN:
            out.append(FULLWIDTH_YEN)
        elif ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def truncate(text: str, columns: int) -> str:
    """The longest prefix of ``text`` that fits ``columns``."""
    used = 0
    for i, ch in enumerate(text):
        used += char_width(ch)
        if used > columns:
            return text[:i]
    return text


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` printed columns.

    Latin words are kept whole when they fit on a line; CJK text breaks between any two characters
    except before closing / after opening punctuation. Explicit newlines are honoured. An empty
    text gives one empty line.
    """
    if columns < 2:
        raise ValueError("need at least 2 columns to wrap text")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph.rstrip(), columns))
    return lines


def _wrap_paragraph(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    rest = text
    while text_width(rest) > columns:
        cut = len(truncate(rest, columns))
        cut = _adjust_break(rest, cut)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip(" ")
    lines.append(rest)
    return lines


def _adjust_break(text: str, cut: int) -> int:
    """Move a break at ``cut`` back to a word boundary or a punctuation-legal position."""
    # Keep an ASCII word whole if it started on this line (and is not longer than the line).
    if _is_word_char(text[cut - 1]) and cut < len(text) and _is_word_char(text[cut]):
        start = cut
        while start > 0 and _is_word_char(text[start - 1]):
            start -= 1
        if start > 0:
            return start
    # 禁则: pull characters down until the next line does not start with closing punctuation
    # and this line does not end with opening punctuation (never below one character).
    adjusted = cut
    while adjusted > 1 and (
        (adjusted < len(text) and text[adjusted] in _NO_LINE_START) or text[adjusted - 1] in _NO_LINE_END
    ):
        adjusted -= 1
    return adjusted if adjusted >= cut - 3 else cut


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./:@%+")
