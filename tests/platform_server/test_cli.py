"""Operator CLI: keys, publish/export of a real catalog document, enrollment, submissions, status."""

from __future__ import annotations

import argparse
import json
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kiosk.catalog.generator import generate_catalog
from kiosk.platform import signing
from kiosk.platform.server import Platform, cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def base_args(tmp_path):
    return ["--data-dir", str(tmp_path / "data")]


def run(capsys, command, *args, base):
    code = cli.main([command, *base, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen_publish_export_and_rotate(tmp_path, capsys, base_args):
    code, out, _ = run(capsys, "keygen", base=base_args)
    assert code == 0
    keys = json.loads(out)
    assert run(capsys, "keygen", base=base_args)[0] == 1  # refuses to overwrite the root
    key_files = list((tmp_path / "data" / "keys").rglob("*.pem"))
    assert len(key_files) == 2 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in key_files)

    doc = generate_catalog(30, seed=7)
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "publish", str(catalog), "--expires-days", "10", base=base_args)
    first = json.loads(out)
    assert code == 0 and first["version"] == 1 and first["records"] == first["upserts"] > 30

    doc["items"] = doc["items"][:-2]
    doc["items"][0]["name"] = doc["items"][0]["name"] + "（变更）"
    catalog.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    second = json.loads(run(capsys, "publish", str(catalog), base=base_args)[1])
    assert (
        second["version"] == 2 and second["tombstones"] == 2 and second["upserts"] >= 2
    )  # item + order meta

    bundle_path = tmp_path / "bundle.json"
    code, out, _ = run(capsys, "export-bundle", str(bundle_path), base=base_args)
    assert code == 0 and "version 2" in out
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    assert bundle["full"] is True and bundle["since"] == 0
    summary = signing.verify_publication({**bundle, "records": bundle["upserts"]}, [keys["root_public_key"]])
    assert summary["root_key_id"] == keys["root_key_id"]
    from kiosk.catalog.records import records_to_document

    assert records_to_document(bundle["upserts"], 2)["items"] == doc["items"]

    code, out, _ = run(capsys, "rotate-key", "--signing-days", "90", base=base_args)
    rotated = json.loads(out)
    assert (
        rotated["signing_key_id"] != keys["signing_key_id"] and rotated["root_key_id"] == keys["root_key_id"]
    )
    versions = json.loads(run(capsys, "versions", base=base_args)[1])
    assert [v["version"] for v in versions] == [1, 2]

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}', encoding="utf-8")
    code, _, err = run(capsys, "publish", str(bad), base=base_args)
    assert code == 1 and "error:" in err
    assert json.loads(run(capsys, "versions", base=base_args)[1])[-1]["version"] == 2


def test_enroll_submissions_and_set_status(tmp_path, capsys, base_args):
    code, out, _ = run(capsys, "enroll", "K-CLI", "--ttl-hours", "2", base=base_args)
    token = out.strip()
    assert code == 0 and len(token) >= 40
    platform = Platform.open(None, tmp_path / "data")
    try:
        enrolled = platform.enrollment.enroll(token, "K-CLI", "便民服务中心")
        assert enrolled["catalog_root_keys"] == platform.keys.root_public_keys()
        body = {
            "receipt_no": "KCLI-1",
            "kiosk_id": "K-CLI",
            "item_code": "0001",
            "applicant": {"id_type": "居民身份证", "id_number": "110101199001011234", "name": "李四"},
            "submitted_at": "2025-06-01T08:00:00Z",
        }
        assert platform.submissions.create("K-CLI", str(uuid.uuid4()), body)[0] == 201
    finally:
        platform.close()
    code, out, _ = run(capsys, "submissions", "--json", base=base_args)
    rows = json.loads(out)
    assert [r["receipt_no"] for r in rows] == ["KCLI-1"] and rows[0]["status"] == "submitted"
    assert "110101199001011234" not in out and "李四" not in out
    assert run(capsys, "set-status", "KCLI-1", "已受理", "--note", "材料齐全", base=base_args)[:2] == (
        0,
        "KCLI-1: accepted (已受理)\n",
    )
    code, _, err = run(capsys, "set-status", "KCLI-1", "completed", base=base_args)
    assert code == 1 and "not allowed" in err
    assert run(capsys, "set-status", "NOPE", "accepted", base=base_args)[0] == 1
    assert run(capsys, "set-status", "KCLI-1", "processing", base=base_args)[0] == 0
    code, out, _ = run(capsys, "submissions", "--status", "办理中", base=base_args)
    assert "KCLI-1" in out and "1 submission(s)" in out
    assert "0 submission(s)" in run(capsys, "submissions", "--status", "rejected", base=base_args)[1]
    assert run(capsys, "set-config", "poll_interval_s", "120", base=base_args)[0] == 0
    kiosks = json.loads(run(capsys, "kiosks", base=base_args)[1])
    assert kiosks[0]["kiosk_id"] == "K-CLI" and not kiosks[0]["revoked"]
    assert run(capsys, "revoke", "K-CLI", base=base_args)[0] == 0
    assert json.loads(run(capsys, "kiosks", base=base_args)[1])[0]["revoked"]


def test_register_mounts_under_a_main_parser(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="kiosk")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["platform", "keygen", "--data-dir", str(tmp_path / "d")])
    assert args.func(args) == 0
    assert "root_key_id" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parser.parse_args(["platform", "set-status", "only-one-arg"])


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.platform.server", "enroll", "K-SUB", "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) >= 40
