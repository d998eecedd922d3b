"""Ranked search by Chinese substring, full pinyin, initials, codes and synonyms."""

from __future__ import annotations

import pytest

from kiosk.catalog.search import CatalogSearch, SearchEntry, expand_synonyms
from offline_cache.pinyin_keys import PinyinCache, normalize, syllables

SYNONYMS = [
    ["社保", "社会保险", "社会保障"],
    ["医保", "医疗保险", "医疗保障"],
    ["公积金", "住房公积金"],
    ["户口", "户籍"],
    ["驾照", "驾驶证", "机动车驾驶证"],
]
ITEMS = [
    # code, name, supported, popularity, aliases
    ("A01", "社会保障卡申领", True, 90, ()),
    ("A02", "社会保障卡挂失", True, 60, ()),
    ("A03", "社会保险个人权益记录打印", True, 80, ()),
    ("A04", "失业保险金申领", False, 50, ()),
    ("B01", "城乡居民基本医疗保险参保登记", True, 70, ()),
    ("C01", "户口迁移", False, 75, ()),
    ("C02", "出生登记（户口）", True, 40, ()),
    ("C03", "户籍证明开具", True, 30, ()),
    ("D01", "住房公积金提取（租房）", True, 85, ("公积金租房提取",)),
    ("E01", "机动车驾驶证换证", False, 65, ()),
    ("E02", "驾驶证遗失补领", True, 20, ()),
    ("F01", "居民身份证换领", False, 95, ("换身份证",)),
    ("G01", "社保", True, 1, ()),  # an item whose whole name is the query: exact beats prefix
]


@pytest.fixture(scope="module")
def search() -> CatalogSearch:
    entries = [
        SearchEntry(code, "item", name, "某部门", aliases, (code, f"3301001{n:05d}"), sup, pop)
        for n, (code, name, sup, pop, aliases) in enumerate(ITEMS)
    ]
    return CatalogSearch(entries, SYNONYMS, PinyinCache())


def names(search: CatalogSearch, query: str, limit: int = 10) -> list[str]:
    return [h.name for h in search.search(query, limit)]


def test_pinyin_syllables_are_phrase_aware() -> None:
    assert syllables("社保卡") == ("she", "bao", "ka")
    assert syllables("重庆银行") == ("chong", "qing", "yin", "hang")
    assert syllables("住房公积金提取（租房）")[-2:] == ("zu", "fang")
    assert normalize("ＳＢＫ ") == "sbk"


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("sbk", "社会保障卡申领"),  # initials of the 社保卡 abbreviation
        ("shebaoka", "社会保障卡申领"),  # full pinyin of the abbreviation
        ("户口", "户籍证明开具"),  # prefix (via the 户口 synonym) beats substring; supported first
        ("gjj", "住房公积金提取（租房）"),
        ("jiazhao", "驾驶证遗失补领"),  # 驾照 abbreviation, kiosk-supported first
        ("sfz", "居民身份证换领"),
        ("社保", "社保"),  # exact first
    ],
)
def test_queries_find_the_expected_item_first(search: CatalogSearch, query: str, expected_first: str) -> None:
    assert names(search, query)[0] == expected_first


def test_two_character_chinese_and_synonyms(search: CatalogSearch) -> None:
    found = names(search, "社保")
    assert {"社会保障卡申领", "社会保障卡挂失", "社会保险个人权益记录打印"} <= set(found)
    assert "失业保险金申领" not in found  # 保险 alone is not 社保
    assert "城乡居民基本医疗保险参保登记" in names(search, "医保")
    assert {"户口迁移", "出生登记（户口）", "户籍证明开具"} <= set(names(search, "户口"))
    assert "户籍证明开具" in names(search, "hukou")
    assert names(search, "证")  # a single character finds items


def test_supported_items_rank_first_within_a_tier(search: CatalogSearch) -> None:
    hits = search.search("驾驶证", 10)
    # 机动车驾驶证换证 answers to 驾驶证换证 too: both are prefix matches, the kiosk-supported one first
    assert [(h.name, h.match.split(":")[0]) for h in hits] == [
        ("驾驶证遗失补领", "prefix"),
        ("机动车驾驶证换证", "prefix"),
    ]
    hits = search.search("户口", 10)
    assert [h.name for h in hits][:2] == ["户籍证明开具", "户口迁移"]  # prefix tier: supported first
    assert hits[-1].name == "出生登记（户口）" and hits[-1].match == "substring:name"
    ranked = search.search("sh", 20)
    supported_flags = [h.kiosk_supported for h in ranked if h.match == ranked[0].match]
    assert supported_flags == sorted(supported_flags, reverse=True)


def test_pinyin_matches_only_on_syllable_boundaries(search: CatalogSearch) -> None:
    assert "社会保障卡申领" in names(search, "bao")
    assert names(search, "ao") == []  # inside "bao", not a syllable start
    assert names(search, "xyzq") == []


def test_codes_exact_and_prefix(search: CatalogSearch) -> None:
    assert names(search, "D01") == ["住房公积金提取（租房）"]
    assert names(search, "330100100005")[0] == ITEMS[5][1]
    assert len(names(search, "3301001", 50)) == len(ITEMS)


def test_limit_and_empty_queries(search: CatalogSearch) -> None:
    assert len(search.search("s", 3)) == 3
    assert search.search("", 10) == []
    assert search.search("   ", 10) == []
    assert search.search("！！", 10) == []


def test_expand_synonyms_uses_the_longest_member() -> None:
    assert expand_synonyms("社会保障卡申领", SYNONYMS) == ["社保卡申领", "社会保险卡申领"]
    assert expand_synonyms("失业登记", SYNONYMS) == []


def test_no_duplicates_in_results(search: CatalogSearch) -> None:
    for q in ("s", "社", "3301", "b", "证"):
        codes = [h.code for h in search.search(q, 50)]
        assert len(codes) == len(set(codes))


def test_mixed_full_pinyin_and_initials(search: CatalogSearch) -> None:
    """Citizens type some syllables in full and others as initials: she + b + k → 社保卡."""
    hits = search.search("shebk", 5)
    assert hits[0].name == "社会保障卡申领"
    assert hits[0].match == "substring:pinyin+initials"
    assert "住房公积金提取（租房）" in names(search, "gongjjtq")
    assert names(search, "zzzqx") == []


def test_initials_never_match_vowels_that_cannot_start_a_syllable(search: CatalogSearch) -> None:
    # "bu" would be found inside the initials of nothing real; it must not be treated as initials
    assert all(h.match != "substring:initials" for h in search.search("bu", 20))


def test_phrases_fall_back_to_shared_two_character_words(search: CatalogSearch) -> None:
    """补办身份证 is no substring of any name; it shares 身份/份证 with 居民身份证换领."""
    hits = search.search("补办身份证", 5)
    assert hits and hits[0].name == "居民身份证换领"
    assert hits[0].match == "words:bigrams"
    assert "住房公积金提取（租房）" in names(search, "我要提取公积金")
    assert names(search, "天气预报") == []  # nothing shared: nothing shown
