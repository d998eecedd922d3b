"""Catalog search for citizens: the domain side of ``offline_cache.search_index``.

Builds one search document per item and per bundle, expands synonyms and abbreviations from
the catalog's synonym groups (社会保障卡 also answers to 社保卡, so ``sbk`` finds it), and turns
index hits into ``SearchHit`` values the UI and the CLI show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from offline_cache.search_index import TIER_NAMES, Hit, SearchDoc, SearchIndex

MAX_ALIASES = 12


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    name: str
    department: str
    kind: str  # "item" | "bundle"
    match: str  # e.g. "exact:name", "prefix:initials", "substring:pinyin"
    score: int  # lower is better (tier * 100000 + static rank)
    kiosk_supported: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "department": self.department,
            "kind": self.kind,
            "match": self.match,
            "kiosk_supported": self.kiosk_supported,
        }


def expand_synonyms(text: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """Variants of ``text`` with each synonym-group member replaced by the others (longest first)."""
    variants: list[str] = []
    for group in groups:
        for member in sorted(group, key=len, reverse=True):
            if member and member in text:
                for other in group:
                    if other != member:
                        variant = text.replace(member, other)
                        if variant != text and variant not in variants:
                            variants.append(variant)
                break  # the longest member found decides, so 社会保障 is not also matched as 社保
    return variants


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """Domain-neutral input: one item or bundle as the search sees it."""

    code: str
    kind: str
    name: str
    department: str
    aliases: tuple[str, ...]
    codes: tuple[str, ...]
    supported: bool
    popularity: int


class CatalogSearch:
    """Ranked search over a catalog's items and bundles."""

    def __init__(
        self,
        entries: Iterable[SearchEntry],
        synonyms: Sequence[Sequence[str]],
        pinyin: Callable[[str], tuple[str, ...]],
        default_limit: int = 30,
    ) -> None:
        self.default_limit = default_limit
        docs = []
        for e in entries:
            aliases: list[str] = []
            for text in (e.name, *e.aliases):
                if text != e.name and text not in aliases:
                    aliases.append(text)
                for variant in expand_synonyms(text, synonyms):
                    if variant != e.name and variant not in aliases:
                        aliases.append(variant)
            docs.append(
                SearchDoc(
                    key=e.code,
                    kind=e.kind,
                    name=e.name,
                    department=e.department,
                    aliases=tuple(aliases[:MAX_ALIASES]),
                    codes=e.codes,
                    supported=e.supported,
                    popularity=e.popularity,
                )
            )
        self.index = SearchIndex(docs, pinyin)

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        return [_to_hit(h) for h in self.index.search(query, limit or self.default_limit)]


def _to_hit(hit: Hit) -> SearchHit:
    doc = hit.doc
    return SearchHit(
        code=doc.key,
        name=doc.name,
        department=doc.department,
        kind=doc.kind,
        match=f"{TIER_NAMES[hit.tier]}:{hit.field}",
        score=hit.tier * 100_000 + hit.rank,
        kiosk_supported=doc.supported,
    )
