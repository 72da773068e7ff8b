"""Engines, sessions and migrations (Alembic, run programmatically)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets a busy timeout and WAL so API and worker can share it."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes start at once (gunicorn workers, grading workers): one migrates.
            connection.execute(text("SELECT pg_advisory_xact_lock(7420417)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


SWEEP_LOCK_KEY = 7420418  # pg_advisory lock id of the sweep (7420417 is the migration's)


def sweep_lock(session: Session) -> bool:
    """Take the sweep's lock for the session's transaction; ``False`` when another sweep holds it.

    PostgreSQL: a transaction-scoped advisory lock, tried without waiting. SQLite: the
    database's write lock (``BEGIN IMMEDIATE``), which a second sweep waits for; by then
    the first one has taken back everything, so the second finds nothing left to do.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SWEEP_LOCK_KEY}))
    if dialect == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
    return True
