import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.alerts.models import Signal, Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import CaseEvent
from xinshao.cases.services import case_open
from xinshao.hotline import services
from xinshao.hotline.models import Call, Topic
from xinshao.hotline.tests.support import form_data, log

pytestmark = pytest.mark.django_db


def test_an_operator_logs_a_call_about_a_student_found_by_name_and_school(city, client_as):
    topic = Topic.objects.get(name="学业压力")
    response = client_as(city.re).post(reverse("hotline:call_new"), form_data(
        school=city.school_a.pk, student_name="陈小雨", topics=[topic.pk], actions=["advice"]))
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hotline:call_detail", args=[call.pk])
    assert (call.student, call.school, call.operator, call.risk) == (city.chen, city.school_a, city.re, "low")
    assert list(call.topics.all()) == [topic] and call.actions == ["advice"]
    assert call.notes == "说最近考试压力大，睡不好"
    assert call.signal is None  # low risk, nothing ticked
    assert call.events.get().kind == "logged"
    search = AuditEntry.objects.get(action="hotline.student_search")
    assert search.detail["students"] == [city.chen.pk] and search.actor_id == city.re.pk


def test_the_notes_are_stored_encrypted(city):
    call = log(city, notes="来电人说不想活了")
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("select notes from hotline_call where id = %s", [call.pk])
        assert "不想活" not in cursor.fetchone()[0]


def test_an_unidentified_call_keeps_the_callers_description(city, client_as):
    response = client_as(city.re).post(reverse("hotline:call_new"), form_data(
        caller_type="guardian", caller_description="一位父亲，孩子读初二"))
    assert response.status_code == 302
    call = Call.objects.get()
    assert call.student is None and call.caller_description == "一位父亲，孩子读初二"


