"""The token page: a new token's secret is shown once, the list shows only one's own, revoking ends it."""
import datetime

from django.utils import timezone

from xinshao.api.models import AccessToken
from xinshao.api.services import secret_hash
from xinshao.audit.models import AuditEntry


def _form(**changes) -> dict:
    return {"name": "区学籍系统同步", "scope": "read",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), **changes}


def test_a_new_tokens_secret_is_shown_once_and_only_its_hash_kept(city, client_as):
    client = client_as(city.song_a)
    page = client.post("/api/tokens/", _form()).content.decode()
    token = AccessToken.objects.get(owner=city.song_a)
    secret = next(word for word in page.replace("<", " ").replace(">", " ").split() if word.startswith("xs_")
                  and len(word) > 20)
    assert secret_hash(secret) == token.secret_sha256
    assert secret not in client.get("/api/tokens/").content.decode()
    assert client.get("/api/v1/schools", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert AuditEntry.objects.filter(action="api.token_created", actor_id=city.song_a.pk).exists()


def test_a_mistake_stores_nothing_and_says_where(city, client_as):
    response = client_as(city.song_a).post("/api/tokens/", _form(
        name=" ", expires_on=(timezone.localdate() + datetime.timedelta(days=400)).isoformat()))
    assert response.status_code == 400 and not AccessToken.objects.exists()
    assert "366" in response.content.decode()


def test_the_list_shows_ones_own_tokens_and_revoking_ends_one(city, client_as):
    client_as(city.liu_a).post("/api/tokens/", _form(name="刘老师的令牌"))
    token = AccessToken.objects.get(owner=city.liu_a)
    client = client_as(city.song_a)
    assert "刘老师的令牌" not in client.get("/api/tokens/").content.decode()
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    client = client_as(city.liu_a)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert AccessToken.objects.get(pk=token.pk).revoked_at is not None
    assert "已撤销" in client.get("/api/tokens/").content.decode()


def test_the_home_offers_the_token_page_to_staff_and_clinicians_not_to_students(city, client_as):
    for person in (city.liu_a, city.bai, city.yi):
        assert "/api/tokens/" in client_as(person).get("/").content.decode()
    for person in (city.chen_user, city.chen_ma_user):
        assert "/api/tokens/" not in client_as(person).get("/").content.decode()
