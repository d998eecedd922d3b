"""``kiosk doctor``'s checks of what the devices depend on: data directory, local database,
catalog and (if configured) the intake platform."""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid

from kiosk.config import KioskConfig
from kiosk.hardware.health import CheckResult, Level, failed
from kiosk.paths import DataPaths

MIN_FREE_BYTES = 200 * 1024 * 1024  # below this the kiosk cannot keep its spool and logs: FAIL
LOW_FREE_BYTES = 1024 * 1024 * 1024  # below this: WARN
MAX_CLOCK_SKEW_S = 60.0  # request signatures carry timestamps; beyond this the platform may refuse


def check_data_dir(config: KioskConfig) -> CheckResult:
    name = "data directory"
    root = config.data_dir
    fix_key = "set kiosk.data_dir (or $KIOSK_DATA_DIR) to a writable directory on a local disk"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".doctor-{uuid.uuid4().hex}"
        with probe.open("wb") as fh:
            fh.write(b"kiosk doctor write test\n")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        return failed(name, f"{root} is not writable: {exc.strerror or exc}", fix_key, required=True,
                      details={"path": str(root)})  # fmt: skip
    free = shutil.disk_usage(root).free
    details = {"path": str(root), "free_mb": free // (1024 * 1024)}
    if free < MIN_FREE_BYTES:
        return failed(
            name,
            f"{root}: only {free // (1024 * 1024)} MB free",
            "free disk space (old logs, spool) or move kiosk.data_dir to a larger disk",
            required=True,
            details=details,
        )
    if free < LOW_FREE_BYTES:
        return CheckResult(name, Level.WARN, f"{root}: writable, {free // (1024 * 1024)} MB free (low)",
                           "free disk space soon", True, details)  # fmt: skip
    return CheckResult(
        name, Level.OK, f"{root}: writable, {free // (1024 * 1024)} MB free", "", True, details
    )


def check_database(config: KioskConfig) -> CheckResult:
    from offline_cache.db import EXPECTED_PRAGMAS, Database, StorageError

    name = "local database"
    path = DataPaths(config.data_dir).database
    existed = path.exists()
    try:
        db = Database(path)
    except StorageError as exc:
        return failed(name, str(exc), "fix the data directory first", required=True)
    try:
        pragmas = db.pragmas()
        with db.reader() as conn:
            integrity = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except Exception as exc:  # StorageError, sqlite3/SQLAlchemy errors: all mean "cannot use it"
        return failed(
            name,
            f"{path}: {type(exc).__name__}: {exc}"[:300],
            "the database file is damaged or unreadable: stop the kiosk, move the file aside "
            "(the catalog is re-imported, pending submissions are in the spool) and start again",
            required=True,
            details={"path": str(path)},
        )
    finally:
        db.close()
    details = {"path": str(path), "pragmas": pragmas, "quick_check": integrity, "created": not existed}
    if pragmas != EXPECTED_PRAGMAS:
        return failed(
            name,
            f"{path}: SQLite settings {pragmas} differ from {EXPECTED_PRAGMAS}",
            "the file system may not support WAL (network share?): keep kiosk.data_dir on a local disk",
            required=True,
            details=details,
        )
    if integrity != "ok":
        return failed(name, f"{path}: integrity check says {integrity!r}",
                      "move the damaged file aside and restart the kiosk", required=True, details=details)  # fmt: skip
    return CheckResult(name, Level.OK, f"{path}: WAL, synchronous=FULL, foreign keys on, integrity ok",
                       "", True, details)  # fmt: skip


def check_catalog(config: KioskConfig) -> CheckResult:
    """Build the core as the kiosk does (first boot imports the signed seed) and load its catalog."""
    from kiosk.core import build_core

    name = "catalog"
    try:
        core = build_core(config)
    except Exception as exc:  # CatalogUnavailable, StorageError, ...: the message names the problem
        return failed(
            name,
            f"{type(exc).__name__}: {exc}"[:400],
            "import a signed catalog bundle (`kiosk catalog import FILE`), or restore the signed seed "
            "(resources/catalog/seed_catalog.signed.json, or <catalog.seed_path>.signed.json)",
            required=True,
        )
    try:
        catalog = core.catalog
        details = {"version": catalog.version, "items": len(catalog.items), "bundles": len(catalog.bundles)}
        expired = _expired(core)
    finally:
        core.close()
    summary = f"verified catalog version {catalog.version}, {details['items']} items, search index ready"
    if expired:
        return CheckResult(name, Level.WARN, f"{summary}; it has EXPIRED",
                           "sync with the platform (`kiosk sync`) to get a current catalog", True, details)  # fmt: skip
    return CheckResult(name, Level.OK, summary, "", True, details)


def _expired(core: object) -> bool:
    try:
        return bool(core.sync.catalog.is_expired())  # type: ignore[attr-defined]
    except Exception:  # an older core without sync services: nothing to say
        return False


def check_platform(config: KioskConfig, timeout: float = 5.0) -> CheckResult:
    import requests

    name = "platform"
    url = config.platform.url.rstrip("/")
    if not url:
        return CheckResult(name, Level.SKIP, "platform.url is empty: offline only", "", False)
    p = config.platform
    verify: bool | str = p.ca_file or p.verify_tls
    cert = (p.client_cert, p.client_key) if p.client_cert and p.client_key else (p.client_cert or None)
    target = f"{url}/v1/time"
    started = time.time()
    try:
        response = requests.get(target, timeout=min(timeout, p.timeout_s), verify=verify, cert=cert)
    except requests.exceptions.SSLError as exc:
        return failed(name, f"{target}: TLS failed ({_short(exc)})",
                      "check platform.ca_file / client_cert / the kiosk clock", required=False)  # fmt: skip
    except requests.exceptions.Timeout:
        return failed(name, f"{target}: no answer within {min(timeout, p.timeout_s):g} s",
                      "check the network route and firewall to the platform", required=False)  # fmt: skip
    except requests.exceptions.RequestException as exc:
        return failed(
            name,
            f"{target}: cannot connect ({_short(exc)})",
            "check platform.url, DNS and the network cable; the kiosk keeps working offline meanwhile",
            required=False,
        )
    rtt = time.time() - started
    if response.status_code != 200:
        return failed(name, f"{target}: HTTP {response.status_code}",
                      "the platform answers but not as expected: check platform.url", required=False)  # fmt: skip
    try:
        epoch = float(response.json()["epoch"])
    except (ValueError, KeyError, TypeError):
        return failed(name, f"{target}: the answer is not the platform's time document",
                      "platform.url points at something else", required=False)  # fmt: skip
    skew = epoch - (started + rtt / 2)
    details = {"url": url, "rtt_ms": round(rtt * 1000), "clock_skew_s": round(skew, 1)}
    if abs(skew) > MAX_CLOCK_SKEW_S:
        ahead = "ahead of" if skew < 0 else "behind"
        return CheckResult(name, Level.WARN, f"{url}: reachable, but the kiosk clock is {abs(skew):.0f} s {ahead} "
                           "the platform's", "enable time synchronisation: `timedatectl set-ntp true`", False,
                           details)  # fmt: skip
    return CheckResult(name, Level.OK, f"{url}: reachable ({details['rtt_ms']} ms)", "", False, details)


def _short(exc: BaseException) -> str:
    """The root cause of a requests error (``Connection refused``), not urllib3's whole chain."""
    text = str(exc)
    found = re.findall(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found[-1].strip()
    if "NameResolutionError" in text or "Name or service not known" in text:
        return "host name not found (DNS)"
    return (text[:160] + "…") if len(text) > 160 else text or type(exc).__name__
