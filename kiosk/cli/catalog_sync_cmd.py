"""``kiosk catalog import FILE`` and ``kiosk catalog info [--json]`` (the signed local catalog)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.context import CliContext
from kiosk.cli.groups import group
from kiosk.paths import RESOURCES_DIR, DataPaths


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    sub = group(subparsers, groups, "catalog", "the service-item catalog")
    imp = sub.add_parser("import", help="import a signed catalog bundle file (offline update)")
    imp.add_argument("file", type=Path, help="a signed bundle (full changeset JSON), e.g. from export-bundle")
    imp.add_argument("--json", action="store_true", help="print JSON")
    imp.set_defaults(func=_import)
    info = sub.add_parser("info", help="version, item count, signer, verified, expiry, last sync")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_info)


def _engine(ctx: CliContext) -> Any:
    from kiosk.sync.engine import CatalogSync
    from kiosk.sync.trust import load_root_keys
    from offline_cache.catalog_store import CatalogStore
    from offline_cache.db import Database

    store = CatalogStore(Database(DataPaths(ctx.data_dir).database))
    return CatalogSync(store, load_root_keys(RESOURCES_DIR / "keys", ctx.data_dir))


def _import(args: argparse.Namespace, ctx: CliContext) -> int:
    engine = _engine(ctx)
    try:
        result = engine.import_bundle(args.file)
    finally:
        engine.store.db.close()
    if args.json:
        ctx.print_json(result.as_dict())
    elif result.ok:
        ctx.out.write(
            f"catalog {result.result}: version {result.version_before} -> {result.version_after}, "
            f"{result.records} records\n"
        )
    if not result.ok:
        return ctx.fail(f"bundle rejected ({result.reason}): {result.error}; the catalog is unchanged", 1)
    return 0


def _info(args: argparse.Namespace, ctx: CliContext) -> int:
    engine = _engine(ctx)
    try:
        info = engine.info()
    finally:
        engine.store.db.close()
    if args.json:
        ctx.print_json(info)
        return 0
    for key in (
        "version",
        "item_count",
        "record_count",
        "signer",
        "verified",
        "expires",
        "expired",
        "source",
        "last_sync_at",
        "last_sync_result",
        "last_error",
        "last_success_at",
    ):
        ctx.out.write(f"{key:<17} {info[key] if info[key] is not None else '-'}\n")
    return 0
