"""The signature of a webhook: HMAC-SHA256 with the endpoint's secret over "<timestamp>.<body>".

Sent as `X-Xinshao-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes the digest
over the raw body it got (before parsing it), compares in constant time, and refuses a timestamp
far from its own clock, so a captured request cannot be replayed later (docs/api.md shows how).
"""
import hashlib
import hmac
import time

HEADER = "X-Xinshao-Signature"
TOLERANCE_SECONDS = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def signature_valid(secret: str, header: str, body: bytes, *, now: float | None = None,
                    tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver checks: a v1 digest that matches, made within `tolerance` seconds of now."""
    parts = dict(item.strip().split("=", 1) for item in (header or "").split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _digest(secret, timestamp, body))
