"""API keys: created once and shown once, stored as SHA-256, looked up by hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.storage.models import ApiKey, utcnow
from submissions_schema import KeyRole

KEY_PREFIX = "gk_"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's id, name and role, and its own rate limit if it has one."""

    key_id: int
    name: str
    role: KeyRole
    rate_limit_per_min: int | None


def hash_key(key: str) -> str:
    # Keys are 32 random bytes: a plain SHA-256 is enough (no dictionary to attack).
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, role: KeyRole, name: str, rate_limit_per_min: int | None = None) -> str:
    """Store a new key and return it; it cannot be shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, role=role.value, prefix=key[:10], key_hash=hash_key(key),
                       rate_limit_per_min=rate_limit_per_min))
    session.commit()
    return key


def authenticate(session: Session, key: str) -> Caller | None:
    """The caller for ``key``, or ``None`` for an unknown or revoked key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)))
    if row is None:
        return None
    return Caller(row.id, row.name, KeyRole(row.role), row.rate_limit_per_min)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, key_id: int) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.commit()
    return True
