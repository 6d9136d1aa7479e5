"""The instance's Ed25519 signing key: the private key lives outside the database (the file
SIGNING_KEY_FILE, or the PEM text in SIGNING_KEY); its public half is registered, with the
time it came into use, the first time it signs. Putting a new key in place is a rotation:
the previous key's period ends, and it stays published so that what it signed still
verifies. A retired key never signs again."""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proofs.models import SigningKey
from proofs.verify import KEYS_FORMAT, fingerprint

WELL_KNOWN = ".well-known/corroborate-signing-keys.json"


def keys_url() -> str:
    """Where this instance publishes its keys (named in every manifest)."""
    return f"{settings.CORROBORATE_BASE_URL.rstrip('/')}/{WELL_KNOWN}"


class KeyUnavailable(Exception):
    """No key to sign with: none configured, unreadable, or retired. The message says how
    to mend it."""


@dataclass(frozen=True)
class InstanceKey:
    private: Ed25519PrivateKey
    fingerprint: str
    public_pem: str

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


_cache: dict[tuple, InstanceKey] = {}
_lock = threading.Lock()


def _source() -> tuple[str, bytes, tuple]:
    """Where the key comes from, its PEM, and what identifies this version of it."""
    if settings.SIGNING_KEY:
        text = settings.SIGNING_KEY.replace("\\n", "\n").encode()
        return "SIGNING_KEY", text, ("env", text)
    path = Path(settings.SIGNING_KEY_FILE)
    try:
        stat = path.stat()
        return str(path), path.read_bytes(), ("file", str(path), stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        raise KeyUnavailable(
            _(
                "This instance has no signing key (%(path)s): staff create one with "
                "“python manage.py signing_key create”."
            )
            % {"path": path}
        ) from None
    except OSError as error:
        raise KeyUnavailable(
            _("The signing key %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from None


def _load(where: str, pem: bytes) -> InstanceKey:
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise KeyUnavailable(
            _("The signing key in %(where)s is not a readable PEM private key: %(error)s")
            % {"where": where, "error": error}
        ) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyUnavailable(
            _("The signing key in %(where)s is not an Ed25519 key.") % {"where": where}
        )
    public = private.public_key()
    pem_text = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return InstanceKey(private, fingerprint(public), pem_text)


def configured_key() -> InstanceKey:
    """The key configured, read (KeyUnavailable when it cannot be), not yet registered."""
    where, pem, version = _source()
    with _lock:
        key = _cache.get(version)
        if key is None:
            key = _cache[version] = _load(where, pem)
    return key


def current_key() -> InstanceKey:
    """The key to sign with now, registered (and the previous one retired) on first use."""
    key = configured_key()
    register(key)
    return key


def register(key: InstanceKey) -> SigningKey:
    """The key's entry in the published list; a new key starts its period and ends the
    period of the one before it."""
    known = SigningKey.objects.filter(fingerprint=key.fingerprint).first()
    if known is not None:
        if known.valid_until is not None:
            raise KeyUnavailable(
                _(
                    "The signing key %(fingerprint)s was retired on %(date)s and signs nothing "
                    "more: create a new one with “python manage.py signing_key create --rotate”."
                )
                % {"fingerprint": key.fingerprint, "date": f"{known.valid_until:%Y-%m-%d}"}
            )
        return known
    try:
        with transaction.atomic():
            now = timezone.now()
            SigningKey.objects.select_for_update().filter(valid_until__isnull=True).update(
                valid_until=now
            )
            return SigningKey.objects.create(
                fingerprint=key.fingerprint, public_key=key.public_pem, valid_from=now
            )
    except IntegrityError:  # another process registered it first
        return SigningKey.objects.get(fingerprint=key.fingerprint)


def create_key_file(path: Path, *, rotate: bool = False) -> tuple[InstanceKey, Path | None]:
    """Write a new private key to `path` (readable by its owner only). An existing key is
    kept unless `rotate`: then it is moved aside (PATH.retired-TIME) for its owner to
    destroy, and its period ends when the new key signs first, or now (registered here)."""
    retired = None
    if path.exists():
        if not rotate:
            raise KeyUnavailable(
                _("%(path)s already holds a key; to replace it, add --rotate.") % {"path": path}
            )
        retired = path.with_name(f"{path.name}.retired-{timezone.now():%Y%m%dT%H%M%S}")
        path.rename(retired)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    key = _load(str(path), pem)
    # Not migrated yet (make run makes the key first): it registers on first use.
    with contextlib.suppress(DatabaseError):
        register(key)
    return key, retired


def published() -> dict:
    """Every key this instance signs or signed with, and when: what verifiers are given."""
    return {
        "format": KEYS_FORMAT,
        "instance": {
            "name": settings.CORROBORATE_ORGANISATION,
            "url": settings.CORROBORATE_BASE_URL,
            "keys_url": keys_url(),
        },
        "keys": [
            {
                "algorithm": "Ed25519",
                "fingerprint": key.fingerprint,
                "public_key": key.public_key,
                "valid_from": key.valid_from.isoformat(),
                "valid_until": key.valid_until.isoformat() if key.valid_until else None,
            }
            for key in SigningKey.objects.order_by("valid_from")
        ],
    }
