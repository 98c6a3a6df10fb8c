"""Staff sign-in hardening: second factor, idle timeout, sign out everywhere, lock-out notice."""
import time

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from xinshao.accounts import two_factor
from xinshao.accounts.middleware import LAST_SEEN
from xinshao.accounts.models import RecoveryCode, TotpDevice
from xinshao.audit.models import AuditEntry
from xinshao.notifications.models import Notification
from xinshao.testing import PASSWORD


@pytest.fixture
def totp_required(settings):
    settings.XINSHAO_REQUIRE_TOTP = True
    return settings


def _sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _enrol(client, user) -> pyotp.TOTP:
    client.get(reverse("accounts:two_factor"))
    totp = pyotp.TOTP(TotpDevice.objects.get(user=user).secret)
    response = client.post(reverse("accounts:two_factor"), {"code": totp.now()})
    assert response.status_code == 200 and "只显示这一次" in response.content.decode()
    return totp


def test_a_psych_teacher_must_enrol_before_reaching_any_page(city, client, totp_required):
    assert _sign_in(client, "liu_a").status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:two_factor"))
    page = client.get(reverse("accounts:two_factor"))
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in body
    device = TotpDevice.objects.get(user=city.liu_a)
    assert device.secret in body and device.confirmed_at is None


def test_the_secret_is_stored_encrypted(city, client, totp_required):
    _sign_in(client, "liu_a")
    client.get(reverse("accounts:two_factor"))
    device = TotpDevice.objects.get(user=city.liu_a)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {TotpDevice._meta.db_table} WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert device.secret not in stored and len(stored) > 60


def test_enrolment_with_a_wrong_code_is_refused_and_a_right_one_shows_recovery_codes_once(city, client,
                                                                                          totp_required):
    _sign_in(client, "liu_a")
    client.get(reverse("accounts:two_factor"))
    totp = pyotp.TOTP(TotpDevice.objects.get(user=city.liu_a).secret)
    wrong = client.post(reverse("accounts:two_factor"), {"code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    shown = client.post(reverse("accounts:two_factor"), {"code": totp.now()}).content.decode()
    codes = RecoveryCode.objects.filter(user=city.liu_a)
    assert codes.count() == two_factor.RECOVERY_CODE_COUNT
    assert all(code.code_hash not in shown for code in codes) and shown.count("<li><code>") == 10
    assert client.get(reverse("core:home")).status_code == 200


def test_each_sign_in_asks_for_a_code_and_refuses_a_wrong_or_reused_one(city, client, totp_required):
    _sign_in(client, "liu_a")
    totp = _enrol(client, city.liu_a)
    client.post(reverse("accounts:logout"))
    _sign_in(client, "liu_a")
    assert client.get(reverse("core:home")).status_code == 302
    # The code used to enrol is spent: a replay is refused.
    assert client.post(reverse("accounts:two_factor"), {"code": totp.now()}).status_code == 400
    assert client.post(reverse("accounts:two_factor"), {"code": "12345"}).status_code == 400
    next_code = totp.at(time.time() + 30)
    response = client.post(reverse("accounts:two_factor"), {"code": next_code, "next": "/records/handovers/"})
    assert response.status_code == 302 and response["Location"] == "/records/handovers/"
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(actor_id=city.liu_a.pk, action="accounts.two_factor_passed").count() == 1


def test_a_recovery_code_works_once(city, client, totp_required):
    _sign_in(client, "liu_a")
    client.get(reverse("accounts:two_factor"))
    device = TotpDevice.objects.get(user=city.liu_a)
    codes = two_factor.confirm_enrolment(device, pyotp.TOTP(device.secret).now())
    assert client.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 302
    other = Client()
    _sign_in(other, "liu_a")
    assert other.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 400
    assert two_factor.remaining_recovery_codes(city.liu_a) == 9


def test_students_and_guardians_are_not_asked_for_a_second_factor(city, client, totp_required):
    for username in ("chen", "chen_ma", "lin"):
        client.post(reverse("accounts:logout"))
        _sign_in(client, username)
        assert client.get(reverse("core:home")).status_code == 200, username


def test_without_the_setting_staff_sign_in_with_a_password(city, client, settings):
    settings.XINSHAO_REQUIRE_TOTP = False
    _sign_in(client, "liu_a")
    assert client.get(reverse("core:home")).status_code == 200


def test_an_idle_session_is_signed_out(city, client_as, settings):
    settings.XINSHAO_IDLE_TIMEOUT_MINUTES = 15
    client = client_as(city.liu_a)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 14 * 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 16 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_the_other_sessions_too(city, client):
    phone, desk = Client(), Client()
    _sign_in(phone, "liu_a"), _sign_in(desk, "liu_a")
    assert phone.get(reverse("core:home")).status_code == 200
    assert desk.post(reverse("accounts:sign_out_everywhere")).status_code == 302
    assert phone.get(reverse("core:home")).status_code == 302
    assert desk.get(reverse("core:home")).status_code == 302
    assert _sign_in(phone, "liu_a").status_code == 302 and phone.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(actor_id=city.liu_a.pk, action="accounts.signed_out_everywhere").count() == 1


def test_the_account_page_offers_enrolment_and_sign_out_everywhere(city, client_as):
    body = client_as(city.chen_user).get(reverse("accounts:account")).content.decode()
    assert "启用两步验证" in body and reverse("accounts:sign_out_everywhere") in body


def test_a_locked_out_user_is_told_in_the_app(city, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "liu_a", "password": "wrong-password"})
    notice = Notification.objects.get(recipient=city.liu_a, topic="account_locked")
    assert "账号已被锁定 15 分钟" in notice.body and not notice.urgent


@pytest.mark.parametrize("password, problem", [
    ("short-pw1", "password_too_short"), ("password123", "password_too_common"),
    ("4839201746", "password_entirely_numeric"), ("xiaoming2026", "password_too_similar"),
])
def test_the_password_policy_refuses_weak_passwords(city, password, problem):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    city.liu_a.email = "liu.xiaoming@school.cn"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, city.liu_a)
    assert problem in {error.code for error in refused.value.error_list}


def test_the_demo_and_test_passwords_pass_the_policy(city):
    from django.contrib.auth.password_validation import validate_password

    from xinshao.demo.staff import DEMO_PASSWORD
    for password in (DEMO_PASSWORD, PASSWORD):
        validate_password(password, city.liu_a)
