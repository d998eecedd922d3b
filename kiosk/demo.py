"""``kiosk --demo``: the whole loop on one machine.

The demo starts the reference intake platform on loopback (SQLite under the demo data dir),
publishes the seed catalog there once, enrolls this kiosk over the real HTTP protocol, and
points the kiosk at it; devices run on their byte-level simulators (the configuration's
defaults). Everything lives under ``<data_dir>/demo`` so a demo never touches a real kiosk's data.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from kiosk.catalog.records import document_to_records
from kiosk.config import KioskConfig
from kiosk.core import KioskCore, build_core
from kiosk.logs import SensitiveValues
from kiosk.paths import resource
from kiosk.platform.client import PlatformClient
from kiosk.sync.trust import load_credential, save_credential

log = logging.getLogger("kiosk.demo")


def demo_config(config: KioskConfig) -> KioskConfig:
    """The configuration with its data directory moved to ``<data_dir>/demo`` and every installed
    device on its byte-level simulator."""
    from kiosk.hardware.specs import simulated_config

    return simulated_config(config).replace({"kiosk.data_dir": str(config.data_dir / "demo")})


def start_demo_platform(config: KioskConfig) -> tuple[KioskConfig, Any]:
    """Start the reference platform on 127.0.0.1 (random port) and enroll the kiosk; returns the
    configuration pointing at it and the running server (``.stop()`` it)."""
    from kiosk.platform.server.runner import PlatformServer

    data_dir = config.data_dir
    platform_dir = data_dir / "platform"
    platform_dir.mkdir(parents=True, exist_ok=True)
    server = PlatformServer(f"sqlite:///{platform_dir / 'platform.db'}", platform_dir, port=0)
    server.start()
    platform = server.platform
    if not platform.catalog.versions():
        seed = (
            Path(config.catalog.seed_path)
            if config.catalog.seed_path
            else resource("catalog", "seed_catalog.json")
        )
        doc = json.loads(seed.read_text(encoding="utf-8"))
        platform.catalog.publish(document_to_records(doc), expires_days=365)
        log.info("demo platform: published the seed catalog")
    cred = load_credential(data_dir)
    enrolled = {k["kiosk_id"] for k in platform.enrollment.kiosks() if not k.get("revoked")}
    if cred is None or cred.kiosk_id not in enrolled:
        token = platform.enrollment.issue_token(config.kiosk.id, 1)
        client = PlatformClient(server.base_url, config.kiosk.id, None, timeout=10)
        try:
            save_credential(data_dir, client.enroll(token, config.service_point.code))
        finally:
            client.close()
        log.info("demo platform: kiosk enrolled")
    return config.replace({"platform.url": server.base_url, "platform.poll_interval_s": 30}), server


def build_demo_core(
    config: KioskConfig, sensitive: SensitiveValues | None = None, *, with_devices: bool = True
) -> KioskCore:
    """A KioskCore wired to a freshly started demo platform; closing the core stops the platform."""
    config = demo_config(config)
    config, server = start_demo_platform(config)
    try:
        core = build_core(config, sensitive, with_devices=with_devices)
    except BaseException:
        server.stop()
        raise
    core.extras["platform"] = server
    core.on_close(server.stop)
    core.start_background()
    return core
