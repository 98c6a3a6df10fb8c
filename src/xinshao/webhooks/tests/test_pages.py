"""The webhook pages: registering (secret shown once; only http(s) addresses), the delivery log, the test-send button."""
import pytest
from django.utils import timezone

from xinshao.webhooks.models import Endpoint, EndpointEvent
from xinshao.webhooks.sending import deliveries_attempt_due, pause_after
from xinshao.webhooks.tests.support import make_endpoint, red_alert


def _form(**changes) -> dict:
    return {"name": "区学籍系统", "url": "http://10.2.3.4:8080/xinshao", "events": ["alert.raised", "referral.sent"],
            **changes}


def test_registering_shows_the_secret_once(city, client_as):
    client = client_as(city.song_a)
    page = client.post("/webhooks/", _form(covers=f"school:{city.school_a.pk}")).content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in page and endpoint.school == city.school_a and endpoint.url.startswith("http://10.")
    assert endpoint.secret not in client.get("/webhooks/").content.decode()
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    # A school's own server by its one-word name on the campus network is a usable address.
    client.post("/webhooks/", _form(url="http://sis-server:8080/hook", covers=f"school:{city.school_a.pk}"))
    assert Endpoint.objects.filter(url="http://sis-server:8080/hook").exists()
    assert EndpointEvent.objects.filter(endpoint=endpoint, kind="created").exists()


@pytest.mark.parametrize("url", ["ftp://10.2.3.4/x", "file:///etc/passwd", "gopher://x.cn/", "10.2.3.4/hook",
                                 "http:///x", "http://sis:99999/x", "http://sis /x", ""])
def test_only_http_and_https_addresses_are_taken(city, client_as, url):
    response = client_as(city.bai).post("/webhooks/", _form(url=url, covers=f"region:{city.region.pk}"))
    assert response.status_code == 400 and not Endpoint.objects.exists()
    assert "http://" in response.content.decode()


def test_a_school_admin_registers_only_for_their_own_school(city, client_as):
    response = client_as(city.song_a).post("/webhooks/", _form(covers=f"school:{city.school_b.pk}"))
    assert response.status_code == 400 and not Endpoint.objects.exists()
    assert f"region:{city.region.pk}" not in client_as(city.song_a).get("/webhooks/").content.decode()


def test_the_delivery_log_shows_every_attempt(city, client_as, receiver):
    server = receiver(500, 200)
    endpoint = make_endpoint(city.song_a, city.school_a, server.url).endpoint
    red_alert(city)
    deliveries_attempt_due()
    deliveries_attempt_due(now=timezone.now() + pause_after(1))

    page = client_as(city.song_a).get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "alert.raised" in page and "HTTP 500" in page and "HTTP 200" in page and "30 秒后重试" in page
    assert "已送达" in page
    assert client_as(city.bai).get(f"/webhooks/{endpoint.pk}/").status_code == 200
    assert client_as(city.song_b).get(f"/webhooks/{endpoint.pk}/").status_code == 404
    assert client_as(city.liu_a).get(f"/webhooks/{endpoint.pk}/").status_code == 403


def test_the_test_send_button_pings_the_endpoint_at_once(city, client_as, receiver,
                                                         django_capture_on_commit_callbacks):
    server = receiver(204)
    endpoint = make_endpoint(city.song_a, city.school_a, server.url).endpoint
    client = client_as(city.song_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/webhooks/{endpoint.pk}/test/").status_code == 302
    (got,) = server.got
    assert got.headers["X-Xinshao-Event"] == "ping"
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "ping" in page and "HTTP 204" in page


def test_switching_off_stops_new_events(city, client_as, receiver):
    server = receiver(200)
    endpoint = make_endpoint(city.song_a, city.school_a, server.url).endpoint
    client_as(city.song_a).post(f"/webhooks/{endpoint.pk}/active/")
    assert not Endpoint.objects.get().is_active
    red_alert(city)
    assert deliveries_attempt_due() == 0 and server.got == []


def test_the_home_offers_webhooks_to_bureau_and_school_admins_only(city, client_as):
    for person in (city.bai, city.song_a):
        assert "/webhooks/" in client_as(person).get("/").content.decode()
    for person in (city.liu_a, city.xin, city.yi):
        assert "/webhooks/" not in client_as(person).get("/").content.decode()
