"""Failed access-code attempts, counted per client address in Django's cache.

A code is one of 31^10 (codes.py), so guessing is hopeless even without a limit; the limit
stops a script from trying at all. It is generous on purpose: a computer lab of 45
children reaches the server from one address, and children mistype codes. Success never
resets the count, so a valid code cannot be used to clear a guessing run.
"""
from django.core.cache import cache

FAILURE_LIMIT = 30
WINDOW_SECONDS = 10 * 60


def _key(address: str) -> str:
    return f"xinshao:respond:code-failures:{address}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def code_attempts_blocked(address: str) -> bool:
    return cache.get(_key(address), 0) >= FAILURE_LIMIT


def code_failure_record(address: str) -> None:
    """Count one failure; the window starts at the first failure and is not extended by later ones."""
    key = _key(address)
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: this failure starts a new window
            cache.add(key, 1, timeout=WINDOW_SECONDS)
