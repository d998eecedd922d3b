"""Regenerate the signed seed catalog: ``python -m kiosk.sync.seed --signing-dir DIR``.

Publishes ``resources/catalog/seed_catalog.json`` on a throwaway platform instance whose keys live
in ``DIR`` (created on first use; keep DIR out of the repository, the root private key is in it),
writes ``resources/catalog/seed_catalog.signed.json`` (a full signed changeset) and pins the root
public key in ``resources/keys/catalog-root.pub``. A kiosk verifies the seed against that key on
first boot, offline. Production kiosks should pin the production root instead.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from kiosk.paths import RESOURCES_DIR


def regenerate(signing_dir: Path, resources: Path = RESOURCES_DIR, expires_days: float = 1825) -> dict:
    from kiosk.platform import signing
    from kiosk.platform.server import Platform
    from kiosk.platform.server.catalog_publish import load_catalog_file

    signing_dir = Path(signing_dir)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if (signing_dir / "root.key.pem").exists():
            shutil.copytree(signing_dir, work / "keys")
        platform = Platform.open(None, work, ensure_keys=False)
        try:
            if not platform.keys.exists():
                platform.keys.keygen(signing_days=3650)
                shutil.copytree(work / "keys", signing_dir, dirs_exist_ok=True)
            published = platform.catalog.publish(
                load_catalog_file(resources / "catalog" / "seed_catalog.json"),
                expires_days=expires_days,
                source="seed_catalog.json",
            )
            bundle = platform.catalog.changeset(0)
            roots = platform.keys.root_public_keys()
            signing.verify_publication({**bundle, "records": bundle["upserts"]}, roots)
        finally:
            platform.close()
    out = resources / "catalog" / "seed_catalog.signed.json"
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (resources / "keys").mkdir(exist_ok=True)
    (resources / "keys" / "catalog-root.pub").write_text(roots[0] + "\n", encoding="ascii")
    return {**published, "bundle": str(out), "root_key_id": signing.key_id(roots[0])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.sync.seed", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--signing-dir", type=Path, required=True, help="root + signing keys (NOT in the repo)"
    )
    parser.add_argument("--expires-days", type=float, default=1825)
    args = parser.parse_args(argv)
    print(
        json.dumps(regenerate(args.signing_dir, expires_days=args.expires_days), ensure_ascii=False, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