@pytest.mark.parametrize("changes,field", [
    ({"call_type": ""}, "call_type"),
    ({"call_type": "shouting"}, "call_type"),
    ({"caller_type": ""}, "caller_type"),
    ({"channel": "fax"}, "channel"),
    ({"risk": "extreme"}, "risk"),
    ({"urgency": ""}, "urgency"),
    ({"duration_minutes": ""}, "duration_minutes"),
    ({"duration_minutes": "-3"}, "duration_minutes"),
    ({"duration_minutes": "abc"}, "duration_minutes"),
    ({"duration_minutes": "9999"}, "duration_minutes"),
    ({"started_at": ""}, "started_at"),
    ({"started_at": "yesterday"}, "started_at"),
    ({"actions": ["hug"]}, "actions"),
    ({"topics": ["999999"]}, "topics"),
    ({"callback_owed": "on"}, "callback_due_at"),
    ({"callback_owed": "on", "callback_due_at": "soon"}, "callback_due_at"),
    ({"student_name": "陈小雨"}, "school"),
    ({"school": "999999", "student_name": "陈小雨"}, "school"),
    ({"school": "A", "student_name": "陈小"}, "student_name"),       # a partial name finds nobody
    ({"school": "B", "student_name": "陈小雨"}, "student_name"),     # wrong school
    ({"school": "A", "student_number": "A2026"}, "student_name"),   # partial number
    ({"raise_alert": "on"}, "raise_alert"),                          # nobody to raise it about
    ({"notes": "长" * 4001}, "notes"),
])
def test_every_invalid_input_is_shown_next_to_its_field_and_nothing_is_stored(city, client_as, changes, field):
    schools = {"A": city.school_a.pk, "B": city.school_b.pk}
    data = form_data(**{k: schools.get(v, v) if k == "school" else v for k, v in changes.items()})
    response = client_as(city.re).post(reverse("hotline:call_new"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Call.objects.exists()


def test_the_service_refuses_a_call_in_the_future_and_stores_nothing(city):
    with pytest.raises(Exception):
        log(city, started_at=timezone.now() + datetime.timedelta(hours=2))
    assert not Call.objects.exists()


def test_an_imminent_risk_call_raises_a_red_alert_once(city):
    call = log(city, student=city.chen, school=city.school_a, risk="imminent", notes="手里有药")
    signal = call.signal
    assert signal.source == Source.HOTLINE_CALL and signal.origin == f"call:{call.pk}"
    assert signal.alert.level == "red" and signal.alert.student == city.chen
    assert "手里有药" not in signal.note  # the school never reads the operator's notes
    services._raise_and_link(call, city.re, timezone.now(), None)  # a second try adds nothing
    assert Signal.objects.filter(source=Source.HOTLINE_CALL).count() == 1


def test_a_high_risk_call_raises_an_orange_alert(city):
    assert log(city, student=city.zhou, school=city.school_b, risk="high").signal.alert.level == "orange"


def test_a_ticked_alert_on_a_low_risk_call_raises_a_yellow_one(city):
    call = log(city, student=city.chen, school=city.school_a, risk="low", raise_alert=True)
    assert call.signal.alert.level == "yellow" and call.signal.facts["operator_raised"] is True


def test_a_medium_call_without_the_tick_raises_nothing(city):
    assert log(city, student=city.chen, school=city.school_a, risk="medium").signal is None
    assert not Signal.objects.exists()


def test_a_call_about_a_student_with_an_open_case_joins_the_case_timeline(city, client_as):
    alert = signal_receive(student=city.chen, source=Source.TEACHER_REFERRAL, raised_by=city.zhang_a1,
                           facts={"concerns": ["self_harm_talk"]}).alert
    case = case_open(student=city.chen, level="red", reason="教师转介", actor=city.liu_a, alert=alert)
    call = log(city, student=city.chen, school=city.school_a, risk="low", notes="妈妈说孩子这周好些了")
    assert call.case == case
    event = CaseEvent.objects.get(case=case, kind="hotline_call")
    assert event.detail["call"] == call.pk and "好些了" not in str(event.detail) + event.reason
    page = client_as(city.liu_a).get(reverse("cases:detail", args=[case.pk]))
    text = page.content.decode()
    assert "热线来电" in text and "妈妈说孩子这周好些了" not in text


def test_follow_up_calls_thread_to_the_first_call(city, client_as):
    first = log(city, student=city.chen, school=city.school_a)
    second = log(city, follow_up_of=first)
    third = log(city, follow_up_of=second)  # a follow-up of a follow-up still hangs off the first
    assert second.follow_up_of == first and third.follow_up_of == first
    page = client_as(city.re).get(reverse("hotline:call_detail", args=[third.pk]))
    assert [c.pk for c in page.context["thread"]] == [first.pk, second.pk, third.pk]


def test_a_follow_up_logged_from_its_page_links_to_the_first(city, client_as):
    first = log(city)
    response = client_as(city.re).post(reverse("hotline:call_follow_up", args=[first.pk]), form_data())
    assert response.status_code == 302
    assert Call.objects.exclude(pk=first.pk).get().follow_up_of == first


def test_a_call_back_is_owed_then_done_by_the_next_shift(city, client_as):
    now = timezone.now()
    call = log(city, callback_due_at=now + datetime.timedelta(hours=4))
    assert call.callback_open
    listed = client_as(city.re).get(reverse("hotline:callbacks"))
    assert [c.pk for c in listed.context["rows"]] == [call.pk]
    empty = client_as(city.re).post(reverse("hotline:callback", args=[call.pk]), {"outcome": ""})
    assert empty.status_code == 400 and "outcome" in empty.context["form"].errors
    done = client_as(city.re).post(reverse("hotline:callback", args=[call.pk]), {"outcome": "已回电，情况稳定"})
    assert done.status_code == 302
    call.refresh_from_db()
    assert not call.callback_open and call.callback_outcome == "已回电，情况稳定" and call.callback_done_by == city.re
    assert call.events.filter(kind="callback_done").exists()


def test_open_call_backs_list_the_overdue_first(city):
    from xinshao.hotline.selectors import callbacks_open
    now = timezone.now()
    later = log(city, callback_due_at=now + datetime.timedelta(hours=5))
    overdue = log(city, started_at=now - datetime.timedelta(days=2), callback_due_at=now - datetime.timedelta(days=1))
    log(city)  # none owed
    assert list(callbacks_open(Call.objects.all())) == [overdue, later]


def test_only_the_author_edits_a_call(city, client_as):
    call = log(city)
    edited = client_as(city.re).post(reverse("hotline:call_edit", args=[call.pk]), form_data(risk="medium"))
    assert edited.status_code == 302
    call.refresh_from_db()
    assert call.risk == "medium" and call.events.filter(kind="edited").exists()
    assert client_as(city.xin).post(reverse("hotline:call_edit", args=[call.pk]), form_data()).status_code == 403


def test_an_overdue_call_back_is_told_to_its_operator_once_when_the_clock_moves(city):
    from xinshao.notifications.models import Notification
    now = timezone.now()
    call = log(city, student=city.chen, school=city.school_a, callback_due_at=now + datetime.timedelta(hours=2))
    assert services.callbacks_remind_overdue(now=now) == 0
    later = now + datetime.timedelta(hours=3)
    assert services.callbacks_remind_overdue(now=later) == 1
    assert services.callbacks_remind_overdue(now=later + datetime.timedelta(hours=1)) == 0
    note = Notification.objects.get(recipient=city.re, topic="hotline.callback")
    assert "陈小雨" not in note.subject + note.body and note.link == reverse("hotline:call_detail", args=[call.pk])
    assert call.events.filter(kind="callback_reminded").exists()


def test_the_call_pages_read_in_english(city, client_as):
    call = log(city, student=city.chen, school=city.school_a, risk="high", callback_due_at=timezone.now())
    client = client_as(city.re)
    client.cookies["django_language"] = "en"
    form = client.get(reverse("hotline:call_new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Help-seeking" in form and "Save the call" in form
    detail = client.get(reverse("hotline:call_detail", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call-back" in detail and "High" in detail
    stats = client.get(reverse("hotline:statistics"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Calls by risk" in stats
