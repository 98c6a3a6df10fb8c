import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.hotline import selectors, services
from xinshao.hotline.models import Topic, Visit
from xinshao.hotline.tests.support import log

pytestmark = pytest.mark.django_db


def _visit(city, **overrides):
    fields = {"recorded_by": city.xin, "visited_at": timezone.now() - datetime.timedelta(hours=1),
              "counselor": city.xin, "family_members": "母亲 王丽\n父亲 陈强", "presenting_concern": "孩子不愿上学",
              "outcome": "continue", "next_visit_on": timezone.localdate() + datetime.timedelta(days=7)}
    fields.update(overrides)
    return services.visit_record(**fields)


def _form(**overrides):
    data = {"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "family_members": "母亲 王丽",
            "presenting_concern": "孩子不愿上学", "outcome": "continue"}
    data.update(overrides)
    return data


def test_the_centre_records_a_family_visit_with_a_student_found_by_search(city, client_as):
    response = client_as(city.xin).post(reverse("hotline:visit_new"), _form(
        counselor=city.xin.pk, school=city.school_a.pk, student_number="A2026001",
        next_visit_on=str(timezone.localdate() + datetime.timedelta(days=7))))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert list(visit.students.all()) == [city.chen] and visit.family_lines() == ["母亲 王丽"]
    assert visit.events.get().kind == "recorded"


def test_a_family_that_comes_about_two_children_has_both_on_the_visit(city, client_as):
    response = client_as(city.xin).post(reverse("hotline:visit_new"), _form(
        counselor=city.xin.pk, school=city.school_a.pk, student_number=city.chen.student_number,
        school_2=city.school_a.pk, student_name_2=city.lin.name))
    assert response.status_code == 302
    assert set(Visit.objects.get().students.all()) == {city.chen, city.lin}


def test_a_second_child_who_is_not_found_is_refused_next_to_the_field(city, client_as):
    response = client_as(city.xin).post(reverse("hotline:visit_new"), _form(
        counselor=city.xin.pk, school=city.school_a.pk, student_number=city.chen.student_number,
        school_2=city.school_a.pk, student_name_2="不存在"))
    assert response.status_code == 400 and "student_name_2" in response.context["form"].errors
    assert not Visit.objects.exists()


@pytest.mark.parametrize("changes,field", [
    ({"family_members": ""}, "family_members"),
    ({"presenting_concern": ""}, "presenting_concern"),
    ({"outcome": "maybe"}, "outcome"),
    ({"counselor": ""}, "counselor"),
    ({"visited_at": "today"}, "visited_at"),
    ({"next_visit_on": "soon"}, "next_visit_on"),
    ({"school": "A", "student_name": "不存在"}, "student_name"),
])
def test_a_visit_with_a_mistake_is_refused_next_to_the_field(city, client_as, changes, field):
    data = {**_form(counselor=city.xin.pk), **{k: city.school_a.pk if v == "A" else v for k, v in changes.items()}}
    response = client_as(city.xin).post(reverse("hotline:visit_new"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_family_line_needs_a_relation_and_a_name(city, client_as):
    response = client_as(city.xin).post(reverse("hotline:visit_new"), _form(counselor=city.xin.pk,
                                                                           family_members="王丽"))
    assert response.status_code == 400 and not Visit.objects.exists()


def test_follow_up_visits_thread_and_the_caseload_shows_the_family_until_it_ends(city):
    first = _visit(city, visited_at=timezone.now() - datetime.timedelta(days=10))
    second = _visit(city, follow_up_of=first, visited_at=timezone.now() - datetime.timedelta(days=3),
                    next_visit_on=timezone.localdate() - datetime.timedelta(days=1))
    other = _visit(city, family_members="祖母 李芳", next_visit_on=timezone.localdate() + datetime.timedelta(days=3))
    families = selectors.caseload(Visit.objects.all(), city.xin)
    assert [(f.first, f.last, f.visits) for f in families] == [(first, second, 2), (other, other, 1)]
    assert families[0].overdue and not families[1].overdue
    _visit(city, follow_up_of=second, outcome="closed", next_visit_on=None)
    assert [f.first for f in selectors.caseload(Visit.objects.all(), city.xin)] == [other]
    assert second.follow_up_of == first


def test_only_the_centre_keeps_visits(city, client_as):
    visit = _visit(city)
    assert client_as(city.re).get(reverse("hotline:visit_list")).status_code == 403
    assert client_as(city.liu_a).get(reverse("hotline:visit_detail", args=[visit.pk])).status_code == 404
    with pytest.raises(Exception):
        _visit(city, recorded_by=city.re)


def test_the_statistics_count_known_calls_and_visits(city, client_as):
    now = timezone.now()
    study, sleep = Topic.objects.get(name="学业压力"), Topic.objects.get(name="睡眠")
    log(city, caller_type="student", risk="high", student=city.chen, school=city.school_a, topics=[study, sleep])
    log(city, caller_type="guardian", call_type="information", topics=[study])
    log(city, caller_type="other", call_type="silent", callback_due_at=now - datetime.timedelta(minutes=1),
        started_at=now - datetime.timedelta(hours=1))
    _visit(city, topics=[sleep])
    page = client_as(city.xin).get(reverse("hotline:statistics"))
    tables = {figure.title: dict(figure.rows) for figure in page.context["tables"]}
    assert tables["来电：按话题"]["学业压力"] == 2 and tables["来电：按话题"]["睡眠"] == 1
    assert tables["来电：按来电人"] == {"学生": 1, "家长/监护人": 1, "教师": 0, "其他": 1}
    assert tables["来电：按风险评估"]["高"] == 1 and tables["来电：按风险评估"]["无"] == 2
    assert tables["来电：按来电类型"]["无声来电"] == 1 and tables["来电：按来电类型"]["求助"] == 1
    assert sum(tables["来电：按月份"].values()) == 3
    assert tables["来访：按话题"]["睡眠"] == 1 and page.context["families"] == 1
    assert (page.context["callbacks_open"], page.context["callbacks_overdue"]) == (1, 1)
    assert "陈小雨" not in page.content.decode()


def test_an_operator_sees_their_own_volume_only(city, client_as):
    log(city)
    page = client_as(city.re).get(reverse("hotline:statistics"))
    assert page.context["calls_total"] == 1 and not page.context["city_wide"]
    assert page.context["families"] is None


def test_the_centre_adds_and_retires_topics(city, client_as):
    client = client_as(city.xin)
    assert client.post(reverse("hotline:topics"), {"name": "性别认同", "position": "95"}).status_code == 302
    assert client.post(reverse("hotline:topics"), {"name": "性别认同", "position": "95"}).status_code == 400
    topic = Topic.objects.get(name="性别认同")
    client.post(reverse("hotline:topics"), {"toggle": str(topic.pk)})
    topic.refresh_from_db()
    assert not topic.is_active
    assert client_as(city.re).get(reverse("hotline:topics")).status_code == 403
