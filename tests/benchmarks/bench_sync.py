"""Catalog sync on loopback: full sync of a 10,000-item catalog and a 1 % delta (time and bytes).

Run: ``.venv/bin/python tests/benchmarks/bench_sync.py [N_ITEMS]``. The catalog comes from
``kiosk.catalog.generator.generate_catalog(n, seed)``; it is published on the real reference
platform (uvicorn thread on 127.0.0.1) and pulled by ``CatalogSync`` into a fresh kiosk database:
fetch, apply inside one transaction, verify the Ed25519 signature over the full live set, commit.
Then 1 % of the items change and a delta sync runs. Bytes are HTTP response bodies.
"""

from __future__ import annotations

import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync.loopback import running_platform  # noqa: E402

from kiosk.catalog.generator import generate_catalog  # noqa: E402
from kiosk.catalog.records import document_to_records  # noqa: E402
from kiosk.platform import signing  # noqa: E402
from kiosk.sync.engine import CatalogSync  # noqa: E402
from offline_cache.catalog_store import CatalogStore  # noqa: E402
from offline_cache.db import Database  # noqa: E402


def timed(func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def main(n: int = 10_000) -> None:
    doc, gen_s = timed(lambda: generate_catalog(n, seed=7))
    records = document_to_records(doc)
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, running_platform(Path(tmp) / "platform") as lb:
        published, pub_s = timed(lambda: lb.publish(records))
        db = Database(Path(tmp) / "kiosk" / "kiosk.db")
        engine = CatalogSync(CatalogStore(db), lb.roots, lb.client(timeout=60))

        full, full_s = timed(engine.sync)
        assert full.result == "updated" and full.records == len(records), full
        rows.append(
            ("full sync (fetch+apply+verify+commit)", f"{full_s * 1000:.0f} ms", f"{full.bytes:,}", "100 %")
        )

        live = engine.store.live_records()
        verify_times = []
        for _ in range(3):
            cs = lb.server.platform.catalog.changeset(0)
            start = time.perf_counter()
            signing.verify_publication({**cs, "records": live}, lb.roots)
            verify_times.append(time.perf_counter() - start)
        rows.append(
            (
                "  of which: verify 10k-record signature",
                f"{statistics.median(verify_times) * 1000:.0f} ms",
                "",
                "",
            )
        )

        fetch_only = []
        for _ in range(3):
            resp, t = timed(lambda: engine.client.changeset(0))
            fetch_only.append(t)
        rows.append(
            (
                "  of which: fetch full changeset (HTTP+JSON)",
                f"{statistics.median(fetch_only) * 1000:.0f} ms",
                f"{resp.nbytes:,}",
                "",
            )
        )

        changed = copy.deepcopy(records)
        items = [r for r in changed if r["kind"] == "item"]
        step = max(1, len(items) // max(1, n // 100))
        touched = items[::step][: max(1, n // 100)]
        for r in touched:
            r["data"]["name"] = r["data"]["name"] + "（调整）"
        lb.publish(changed)
        delta, delta_s = timed(engine.sync)
        assert delta.result == "updated" and not delta.full_refetch, delta
        frac = delta.bytes / full.bytes
        rows.append(
            (
                f"1 % delta sync ({len(touched)} items changed)",
                f"{delta_s * 1000:.0f} ms",
                f"{delta.bytes:,}",
                f"{frac:.2%}",
            )
        )
        noop, noop_s = timed(engine.sync)
        rows.append(
            (
                "no-change round (same signature, no re-verify)",
                f"{noop_s * 1000:.0f} ms",
                f"{noop.bytes:,}",
                f"{noop.bytes / full.bytes:.2%}",
            )
        )
        assert engine.store.live_records() == lb.server.platform.catalog.changeset(0)["upserts"]
        db.close()

    print(
        f"catalog: {n:,} items, {len(records):,} records (generated in {gen_s:.1f} s, published in {pub_s:.1f} s)"
    )
    print(f"platform publish: {published}")
    width = max(len(r[0]) for r in rows)
    print(f"{'operation':<{width}}  {'time':>9}  {'bytes':>12}  {'of full':>8}")
    for name, t, b, f in rows:
        print(f"{name:<{width}}  {t:>9}  {b:>12}  {f:>8}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
