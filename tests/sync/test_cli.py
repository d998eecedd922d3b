"""CLI: kiosk enroll / sync / catalog import / catalog info / outbox / outbox list / outbox retry."""

from __future__ import annotations

import argparse
import io
import json
import stat
from pathlib import Path

import pytest
from outbox.helpers import ID_NUMBER, NAME, draft

from kiosk.cli import catalog_sync_cmd, outbox_cmd, sync_cmd
from kiosk.cli.context import CliContext
from kiosk.config import load_config
from kiosk.outbox.service import open_outbox
from kiosk.sync.trust import credential_path
from offline_cache.db import Database

from .loopback import Loopback, records, running_platform


def run(config_path: Path, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="kiosk")
    sub = parser.add_subparsers(dest="command")
    groups: dict = {}
    for module in (sync_cmd, outbox_cmd, catalog_sync_cmd):
        module.register(sub, groups)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    ctx = CliContext(load_config(config_path, env={}), out=out, err=err)
    return args.func(args, ctx), out.getvalue(), err.getvalue()


@pytest.fixture
def platform(tmp_path: Path):
    with running_platform(tmp_path / "platform", kiosk_id="ksk-cli") as lb:
        yield lb


@pytest.fixture
def config_path(tmp_path: Path, platform: Loopback) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\nid = "ksk-cli"\ndata_dir = "{tmp_path / "data"}"\n'
        f'[platform]\nurl = "{platform.base_url}"\ntimeout_s = 3.0\n'
        "[outbox]\nretention_days = 0\n",
        "utf-8",
    )
    return path


def test_enroll_sync_info_and_outbox(config_path: Path, platform: Loopback, tmp_path: Path) -> None:
    token = platform.server.platform.enrollment.issue_token("ksk-cli", ttl_hours=1)
    code, out, _ = run(config_path, "enroll", token, "--json")
    assert code == 0 and json.loads(out)["kiosk_id"] == "ksk-cli" and "secret" not in out
    cred = credential_path(tmp_path / "data")
    assert stat.S_IMODE(cred.stat().st_mode) == 0o600

    platform.publish(records(12))
    db = Database(tmp_path / "data" / "kiosk.db")
    box = open_outbox(db, tmp_path / "data", "ksk-cli")
    receipt = box.enqueue_submission(draft(1, images=1, size=2000)).receipt_no
    bad = box.enqueue_submission(type(draft(2))("", draft(2).applicant, {}, ())).receipt_no
    db.close()

    code, out, err = run(config_path, "sync", "--json")
    report = json.loads(out)
    assert report["catalog"]["result"] == "updated" and report["catalog"]["version_after"] == 1
    assert report["outbox"]["sent"] == 1 and report["outbox"]["dead"] == 1
    assert code == 0, err
    assert [s["receipt_no"] for s in platform.submissions()] == [receipt]

    code, out, _ = run(config_path, "catalog", "info", "--json")
    info = json.loads(out)
    assert code == 0 and info["version"] == 1 and info["item_count"] == 12 and info["verified"] is True
    assert info["last_sync_result"] == "ok" and info["signer"] and info["expires"]

    code, out, _ = run(config_path, "outbox", "--json")
    summary = json.loads(out)
    assert summary["counts"]["dead"] == 1 and summary["counts"]["purged"] == 1  # retention 0 days
    code, out, _ = run(config_path, "outbox", "list", "--state", "dead", "--json")
    listed = json.loads(out)
    assert [i["receipt_no"] for i in listed] == [bad] and listed[0]["last_http_status"] == 422
    for text in (out, json.dumps(summary, ensure_ascii=False)):
        assert NAME not in text and ID_NUMBER not in text
    code, out, _ = run(config_path, "outbox")
    assert "dead" in out and "bytes pending" in out

    code, out, _ = run(config_path, "outbox", "retry", str(listed[0]["id"]))
    assert code == 0 and "1 item(s)" in out
    code, out, _ = run(config_path, "outbox", "retry", "--all-dead")
    assert code == 0 and "0 item(s)" in out
    code, out, _ = run(config_path, "outbox", "retry", "99999")
    assert code == 1


def test_catalog_import_and_rejection(config_path: Path, platform: Loopback, tmp_path: Path) -> None:
    # roots come from enrollment: enroll via the CLI first
    token = platform.server.platform.enrollment.issue_token("ksk-cli", ttl_hours=1)
    assert run(config_path, "enroll", token)[0] == 0
    platform.publish(records(7))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(platform.server.platform.catalog.changeset(0), ensure_ascii=False), "utf-8")
    code, out, _ = run(config_path, "catalog", "import", str(bundle))
    assert code == 0 and "version 0 -> 1" in out
    doc = json.loads(bundle.read_text("utf-8"))
    doc["upserts"][0]["data"]["name"] = "伪造"
    bundle.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, _, err = run(config_path, "catalog", "import", str(bundle))
    assert code == 1 and "bad_signature" in err and "unchanged" in err
    code, out, _ = run(config_path, "catalog", "info")
    assert code == 0 and "version           1" in out and "bad_signature" in out


def test_sync_offline_reports_failure(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\nid = "ksk-off"\ndata_dir = "{tmp_path / "data"}"\n[platform]\nurl = "http://127.0.0.1:9"\n'
        "timeout_s = 1.0\n",
        "utf-8",
    )
    code, out, _ = run(path, "sync", "--json")
    report = json.loads(out)
    assert code == 1 and report["catalog"]["result"] in ("offline", "failed")
