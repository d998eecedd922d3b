"""Operator CLI: ``python -m kiosk.platform.server CMD`` or, mounted with ``register``, ``kiosk platform CMD``.

Every command takes ``--db URL`` (default ``$KIOSK_PLATFORM_DB`` or SQLite in the data dir) and
``--data-dir DIR`` (default ``$KIOSK_PLATFORM_DATA_DIR`` or ``./platform-data``). Handlers return an
exit code: 0 success, 1 operation failed (message on stderr), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any


def _common() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        default=os.environ.get("KIOSK_PLATFORM_DB"),
        help="SQLAlchemy URL (sqlite:///… or postgresql+psycopg://…)",
    )
    parent.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("KIOSK_PLATFORM_DATA_DIR", "platform-data")),
        help="keys, uploads and the default SQLite database",
    )
    return parent


def _open(args: argparse.Namespace, ensure_keys: bool = False) -> Any:
    from kiosk.platform.server.core import Platform  # SQLAlchemy models: only when a command runs

    return Platform.open(args.db, args.data_dir, ensure_keys=ensure_keys)


def _print(value: Any, as_json: bool = True) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2) if as_json else value)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kiosk.platform.server.app import build_asgi
    from kiosk.platform.server.faults import FaultConfig

    faults = FaultConfig.from_string(args.faults) if args.faults else FaultConfig.from_env()
    platform = _open(args, ensure_keys=True)
    print(
        f"intake platform on http://{args.host}:{args.port}/v1 (data {args.data_dir}, faults {'on' if faults else 'off'})",
        file=sys.stderr,
    )
    uvicorn.run(
        build_asgi(platform, faults, gzip_changesets=not args.no_gzip),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,  # request lines can carry an applicant's ID number in the query string
        timeout_graceful_shutdown=5,
    )
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    platform = _open(args)
    platform.keys.keygen(signing_days=args.signing_days, force=args.force)
    _print(platform.keys.describe())
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    platform = _open(args)
    platform.keys.rotate_signing_key(args.signing_days)
    _print(platform.keys.describe())
    return 0


def cmd_key_info(args: argparse.Namespace) -> int:
    _print(_open(args).keys.describe())
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from kiosk.platform.server.catalog_publish import load_catalog_file

    platform = _open(args)
    records = load_catalog_file(args.catalog)
    _print(platform.catalog.publish(records, expires_days=args.expires_days, source=str(args.catalog)))
    return 0


def cmd_export_bundle(args: argparse.Namespace) -> int:
    from kiosk.platform import signing

    platform = _open(args)
    bundle = platform.catalog.changeset(0)
    publication = {**bundle, "records": bundle["upserts"]}
    signing.verify_publication(publication, platform.keys.root_public_keys())  # never export a bad bundle
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    print(
        f"wrote {args.out}: version {bundle['version']}, {len(bundle['upserts'])} records, expires {bundle['expires']}"
    )
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    token = _open(args).enrollment.issue_token(args.kiosk_id, ttl_hours=args.ttl_hours)
    print(token)
    return 0


def cmd_kiosks(args: argparse.Namespace) -> int:
    _print(_open(args).enrollment.kiosks())
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    if not _open(args).enrollment.revoke(args.kiosk_id):
        print(f"no kiosk {args.kiosk_id}", file=sys.stderr)
        return 1
    return 0


def cmd_submissions(args: argparse.Namespace) -> int:
    rows = _open(args).submissions.list(status=args.status)
    if args.json:
        _print(rows)
        return 0
    for row in rows:
        print(
            f"{row['receipt_no']:<24} {row['status_label']:<6} {row['item_code']:<20} {row['kiosk_id']:<16} "
            f"{row['received_at']} {len(row['materials'])} material(s)"
        )
    print(f"{len(rows)} submission(s)")
    return 0


def cmd_set_status(args: argparse.Namespace) -> int:
    view = _open(args).submissions.set_status(args.receipt_no, args.status, note=args.note)
    print(f"{view['receipt_no']}: {view['status']} ({view['status_label']})")
    return 0


def cmd_set_config(args: argparse.Namespace) -> int:
    try:
        value = json.loads(args.value)
    except ValueError:
        value = args.value  # plain text
    _open(args).heartbeat.set_config(args.key, value, kiosk_id=args.kiosk or "*")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    _print(_open(args).catalog.versions())
    return 0


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add the platform subcommands to ``parser`` (each sets ``func(args) -> int``)."""
    common = _common()
    sub = parser.add_subparsers(dest="platform_command", required=True, metavar="COMMAND")

    def add(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=functools.partial(guarded, func))
        return p

    p = add("serve", cmd_serve, "run the intake platform HTTP server (creates keys if missing)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--log-level", default="info")
    p.add_argument("--no-gzip", action="store_true", help="never gzip catalog changesets")
    p.add_argument(
        "--faults", help="fault injection knobs, e.g. 'fail_rate=0.2,delay_s=0.5' (or $KIOSK_PLATFORM_FAULTS)"
    )
    p = add("keygen", cmd_keygen, "create the catalog root key and a first signing key")
    p.add_argument("--signing-days", type=int, default=365)
    p.add_argument(
        "--force", action="store_true", help="replace an existing root key (kiosks must re-pin it)"
    )
    p = add(
        "rotate-key", cmd_rotate_key, "create a new signing key certified by the root and make it current"
    )
    p.add_argument("--signing-days", type=int, default=365)
    add("key-info", cmd_key_info, "show root and signing key ids")
    p = add("publish", cmd_publish, "publish a catalog JSON file as the next signed version")
    p.add_argument("catalog", type=Path)
    p.add_argument("--expires-days", type=float, default=30.0)
    p = add(
        "export-bundle", cmd_export_bundle, "write the full signed changeset (offline bundle / signed seed)"
    )
    p.add_argument("out", type=Path)
    p = add("enroll", cmd_enroll, "issue a one-time enrollment token for a kiosk id (printed)")
    p.add_argument("kiosk_id")
    p.add_argument("--ttl-hours", type=float, default=24.0)
    add("kiosks", cmd_kiosks, "list enrolled kiosks")
    p = add("revoke", cmd_revoke, "revoke a kiosk's credential")
    p.add_argument("kiosk_id")
    p = add("submissions", cmd_submissions, "list submissions (no ID or phone numbers)")
    p.add_argument("--status", help="filter: submitted/accepted/processing/completed/rejected or 已受理 …")
    p.add_argument("--json", action="store_true")
    p = add("set-status", cmd_set_status, "move a submission: 已受理 → 办理中 → 已办结 / 不予受理")
    p.add_argument("receipt_no")
    p.add_argument("status", help="accepted|processing|completed|rejected or 已受理|办理中|已办结|不予受理")
    p.add_argument("--note")
    p = add("set-config", cmd_set_config, "set a remote configuration value answered to heartbeats")
    p.add_argument("key")
    p.add_argument("value", help="JSON value (plain text is taken as a string)")
    p.add_argument("--kiosk", help="only for this kiosk id (default: all kiosks)")
    add("versions", cmd_versions, "list published catalog versions")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Mount as ``kiosk platform …`` on the main CLI's subparsers; returns the ``platform`` parser."""
    parser = subparsers.add_parser(
        "platform", help="reference intake platform (server, keys, catalog, operator)"
    )
    add_commands(parser)
    return parser


def guarded(func: Any, args: argparse.Namespace) -> int:
    """Run a command handler, turning expected failures into a message on stderr and exit code 1."""
    from kiosk.platform.server.catalog_publish import CatalogError
    from kiosk.platform.server.errors import ApiError
    from kiosk.platform.server.keys import KeyStoreError
    from kiosk.platform.server.submissions import TransitionError
    from kiosk.platform.signing import SignatureError

    try:
        return int(func(args))
    except (
        CatalogError,
        KeyStoreError,
        TransitionError,
        SignatureError,
        LookupError,
        ValueError,
        OSError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ApiError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.platform.server", description=__doc__.splitlines()[0]
    )
    add_commands(parser)
    args = parser.parse_args(argv)
    return int(args.func(args))
