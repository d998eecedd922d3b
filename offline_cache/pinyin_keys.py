"""Pinyin spellings of catalog text, for search by full pinyin and by initials.

``syllables("社保卡")`` → ``("she", "bao", "ka")``. Non-Chinese characters become their own
lower-case "syllable" (digits and letters) so codes and mixed names still line up.
Computing pinyin is slow (≈40 µs per name), so results are cached per text by ``PinyinCache``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

_SKIP = set(" \t\u3000·・-—_/\\()（）【】[]《》<>“”\"'‘’,，.。:：;；、!！?？")


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F or ch == "〇"


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, ü → v, whitespace removed."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "v")
    return "".join(ch for ch in text if not ch.isspace())


def syllables(text: str) -> tuple[str, ...]:
    """One pinyin syllable per Chinese character (phrase-aware), one entry per other kept character."""
    text = normalize(text)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.extend(
                s.replace("ü", "v") for s in lazy_pinyin("".join(run), style=Style.NORMAL, errors="ignore")
            )
            run.clear()

    for ch in text:
        if is_cjk(ch):
            run.append(ch)
            continue
        flush()
        if ch in _SKIP:
            continue
        if ch.isalnum():
            out.append(ch)
    flush()
    return tuple(s for s in out if s)


class PinyinCache:
    """Memoises ``syllables`` per text; ``export``/``load`` let a store persist it between runs."""

    def __init__(self, preloaded: dict[str, tuple[str, ...]] | None = None) -> None:
        self._cache: dict[str, tuple[str, ...]] = dict(preloaded or {})
        self.computed: dict[str, tuple[str, ...]] = {}  # new entries since construction (to persist)

    def __call__(self, text: str) -> tuple[str, ...]:
        hit = self._cache.get(text)
        if hit is None:
            hit = syllables(text)
            self._cache[text] = hit
            self.computed[text] = hit
        return hit

    def warm(self, texts: Iterable[str]) -> None:
        for text in texts:
            self(text)
