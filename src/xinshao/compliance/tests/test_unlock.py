"""Unlocking an account locked by failed sign-ins (django-axes), from a page, audited."""
import pytest
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.compliance.models import UnlockEvent
from xinshao.compliance.selectors import is_locked_out
from xinshao.testing import PASSWORD


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture
def liu_locked(city, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "liu_a", "wrong-password")
    response = _sign_in(client, "liu_a", PASSWORD)
    assert response.status_code == 429 and "已锁定账号" in response.content.decode()
    return city.liu_a


def test_a_school_admin_unlocks_their_staff_and_they_sign_in_again(city, liu_locked, client_as, client):
    admin = client_as(city.song_a)
    page = admin.get(reverse("compliance:locked")).content.decode()
    assert "liu_a" in page and "解除锁定" in page
    response = admin.post(reverse("compliance:unlock", args=[liu_locked.pk]))
    assert response.status_code == 302 and not is_locked_out("liu_a")
    assert AuditEntry.objects.filter(action="compliance.account_unlocked", actor_id=city.song_a.pk,
                                     object_id=str(liu_locked.pk)).count() == 1
    assert UnlockEvent.objects.filter(user=liu_locked, actor=city.song_a).count() == 1
    admin.logout()
    assert _sign_in(client, "liu_a", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(liu_locked.pk)


def test_another_schools_admin_neither_sees_nor_unlocks(city, liu_locked, client_as):
    other = client_as(city.song_b)
    assert "liu_a" not in other.get(reverse("compliance:locked")).content.decode()
    assert other.post(reverse("compliance:unlock", args=[liu_locked.pk])).status_code == 404
    assert is_locked_out("liu_a")


def test_the_bureau_admin_sees_the_regions_locked_accounts(city, liu_locked, client_as):
    assert "liu_a" in client_as(city.bai).get(reverse("compliance:locked")).content.decode()
    assert client_as(city.liu_a).get(reverse("compliance:locked")).status_code == 403


def test_unlocking_an_account_that_is_not_locked_changes_nothing(city, client_as):
    response = client_as(city.song_a).post(reverse("compliance:unlock", args=[city.liu_a.pk]), follow=True)
    assert "没有被锁定" in response.content.decode()
    assert not UnlockEvent.objects.exists()
