from django.contrib.auth.hashers import check_password, identify_hasher
from django.test import override_settings
from django.urls import reverse

from xinshao.testing import PASSWORD


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_leads_to_the_roles_home_page(city, client):
    response = _sign_in(client, "liu_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home")).content.decode()
    assert "学校心理教师" in home and city.school_a.name in home and "学生名册" in home


def test_a_wrong_password_is_refused_with_a_message(city, client):
    response = _sign_in(client, "liu_a", "wrong-password")
    assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(city, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "liu_a", "wrong-password")
    response = _sign_in(client, "liu_a", PASSWORD)
    assert response.status_code == 429 and "密码输错次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(city, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "liu_a", "wrong-password")
    assert _sign_in(client, "song_a", PASSWORD).status_code == 302


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_stored_with_argon2(city):
    city.liu_a.set_password("a-new-long-password")
    assert identify_hasher(city.liu_a.password).algorithm == "argon2"
    assert check_password("a-new-long-password", city.liu_a.password)


def test_sign_out_needs_a_post_and_ends_the_session(city, client_as):
    client = client_as(city.liu_a)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_the_sign_in_page_is_chinese_by_default_and_english_on_request(db, client):
    assert "登录心哨" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in to Xinshao" in client.get(reverse("accounts:login")).content.decode()
