"""Platform tables (SQLAlchemy 2.x, SQLite or PostgreSQL) and the database handle.

Times are stored as naive UTC datetimes. JSON payloads are stored as text exactly as canonicalised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def utcnow() -> datetime:
    """Current UTC time, naive (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Base(DeclarativeBase):
    pass


class Kiosk(Base):
    __tablename__ = "kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_point: Mapped[str | None] = mapped_column(String(200))
    secret_enc: Mapped[bytes] = mapped_column(LargeBinary)  # AES-GCM nonce + ciphertext (see enrollment.py)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_heartbeat: Mapped[str | None] = mapped_column(Text)


class EnrollmentToken(Base):
    __tablename__ = "enrollment_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogVersion(Base):
    __tablename__ = "catalog_versions"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    expires: Mapped[str] = mapped_column(String(40))  # exactly the signed string
    signature_json: Mapped[str] = mapped_column(Text)  # {"signature": ..., "signer": ...}
    record_count: Mapped[int] = mapped_column(Integer)
    upserts: Mapped[int] = mapped_column(Integer)
    tombstones: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(500))


class CatalogRecord(Base):
    """The live set: one row per live record, with the version that last changed it."""

    __tablename__ = "catalog_records"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    data_json: Mapped[str] = mapped_column(Text)  # canonical JSON of the whole record
    modified_version: Mapped[int] = mapped_column(Integer, index=True)


class CatalogTombstone(Base):
    """Append-only tombstone ledger: (kind, id) deleted in ``version``."""

    __tablename__ = "catalog_tombstones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, index=True)


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256_expected: Mapped[str | None] = mapped_column(String(64))  # hex
    sha256_actual: Mapped[str | None] = mapped_column(String(64))  # hex, set on completion
    filename: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform_id: Mapped[str] = mapped_column(String(40), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(64), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    item_code: Mapped[str] = mapped_column(String(100))
    bundle_code: Mapped[str | None] = mapped_column(String(100))
    applicant_key: Mapped[str] = mapped_column(String(64), index=True)  # sha256 hex of the ID number
    payload_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class StatusChange(Base):
    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))


class Evaluation(Base):
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evaluation_id: Mapped[str] = mapped_column(String(40), unique=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(20))
    rating: Mapped[int] = mapped_column(Integer)
    payload_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)


class IdempotencyRecord(Base):
    """Kept forever: key per kiosk, request fingerprint, stored response once done."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("kiosk_id", "key", name="uq_idempotency_kiosk_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in_flight | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_json: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class RemoteConfig(Base):
    """Remote configuration answered to heartbeats: global (kiosk_id "*") or per-kiosk overrides."""

    __tablename__ = "remote_config"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


Index("ix_tombstone_record", CatalogTombstone.kind, CatalogTombstone.record_id)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite recipe)
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # Writers take the lock up front (no read->write upgrade deadlocks); readers use a snapshot.
        readonly = conn.get_execution_options().get("platform_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


class Database:
    """Engine + session factory; ``session()`` is a unit of work committed on success."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(
            self.engine.execution_options(platform_readonly=True), expire_on_commit=False
        )

    def create_all(self) -> None:
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads (a deferred snapshot on SQLite)."""
        with self._read_factory() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
