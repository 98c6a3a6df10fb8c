"""离校: a school admin records that a student left the city's schools. The open enrolment ends on
the day with the reason, the status changes, assignments still to answer are withdrawn, an open
case's owner is told; a refusal changes nothing; only the student's own school's admin gets the page."""
import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Assignment
from xinshao.campaigns.services import TargetChoice, campaign_close
from xinshao.campaigns.tests.staff_support import make_campaign
from xinshao.cases.models import CaseEvent
from xinshao.cases.tests.referral_support import open_case
from xinshao.notifications.models import Notification
from xinshao.people.models import Enrolment, Student
from xinshao.people.services import student_leave, student_move_class, student_update

LEFT_ON = datetime.date(2026, 11, 20)
MOVED = "随父母迁居杭州"


def leave(city, **overrides):
    return student_leave(**{"student": city.chen, "on": LEFT_ON, "status": Student.Status.TRANSFERRED_OUT,
                            "reason": MOVED, "actor": city.song_a, **overrides})


def unchanged(city) -> bool:
    chen = Student.objects.get(pk=city.chen.pk)
    open_enrolment = Enrolment.objects.get(student=chen, ended_on__isnull=True)
    return (chen.status == Student.Status.ENROLLED and open_enrolment.reason == ""
            and not AuditEntry.objects.filter(action="student.leave").exists())


def test_leaving_ends_the_open_enrolment_on_the_day_sets_the_status_and_is_audited(city):
    leaving = leave(city)
    chen = Student.objects.get(pk=city.chen.pk)
    assert chen.status == Student.Status.TRANSFERRED_OUT
    assert not Enrolment.objects.filter(student=chen, ended_on__isnull=True).exists()
    enrolment = Enrolment.objects.get(student=chen)
    assert (enrolment.ended_on, enrolment.reason, enrolment.pk) == (LEFT_ON, MOVED, leaving.enrolment.pk)
    entry = AuditEntry.objects.get(action="student.leave")
    assert (entry.actor_id, entry.student_id) == (city.song_a.pk, chen.pk)
    assert entry.detail == {"status": "transferred_out", "on": "2026-11-20", "enrolment": enrolment.pk,
                            "open_cases": [], "open_alerts": [], "assignments_withdrawn": 0}


def test_leaving_withdraws_what_is_still_to_answer_in_running_campaigns_only(city):
    running = make_campaign(city, created_by=city.liu_a, school=city.school_a,
                            targets=[TargetChoice(school=city.school_a)])
    finished = make_campaign(city, created_by=city.liu_a, school=city.school_a,
                             targets=[TargetChoice(school=city.school_a)])
    campaign_close(campaign=finished, actor=city.liu_a)
    assert leave(city).withdrawn == 1
    assert not Assignment.objects.filter(campaign=running, student=city.chen).exists()
    assert Assignment.objects.filter(campaign=running, student=city.lin).exists()
    assert Assignment.objects.filter(campaign=finished, student=city.chen).exists()
    assert AuditEntry.objects.get(action="student.leave").detail["assignments_withdrawn"] == 1


def test_an_open_case_stays_with_its_owner_who_is_told_and_finds_it_on_the_timeline(city):
    case = open_case(city, level="orange")
    leave(city)
    event = CaseEvent.objects.get(case=case, kind="student_left")
    assert (event.actor, event.reason, event.detail["on"]) == (city.song_a, MOVED, "2026-11-20")
    told = Notification.objects.get(recipient=city.liu_a, topic="case.student_left")
    assert told.link == reverse("cases:detail", args=[case.pk]) and city.chen.name not in told.body
    case.refresh_from_db()
    assert case.state != "closed" and case.owner == city.liu_a
    assert AuditEntry.objects.get(action="student.leave").detail["open_cases"] == [case.pk]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"on": timezone.localdate() + datetime.timedelta(days=1)}, "on"),
    ({"on": datetime.date(2026, 8, 31)}, "on"),          # before the enrolment started (2026-09-01)
    ({"status": Student.Status.SUSPENDED}, "status"),   # 休学 is not leaving
    ({"reason": "  "}, "reason"),
    ({"reason": "很" * 101}, "reason"),
])
def test_a_bad_leaving_is_refused_on_its_field_and_changes_nothing(city, overrides, field):
    with pytest.raises(ValidationError) as refused:
        leave(city, **overrides)
    assert field in refused.value.message_dict
    assert unchanged(city)


