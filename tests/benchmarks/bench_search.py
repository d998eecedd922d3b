"""Per-keystroke search latency on a 10,000-item catalog: our index vs a naive SQL LIKE scan.

Run: ``.venv/bin/python tests/benchmarks/bench_search.py [N_ITEMS]``. Each query is "typed"
one character at a time and every prefix is searched, as the kiosk does on each key press.
The baseline is the obvious implementation: one SQLite table with the same precomputed
name/alias/pinyin/initials/code columns, ``LIKE '%q%'`` on each, ordered the same way.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.catalog.generator import generate_catalog  # noqa: E402
from kiosk.catalog.search import CatalogSearch, SearchEntry, expand_synonyms  # noqa: E402
from offline_cache.pinyin_keys import PinyinCache  # noqa: E402

QUERIES = [
    "社保",
    "户口",
    "医保",
    "公积金",
    "身份证",
    "驾驶证",
    "sbk",
    "shebao",
    "hukou",
    "gjj",
    "yibao",
    "社会保险",
    "养老保险待遇",
    "出生",
    "sfz",
    "jszhz",
    "不动产登记",
    "营业执照",
    "zfgjjtq",
    "证明",
    "低保",
    "结婚",
    "护照",
    "港澳",
    "ylbx",
    "失业",
    "dianfei",
    "缴费",
    "3301",
    "xuesheng",
]
# Queries the naive scan cannot answer at all (mixed full pinyin + initials) and one that finds
# nothing (every tier scans everything): reported separately, they are our worst cases.
HARD_QUERIES = ["shebk", "gongjjtq", "sbaoka", "zzzqx"]
LIMIT = 30


def entries_from(doc: dict) -> list[SearchEntry]:
    return [
        SearchEntry(
            code=it["code"],
            kind="item",
            name=it["name"],
            department=it["department"]["name"],
            aliases=tuple(it.get("aliases", ())),
            codes=(it["code"], it["basic_code"]),
            supported=it["kiosk_supported"],
            popularity=it.get("popularity", 0),
        )
        for it in doc["items"]
    ]


def keystrokes(queries: list[str]) -> list[str]:
    return [q[:n] for q in queries for n in range(1, len(q) + 1)]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def build_baseline(
    entries: list[SearchEntry], synonyms: list[list[str]], pinyin: PinyinCache, path: Path
) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE items (code TEXT, name TEXT, aliases TEXT, pinyin TEXT, initials TEXT, codes TEXT, supported INT, popularity INT)"
    )
    rows = []
    for e in entries:
        texts = [e.name, *e.aliases, *expand_synonyms(e.name, synonyms)]
        syl = [pinyin(t) for t in texts]
        rows.append(
            (
                e.code,
                e.name,
                "|".join(texts[1:]),
                "|".join("".join(s) for s in syl),
                "|".join("".join(x[0] for x in s) for s in syl if s),
                "|".join(e.codes),
                int(e.supported),
                e.popularity,
            )
        )
    conn.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    return conn


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    doc = generate_catalog(n, seed=7)
    entries = entries_from(doc)
    synonyms = doc.get("synonyms", [])
    pinyin = PinyinCache()
    t0 = time.perf_counter()
    pinyin.warm(t for e in entries for t in (e.name, *e.aliases, *expand_synonyms(e.name, synonyms)))
    t_pinyin = time.perf_counter() - t0
    t0 = time.perf_counter()
    search = CatalogSearch(entries, synonyms, pinyin, default_limit=LIMIT)
    t_build = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        conn = build_baseline(entries, synonyms, pinyin, Path(tmp) / "baseline.db")
        print(
            f"catalog: {n} items; pinyin computed once in {t_pinyin:.2f} s (cached in SQLite afterwards); "
            f"index built in {t_build * 1000:.0f} ms; each keystroke timed as the median of {REPEATS} runs"
        )
        typical = measure(search, conn, keystrokes(QUERIES))
        report(f"typical queries ({len(keystrokes(QUERIES))} keystrokes)", *typical, target=True)
        hard = measure(search, conn, keystrokes(HARD_QUERIES))
        report(f"hard queries: mixed pinyin, no result ({len(keystrokes(HARD_QUERIES))} keystrokes)", *hard)
        conn.close()


REPEATS = 5
SQL = (
    "SELECT code FROM items WHERE name LIKE ?1 OR aliases LIKE ?1 OR pinyin LIKE ?1 OR initials LIKE ?1 "
    "OR codes LIKE ?1 ORDER BY supported DESC, popularity DESC LIMIT ?2"
)


def measure(
    search: CatalogSearch, conn: sqlite3.Connection, strokes: list[str]
) -> tuple[list[float], list[float]]:
    """Per-keystroke latency (ms), the median of ``REPEATS`` interleaved runs of both methods, so a
    busy neighbour process does not masquerade as a slow query."""
    ours: list[float] = []
    naive: list[float] = []
    for q in strokes:
        mine, theirs = [], []
        for _ in range(REPEATS):
            t = time.perf_counter()
            search.search(q, LIMIT)
            mine.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            conn.execute(SQL, (f"%{q}%", LIMIT)).fetchall()
            theirs.append((time.perf_counter() - t) * 1000)
        ours.append(statistics.median(mine))
        naive.append(statistics.median(theirs))
    return ours, naive


def report(title: str, ours: list[float], naive: list[float], target: bool = False) -> None:
    print(f"\n{title}")
    print(f"{'method':<28}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in (("index (ours)", ours), ("naive SQL LIKE scan", naive)):
        print(
            f"{name:<28}{statistics.median(values):>10.3f}{percentile(values, 95):>10.3f}{max(values):>10.3f}"
        )
    ratio = percentile(naive, 95) / percentile(ours, 95)
    verdict = ""
    if target:
        met = percentile(ours, 95) < 5 and ratio >= 10
        verdict = f"   target: p95 < 5 ms and >= 10x faster -> {'MET' if met else 'NOT MET'}"
    print(f"p95 ratio naive/ours: {ratio:.1f}x{verdict}")


if __name__ == "__main__":
    main()
