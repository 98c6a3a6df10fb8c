"""A student's own mood check-in: one Signal per check-in, a calm thank-you, and their own history."""
from django.urls import reverse

from xinshao.alerts.models import Level, Signal, Source
from xinshao.audit.models import AuditEntry
from xinshao.sentinel.models import SelfCheckIn

URL = reverse("sentinel:checkin")


def test_a_check_in_is_a_self_checkin_signal_with_mood_stress_and_wish_to_talk(city, client_as):
    client = client_as(city.chen_user)
    response = client.post(URL, {"mood": "2", "stress": "4", "wants_talk": "on", "note": "考试好多，睡不着。"})
    assert response.status_code == 302 and response["Location"] == reverse("sentinel:checkin_thanks")
    checkin, signal = SelfCheckIn.objects.get(), Signal.objects.get()
    assert (checkin.student, checkin.mood, checkin.stress, checkin.wants_talk) == (city.chen, 2, 4, True)
    assert checkin.signal == signal
    assert (signal.student, signal.source, signal.raised_by) == (city.chen, Source.SELF_CHECKIN, city.chen_user)
    assert {k: signal.facts[k] for k in ("mood", "stress", "wants_talk")} == {"mood": 2, "stress": 4,
                                                                              "wants_talk": True}
    assert signal.note == "考试好多，睡不着。"
    thanks = client.get(reverse("sentinel:checkin_thanks")).content.decode()
    assert "心理老师会尽快联系你" in thanks and "12356" in thanks


def test_without_the_wish_to_talk_the_thank_you_promises_no_call(city, client_as):
    client = client_as(city.lin_user)  # a committee member checks in about himself too
    client.post(URL, {"mood": "4", "stress": "2"})
    thanks = client.get(reverse("sentinel:checkin_thanks")).content.decode()
    assert "谢谢你告诉我们" in thanks and "心理老师会尽快联系你" not in thanks
    assert Signal.objects.get().facts["wants_talk"] is False and Signal.objects.get().student == city.lin
    # The thank-you is shown once; coming back later leads to the check-in page.
    assert client.get(reverse("sentinel:checkin_thanks"))["Location"] == URL


def test_the_lowest_mood_raises_an_alert(city, client_as):
    client_as(city.chen_user).post(URL, {"mood": "1", "stress": "3"})
    assert Signal.objects.get().level == Level.YELLOW


def test_every_check_in_is_kept_even_on_the_same_day(city, client_as):
    client = client_as(city.chen_user)
    client.post(URL, {"mood": "4", "stress": "2"})
    client.post(URL, {"mood": "2", "stress": "4", "wants_talk": "on"})
    assert SelfCheckIn.objects.count() == 2 and Signal.objects.count() == 2


def test_bad_input_stores_nothing(city, client_as):
    client = client_as(city.chen_user)
    for data in ({"mood": "9", "stress": "2"}, {"mood": "3"}, {"stress": "3"}, {"mood": "x", "stress": "0"},
                 {"mood": "3", "stress": "3", "note": "长" * 2001}):
        response = client.post(URL, data)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert SelfCheckIn.objects.count() == 0 and Signal.objects.count() == 0


def test_a_student_sees_only_their_own_recent_check_ins_and_the_reading_is_audited(city, client_as):
    client_as(city.lin_user).post(URL, {"mood": "1", "stress": "5"})
    client = client_as(city.chen_user)
    client.post(URL, {"mood": "4", "stress": "2"})
    page = client.get(URL).content.decode()
    history = page.split("我最近的打卡")[1]
    assert "心情：还不错" in history and "压力：有一点" in history
    assert "很难受" not in history  # Lin's check-in is not on Chen's page
    entry = AuditEntry.objects.filter(action="sentinel.selfcheckin.view_own").last()
    assert (entry.actor_id, entry.student_id) == (city.chen_user.pk, city.chen.pk)
