from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.people.models import Enrolment


def test_opening_a_student_record_writes_an_audit_entry_naming_who_and_where(city, client_as):
    client_as(city.liu_a).get(reverse("people:student_detail", kwargs={"student_id": city.chen.pk}),
                              REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="student.view")
    assert (entry.actor_id, entry.student_id, entry.ip_address) == (city.liu_a.pk, city.chen.pk, "10.1.2.3")
    assert entry.path == f"/students/{city.chen.pk}/"


def test_a_refused_look_at_another_schools_student_is_not_a_read(city, client_as):
    client_as(city.liu_a).get(reverse("people:student_detail", kwargs={"student_id": city.zhou.pk}))
    assert not AuditEntry.objects.filter(student_id=city.zhou.pk).exists()


def test_school_admin_moves_a_student_to_another_class_and_history_is_kept(city, client_as):
    url = reverse("people:student_edit", kwargs={"student_id": city.chen.pk})
    response = client_as(city.song_a).post(url, {
        "name": city.chen.name, "gender": "F", "birth_date": "2013-05-02",
        "school_class": city.class_a2.pk, "status": "enrolled",
    })
    assert response.status_code == 302
    city.chen.refresh_from_db()
    assert city.chen.school_class == city.class_a2
    history = list(Enrolment.objects.filter(student=city.chen).order_by("id"))
    assert [e.school_class for e in history] == [city.class_a1, city.class_a2]
    assert history[0].ended_on is not None and history[1].ended_on is None
    assert AuditEntry.objects.filter(action="student.move_class", student_id=city.chen.pk).exists()


def test_a_class_of_another_school_cannot_be_chosen_even_by_a_forged_form(city, client_as):
    url = reverse("people:student_edit", kwargs={"student_id": city.chen.pk})
    response = client_as(city.song_a).post(url, {
        "name": city.chen.name, "gender": "F", "birth_date": "2013-05-02",
        "school_class": city.class_b1.pk, "status": "enrolled",
    })
    assert response.status_code == 200 and "school_class" in response.context["form"].errors
    city.chen.refresh_from_db()
    assert city.chen.school_class == city.class_a1


def test_a_future_birth_date_is_refused_with_a_clear_message_and_nothing_changes(city, client_as):
    url = reverse("people:student_edit", kwargs={"student_id": city.chen.pk})
    response = client_as(city.song_a).post(url, {
        "name": "改名", "gender": "F", "birth_date": "2099-01-01", "school_class": city.class_a1.pk, "status": "enrolled",
    })
    assert "出生日期必须早于今天" in response.content.decode()
    city.chen.refresh_from_db()
    assert city.chen.name == "陈小雨"


def test_student_search_finds_by_name_and_number(city, client_as):
    client = client_as(city.liu_a)
    assert city.chen.name in client.get(reverse("people:student_list") + "?q=陈").content.decode()
    body = client.get(reverse("people:student_list") + "?q=A2026002").content.decode()
    assert city.lin.name in body and city.chen.name not in body


def test_a_bad_filter_value_is_ignored_not_an_error(city, client_as):
    response = client_as(city.liu_a).get(reverse("people:student_list") + "?school_class=abc&page=zz")
    assert response.status_code == 200