def test_a_student_who_has_left_cannot_leave_again_nor_move_class(city):
    leave(city)
    with pytest.raises(ValidationError, match="已不在校"):
        leave(city, on=LEFT_ON + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已不在校"):
        student_move_class(student=Student.objects.get(pk=city.chen.pk), to_class=city.class_a2, actor=city.song_a)
    assert Enrolment.objects.get(student=city.chen).ended_on == LEFT_ON
    assert AuditEntry.objects.filter(action="student.leave").count() == 1


def test_a_roster_edit_cannot_make_a_student_leave(city):
    with pytest.raises(ValidationError) as refused:
        student_update(student=city.chen, actor=city.song_a, status=Student.Status.GRADUATED)
    assert "status" in refused.value.message_dict
    assert unchanged(city)


# --- the page ---------------------------------------------------------------------------------

def leave_url(student) -> str:
    return reverse("people:student_leave", kwargs={"student_id": student.pk})


FORM = {"status": "graduated", "on": "2026-11-20", "reason": "初中毕业", "confirm": "on"}


def test_the_school_admin_sees_what_will_happen_and_when_retention_anonymises(city, client_as):
    client = client_as(city.song_a)
    detail = client.get(reverse("people:student_detail", kwargs={"student_id": city.chen.pk})).content.decode()
    assert leave_url(city.chen) in detail
    page = client.get(leave_url(city.chen))
    body = page.content.decode()
    expected = timezone.localdate() + relativedelta(months=24) + datetime.timedelta(days=1)
    assert page.status_code == 200 and "24 个月" in body and expected.isoformat() in body


def test_the_school_admin_records_the_leaving_and_the_record_says_when_it_is_anonymised(city, client_as):
    client = client_as(city.song_a)
    response = client.post(leave_url(city.chen), FORM)
    assert response.status_code == 302
    chen = Student.objects.get(pk=city.chen.pk)
    assert chen.status == Student.Status.GRADUATED
    assert Enrolment.objects.get(student=chen).ended_on == LEFT_ON
    detail = client.get(reverse("people:student_detail", kwargs={"student_id": chen.pk})).content.decode()
    assert "2028-11-21" in detail and leave_url(chen) not in detail
    assert "不能再办理离校" in client.get(leave_url(chen)).content.decode()


def test_a_refused_leaving_shows_the_reason_on_the_form_with_400(city, client_as):
    response = client_as(city.song_a).post(leave_url(city.chen), {**FORM, "on": "2026-08-01"})
    assert response.status_code == 400 and "不能早于本段在读记录的开始日期" in response.content.decode()
    assert unchanged(city)
    response = client_as(city.song_a).post(leave_url(city.chen), {k: v for k, v in FORM.items() if k != "confirm"})
    assert response.status_code == 400 and unchanged(city)


def test_another_schools_admin_gets_404_and_changes_nothing(city, client_as):
    client = client_as(city.song_b)
    assert client.get(leave_url(city.chen)).status_code == 404
    assert client.post(leave_url(city.chen), FORM).status_code == 404
    assert unchanged(city)


def test_the_page_names_an_open_case_only_to_someone_who_may_read_it(city, client_as):
    case = open_case(city, level="orange")   # a school admin reads the school's red cases only
    assert "这名学生有" not in client_as(city.song_a).get(leave_url(city.chen)).content.decode()
    case.level = "red"
    case.save(update_fields=["level"])
    assert "这名学生有 1 个未结案的个案" in client_as(city.song_a).get(leave_url(city.chen)).content.decode()


def test_the_edit_form_offers_only_the_states_of_a_student_at_school(city, client_as):
    url = reverse("people:student_edit", kwargs={"student_id": city.chen.pk})
    response = client_as(city.song_a).post(url, {
        "name": city.chen.name, "gender": "F", "birth_date": "2013-05-02", "school_class": city.class_a1.pk,
        "status": "left"})
    assert response.status_code == 200 and "status" in response.context["form"].errors
    assert unchanged(city)
