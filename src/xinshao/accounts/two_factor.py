"""Second sign-in factor: TOTP codes (RFC 6238) from an authenticator app, and one-time recovery codes.

The secret is kept encrypted (core/crypto.py). A session carries SESSION_FLAG once its user has
passed the check, or at sign-in when they need none; TwoFactorMiddleware sends every other
signed-in session to the check first. The flag is decided once per session so that an ordinary
request costs no query.
"""
import secrets

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from xinshao.access.scopes import roles_of
from xinshao.accounts.models import RecoveryCode, TotpDevice
from xinshao.accounts.roles import TWO_FACTOR_ROLES

SESSION_FLAG = "xinshao_two_factor_verified"
ISSUER = "Xinshao"
RECOVERY_CODE_COUNT = 10
# A code of the step before or after the current one is still accepted: phone clocks drift.
VALID_WINDOW = 1


def confirmed_device(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def needs_second_factor(user) -> bool:
    """A user whose role sees individuals (when the setting asks for it), or anyone who enrolled."""
    if not user.is_authenticated:
        return False
    if settings.XINSHAO_REQUIRE_TOTP and roles_of(user) & TWO_FACTOR_ROLES:
        return True
    return confirmed_device(user) is not None


def is_verified(request) -> bool:
    return bool(request.session.get(SESSION_FLAG))


def mark_verified(request) -> None:
    request.session[SESSION_FLAG] = True


def session_started(request, user) -> None:
    """At sign-in: a user who needs no second factor is done with it for this session."""
    if not needs_second_factor(user):
        mark_verified(request)


def pending_device(user) -> TotpDevice:
    """The device being enrolled: a fresh secret the first time, the same one on a reload."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_code_data_uri(device: TotpDevice) -> str:
    """The enrolment QR code as an inline SVG: drawn here, nothing is fetched from elsewhere."""
    return segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2)


def _matching_step(device: TotpDevice, code: str, now) -> int | None:
    totp = pyotp.TOTP(device.secret)
    code = code.strip().replace(" ", "")
    step = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if constant_time_compare(totp.generate_otp(step + offset), code):
            return step + offset
    return None


def check_code(device: TotpDevice, code: str, *, now=None) -> bool:
    """True for a current code not used before; a used code is refused (no replay)."""
    step = _matching_step(device, code, now or timezone.now())
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        if step is None or (locked.last_step is not None and step <= locked.last_step):
            return False
        TotpDevice.objects.filter(pk=device.pk).update(last_step=step)
    return True


def _code_hash(code: str) -> str:
    # Recovery codes are long random strings, so a keyed fast hash is enough (no dictionary to try).
    return salted_hmac("xinshao.accounts.recovery_code", code.strip().lower(), algorithm="sha256").hexdigest()


def confirm_enrolment(device: TotpDevice, code: str, *, now=None) -> list[str] | None:
    """Confirm the device with one code; return the new recovery codes (shown once), or None."""
    now = now or timezone.now()
    if device.confirmed_at is not None or not check_code(device, code, now=now):
        return None
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=now)
        RecoveryCode.objects.filter(user=device.user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=device.user, code_hash=_code_hash(c)) for c in codes)
    return codes


def use_recovery_code(user, code: str, *, now=None) -> bool:
    used = RecoveryCode.objects.filter(user=user, code_hash=_code_hash(code), used_at__isnull=True).update(
        used_at=now or timezone.now())
    return used == 1


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
