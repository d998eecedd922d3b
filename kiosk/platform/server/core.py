"""The platform's services wired together over one database and one data directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.platform.server.catalog_publish import CatalogService
from kiosk.platform.server.enrollment import EnrollmentService, SecretBox
from kiosk.platform.server.evaluations import EvaluationService
from kiosk.platform.server.heartbeat import HeartbeatService
from kiosk.platform.server.idempotency import IdempotencyStore
from kiosk.platform.server.keys import KeyStore
from kiosk.platform.server.models import Database
from kiosk.platform.server.submissions import SubmissionService
from kiosk.platform.server.uploads import UploadService


def default_db_url(data_dir: Path) -> str:
    return f"sqlite:///{(Path(data_dir) / 'platform.db').resolve()}"


@dataclass
class Platform:
    """All services of one platform instance (create with ``Platform.open``)."""

    db: Database
    data_dir: Path
    keys: KeyStore
    catalog: CatalogService
    uploads: UploadService
    enrollment: EnrollmentService
    submissions: SubmissionService
    evaluations: EvaluationService
    heartbeat: HeartbeatService

    @classmethod
    def open(cls, db_url: str | None, data_dir: Path | str, ensure_keys: bool = True) -> Platform:
        """Open (and create tables in) the database; ``ensure_keys`` creates missing catalog keys."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(db_url or default_db_url(data_dir))
        db.create_all()
        keys = KeyStore(data_dir / "keys")
        if ensure_keys:
            keys.ensure()
        root_keys = keys.root_public_keys() if keys.root_path.exists() else []
        idempotency = IdempotencyStore(db)
        return cls(
            db=db,
            data_dir=data_dir,
            keys=keys,
            catalog=CatalogService(db, keys),
            uploads=UploadService(db, data_dir / "uploads"),
            enrollment=EnrollmentService(db, SecretBox(data_dir / "keys" / "kiosk-secrets.key"), root_keys),
            submissions=SubmissionService(db, idempotency),
            evaluations=EvaluationService(idempotency),
            heartbeat=HeartbeatService(db),
        )

    def close(self) -> None:
        self.db.dispose()
