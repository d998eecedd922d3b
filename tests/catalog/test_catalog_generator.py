"""The synthetic catalog: valid, deterministic, 10,000 unique codes, realistic names, fast."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from kiosk.catalog.codes import is_valid_credit_code
from kiosk.catalog.generator import generate_catalog
from kiosk.catalog.loader import CatalogLoader, load_catalog_file

CJK_NAME = re.compile(r"^[\u4e00-\u9fff（）、]{4,40}$")


def test_ten_thousand_items_validate(loader: CatalogLoader, big_doc: dict[str, Any]) -> None:
    catalog = loader.load_document(big_doc)
    assert len(catalog) == 10_000
    assert len({item.code for item in catalog}) == 10_000
    assert len(catalog.bundles) >= 20
    assert set(catalog.categories) == {item.category for item in catalog}
    assert "SP-330106-001" in catalog.service_points
    assert 0.4 < sum(i.kiosk_supported for i in catalog) / len(catalog) < 0.8


def test_names_are_plausible(big_doc: dict[str, Any]) -> None:
    names = [item["name"] for item in big_doc["items"]]
    bad = [n for n in names if not CJK_NAME.match(n)]
    assert not bad, bad[:5]
    assert len(set(names)) >= 1200
    pairs = {(i["name"], i["department"]["name"]) for i in big_doc["items"]}
    assert len(pairs) >= 4000  # the same item implemented by different bodies, as in real lists
    for expected in ("失业保险金申领", "社会保障卡挂失", "住房公积金提取（租房）", "交通违法处理"):
        assert expected in set(names), expected
    assert any(n.startswith("企业职工") for n in names)
    per_category = Counter(i["category"] for i in big_doc["items"])
    assert len(per_category) == 13 and min(per_category.values()) >= 760


def test_codes_and_departments_are_well_formed(big_doc: dict[str, Any]) -> None:
    for item in big_doc["items"][:2000]:
        assert len(item["code"]) == 31 and len(item["basic_code"]) == 12
        assert item["code"].startswith(item["department"]["code"]) and item["code"].endswith(
            item["basic_code"]
        )
        assert is_valid_credit_code(item["department"]["code"])
    departments = {i["department"]["name"] for i in big_doc["items"]}
    assert "杭州市公安局西湖区分局" in departments and "浙江省民政厅" in departments
    assert "桐庐县公安局" in departments and not any("杭州市桐庐县" in d for d in departments)


def test_deterministic_and_fast() -> None:
    started = time.perf_counter()
    first = generate_catalog(10_000, seed=11)
    took = time.perf_counter() - started
    assert took < 3.0, f"generating 10,000 items took {took:.2f} s"
    assert generate_catalog(10_000, seed=11) == first
    other = generate_catalog(10_000, seed=12)
    assert [i["name"] for i in other["items"][:50]] != [i["name"] for i in first["items"][:50]]
    assert generate_catalog(0, seed=1)["items"] == []


def test_small_catalogs_validate(loader: CatalogLoader) -> None:
    for n, seed in ((1, 1), (5, 2), (399, 3), (401, 4)):
        assert len(loader.load_document(generate_catalog(n, seed))) == n


def test_command_line_writes_a_loadable_file(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.catalog.generator", "120", str(out), "--seed", "9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 120 items" in done.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == generate_catalog(120, seed=9)
    assert len(load_catalog_file(out)) == 120
    bad = subprocess.run(
        [sys.executable, "-m", "kiosk.catalog.generator", "-5", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "n must be >= 0" in bad.stderr
