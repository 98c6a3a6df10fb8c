"""One-campaign access codes: random, unguessable, typed on a phone, looked up by a keyed digest."""
import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L: a child copies the code from a printed sheet.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # 31^10 ≈ 8e14 codes: guessing one of a city's 145,000 by chance is hopeless, and attempts are throttled


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(raw: str) -> str:
    """What a person typed, as stored: upper case, without the spaces and dashes of the printed form."""
    return "".join(raw.split()).replace("-", "").upper()


def code_digest(code: str) -> str:
    key = hashlib.sha256(f"xinshao-access-code|{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code_normalise(code).encode(), hashlib.sha256).hexdigest()


def code_display(code: str) -> str:
    """Grouped for reading aloud and copying: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"
