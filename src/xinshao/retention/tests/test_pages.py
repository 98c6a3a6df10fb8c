"""The bureau's policy and run pages: who sees them, who changes the policy, what a bad change gets."""
import pytest
from django.urls import reverse

from xinshao.core.navigation import DESTINATIONS
from xinshao.retention.models import PolicyChange, RetentionPolicy, RetentionRun


@pytest.mark.parametrize("person,status", [("bai", 200), ("xin", 200), ("fen", 200), ("song_a", 403),
                                           ("liu_a", 403), ("chen_ma_user", 403)])
def test_the_bureau_reads_the_policy_and_the_runs(city, client_as, person, status):
    client = client_as(getattr(city, person))
    assert client.get(reverse("retention:policies")).status_code == status
    assert client.get(reverse("retention:runs")).status_code == status


def test_only_the_bureau_admin_changes_the_policy_or_starts_a_run(city, client_as):
    edit = reverse("retention:policy_edit", args=["notifications"])
    for person in (city.xin, city.fen):
        client = client_as(person)
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"months": 6, "action": "delete", "reason": "够用了"}).status_code == 403
        assert client.post(reverse("retention:run_start"), {"mode": "run"}).status_code == 403
    assert not RetentionPolicy.objects.exists() and not RetentionRun.objects.exists()
    assert client_as(city.bai).get(reverse("retention:policy_edit", args=["nothing"])).status_code == 404


def test_a_bad_change_says_what_is_wrong_and_changes_nothing(city, client_as):
    client = client_as(city.bai)
    response = client.post(reverse("retention:policy_edit", args=["notifications"]),
                           {"months": 6, "action": "anonymise", "reason": ""})
    assert response.status_code == 400
    assert not RetentionPolicy.objects.exists()
    response = client.post(reverse("retention:policy_edit", args=["notifications"]),
                           {"months": 0, "action": "delete", "reason": "太久了"})
    assert response.status_code == 400 and not RetentionPolicy.objects.exists()


def test_a_change_shows_on_the_policy_page_with_who_and_why(city, client_as):
    client = client_as(city.bai)
    response = client.post(reverse("retention:policy_edit", args=["notifications"]),
                           {"months": 6, "action": "delete", "reason": "半年足以查证"})
    assert response.status_code == 302
    assert (RetentionPolicy.objects.get(kind="notifications").months, PolicyChange.objects.count()) == (6, 1)
    page = client.get(reverse("retention:policies")).content.decode()
    assert "半年足以查证" in page and city.bai.display_name in page


def test_the_admin_starts_a_preview_and_the_run_is_listed(city, client_as):
    client = client_as(city.bai)
    assert client.post(reverse("retention:run_start"), {"mode": "dry"}).status_code == 302
    runs = RetentionRun.objects.all()
    assert runs.count() == 9 and all(run.dry_run and run.started_by == city.bai for run in runs)
    page = client.get(reverse("retention:runs")).content.decode()
    assert "notifications" in page and city.bai.display_name in page


def test_each_home_offers_the_retention_pages_its_role_may_use(city):
    def offered(user):
        return {d.url_name for d in DESTINATIONS if d.allowed(user) and d.url_name.startswith("retention:")}

    for user in (city.bai, city.xin, city.fen):
        assert offered(user) == {"retention:policies"}
    for user in (city.chen_ma_user, city.liu_a, city.song_a):
        assert offered(user) == {"retention:copies"}
    for user in (city.zhang_a1, city.chen_user, city.du, city.re, city.yi):
        assert offered(user) == set()
