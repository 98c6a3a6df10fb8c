"""Encryption of sensitive values at rest (identity numbers, private notes).

Fernet (AES-128-CBC + HMAC) from the cryptography package; several keys allow rotation.
"""
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("a stored value cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from error


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and plain in Python; empty stays empty.

    Encrypted values cannot be searched or compared in SQL: look them up by another key.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
