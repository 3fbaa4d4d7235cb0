"""Encryption at rest and keyed hashes, from one master key.

ID document numbers are encrypted with AES-GCM so they can be shown to a role that
may see them; beside them a keyed hash (HMAC-SHA256) lets an exact search or a
"last six" check run without decrypting anything. Codes are only ever hashed. The two
sub-keys are derived with HKDF so the hash key never doubles as the encryption key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from beian_desktop.services.private_files import PRIVATE_FILE, tighten

_NONCE_BYTES = 12
_KEY_BYTES = 32


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=info).derive(master)


class SecretKeys:
    def __init__(self, master: bytes) -> None:
        if len(master) != _KEY_BYTES:
            raise ValueError("the master key must be 32 bytes")
        self._aead = AESGCM(_derive(master, b"beian-desktop encryption v1"))
        self._hash_key = _derive(master, b"beian-desktop keyed hash v1")

    @classmethod
    def from_text(cls, text: str) -> SecretKeys:
        return cls(base64.urlsafe_b64decode(text.strip().encode("ascii")))

    @classmethod
    def load_or_create(cls, path: Path) -> SecretKeys:
        """Creates the key file on first run, readable by its owner only (0600)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            tighten(path, PRIVATE_FILE)
            return cls.from_text(path.read_text(encoding="ascii"))
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode("ascii"))
        return cls.from_text(path.read_text(encoding="ascii"))

    @staticmethod
    def generate_text() -> str:
        return base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode("ascii")

    def encrypt(self, text: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, text.encode("utf-8"), None)

    def decrypt(self, blob: bytes) -> str:
        return self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], None).decode("utf-8")

    def keyed_hash(self, purpose: str, value: str) -> str:
        """`purpose` separates the uses, so a last-six hash never matches a code hash."""
        message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()
