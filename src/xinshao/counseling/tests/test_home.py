"""The home offers each role its counseling pages, and nobody else."""
from xinshao.core.navigation import DESTINATIONS


def _offered(user) -> set[str]:
    return {d.url_name for d in DESTINATIONS if d.allowed(user) and d.url_name.startswith("counseling:")}


def test_the_home_offers_booking_slots_rooms_and_the_city_table_to_the_right_people(city):
    for booker in (city.chen_user, city.chen_ma_user, city.gao_a, city.lin_user):
        assert _offered(booker) == {"counseling:book"}, booker
    assert _offered(city.liu_a) == {"counseling:slots", "counseling:rooms"}
    assert _offered(city.xin) == {"counseling:slots", "counseling:compliance"}
    assert _offered(city.song_a) == {"counseling:rooms"}
    for reader in (city.bai, city.fen, city.du):
        assert _offered(reader) == {"counseling:compliance"}, reader
    for nobody in (city.zhang_a1, city.re, city.yi):
        assert _offered(nobody) == set(), nobody


def test_the_pages_read_in_english_too(city, client_as):
    client = client_as(city.bai)
    client.cookies["django_language"] = "en"
    response = client.get("/counseling/compliance/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "meet the standard" in response.content.decode()
