"""A guardian tells the school what worries them about their own child."""
from django.urls import reverse

from xinshao.alerts.models import Signal, Source
from xinshao.sentinel.models import GuardianConcern

URL = reverse("sentinel:concern")


def test_a_guardians_concern_is_a_guardian_concern_signal(city, client_as):
    client = client_as(city.chen_ma_user)
    response = client.post(URL, {"student": city.chen.pk, "concerns": ["sleep_energy", "anger"],
                                 "note": "最近晚上总哭，不肯上学。"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sentinel:concern_thanks")
    assert "已收到您反映的情况" in response.content.decode()
    concern, signal = GuardianConcern.objects.get(), Signal.objects.get()
    assert (concern.student, concern.guardian, concern.raised_by, concern.signal) == (
        city.chen, city.chen_ma, city.chen_ma_user, signal)
    assert (signal.student, signal.source, signal.raised_by) == (city.chen, Source.GUARDIAN_CONCERN,
                                                                 city.chen_ma_user)
    assert signal.facts["concerns"] == ["sleep_energy", "anger"]
    assert signal.note == "最近晚上总哭，不肯上学。"


def test_the_form_offers_only_the_guardians_own_children(city, client_as):
    page = client_as(city.chen_ma_user).get(URL).content.decode()
    assert city.chen.name in page and city.zhou.name not in page and city.lin.name not in page


def test_a_bad_concern_stores_nothing(city, client_as):
    client = client_as(city.chen_ma_user)
    for data in ({"student": city.zhou.pk, "concerns": ["low_mood"]}, {"student": city.chen.pk},
                 {"student": city.chen.pk, "concerns": ["x"]}, {"concerns": ["low_mood"]},
                 {"student": city.chen.pk, "concerns": ["low_mood"], "note": "长" * 2001}):
        response = client.post(URL, data)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode(), data
    assert GuardianConcern.objects.count() == 0 and Signal.objects.count() == 0
