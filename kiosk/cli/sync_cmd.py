"""``kiosk sync [--json]`` (one round now) and ``kiosk enroll TOKEN`` (obtain the platform credential)."""

from __future__ import annotations

import argparse

from kiosk.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    sync = subparsers.add_parser("sync", help="sync the catalog and try to drain the outbox now")
    sync.add_argument("--json", action="store_true", help="print JSON")
    sync.set_defaults(func=_sync)
    enroll = subparsers.add_parser("enroll", help="enroll this kiosk with the platform (one-time token)")
    enroll.add_argument("token", help="one-time enrollment token issued by the platform operator")
    enroll.add_argument("--json", action="store_true", help="print JSON (without the secret)")
    enroll.set_defaults(func=_enroll)


def _sync(args: argparse.Namespace, ctx: CliContext) -> int:
    from kiosk.sync.runtime import open_sync_services

    services = open_sync_services(ctx.config, data_dir=ctx.data_dir)
    try:
        services.ensure_catalog()
        report = services.sync_round()
    finally:
        services.close()
    if args.json:
        ctx.print_json(report)
    else:
        c, o = report["catalog"], report["outbox"]
        ctx.out.write(
            f"catalog: {c['result']} (version {c['version_before']} -> {c['version_after']}, "
            f"{c['bytes']} bytes{', ' + str(c['reason'] or c['error']) if not c['ok'] else ''})\n"
        )
        counts = o["summary"]["counts"]
        ctx.out.write(
            f"outbox: sent {o['sent']}, retried {o['retried']}, dead {o['dead']}, purged {o['purged']}; "
            f"pending {counts['pending'] + counts['uploading']}, dead total {counts['dead']}"
            f"{' (busy: another process is uploading)' if o['busy'] else ''}\n"
        )
    return 0 if report["ok"] else 1


def _enroll(args: argparse.Namespace, ctx: CliContext) -> int:
    from kiosk.platform.client import PlatformClient, PlatformError
    from kiosk.sync.trust import save_credential

    p = ctx.config.platform
    if not p.url:
        return ctx.fail("platform.url is not configured", 2)
    client = PlatformClient(
        p.url,
        ctx.config.kiosk.id,
        None,
        timeout=p.timeout_s,
        verify_tls=p.verify_tls,
        ca_file=p.ca_file or None,
        client_cert=p.client_cert or None,
        client_key=p.client_key or None,
    )
    try:
        answer = client.enroll(args.token, ctx.config.service_point.code)
    except PlatformError as exc:
        return ctx.fail(f"enrollment failed: {exc}", 1)
    finally:
        client.close()
    cred = save_credential(ctx.data_dir, answer)
    summary = {"kiosk_id": cred.kiosk_id, "catalog_root_keys": len(cred.catalog_root_keys), "stored": True}
    if args.json:
        ctx.print_json(summary)
    else:
        ctx.out.write(f"enrolled as {cred.kiosk_id}; credential stored in the data directory (0600)\n")
    return 0
