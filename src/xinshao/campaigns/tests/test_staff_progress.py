"""Progress: counts by school, grade and class; names of who has not started only for those who
may see the students; the bureau's small cells hidden; the numbers refreshed from a fragment."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xinshao.campaigns.models import Assignment, Campaign, ConsentRecord
from xinshao.campaigns.services import TargetChoice, assignments_sync
from xinshao.campaigns.tests.staff_support import make_campaign, set_status
from xinshao.people.models import Enrolment, Student

SUBMITTED, IN_PROGRESS = Assignment.Status.SUBMITTED, Assignment.Status.IN_PROGRESS


def add_students(school_class, count: int, start: int = 100) -> list[Student]:
    students = []
    for n in range(start, start + count):
        student = Student.objects.create(school=school_class.school, school_class=school_class, name=f"学生{n}",
                                         student_number=f"X{n}", gender="F", birth_date=datetime.date(2013, 1, 1))
        Enrolment.objects.create(student=student, school=school_class.school, school_class=school_class,
                                 started_on=datetime.date(2026, 9, 1))
        students.append(student)
    return students


@pytest.fixture
def screening(city):
    """School A's J1 screening (opt-out) of Chen, Lin and five more in A1: Chen has submitted, Lin is
    answering, the guardian of 学生100 refused, the other four have not started."""
    extra = add_students(city.class_a1, 5)
    campaign = make_campaign(city, created_by=city.liu_a, school=city.school_a,
                             targets=[TargetChoice(school=city.school_a, level="J1")])
    set_status(campaign, city.chen, SUBMITTED)
    set_status(campaign, city.lin, IN_PROGRESS)
    ConsentRecord.objects.create(campaign=campaign, student=extra[0], decision="refused", recorded_by=city.liu_a)
    return campaign


def progress_of(client, campaign, **params):
    return client.get(reverse("campaigns:progress", args=[campaign.pk]), params)


def rows(response) -> dict:
    progress = response.context["progress"]
    found = {"total": progress.total.cells}
    for school in progress.schools:
        found[school.label] = school.cells
        for grade in school.children:
            found[grade.label] = grade.cells
            found.update({row.label: row.cells for row in grade.children})
    return found


def test_the_psych_teacher_sees_every_class_and_who_has_not_started(city, client_as, screening):
    response = progress_of(client_as(city.liu_a), screening)

    found = rows(response)
    assert found["total"] == {"targeted": "7", "refused": "1", "awaiting": "0", "not_started": "4", "in_progress": "1",
                              "submitted": "1"}
    assert found["初一1班"] == {**found["total"], "targeted": "6", "in_progress": "0"}
    assert found["初一2班"]["in_progress"] == "1"
    page = response.content.decode()
    assert "学生101" in page and "学生100（监护人不同意）" in page
    assert "陈小雨" not in page.split("尚未开始的学生")[1]  # she has submitted


def test_the_bureau_sees_counts_only_with_small_cells_hidden(city, client_as, screening):
    response = progress_of(client_as(city.bai), screening)

    assert rows(response)["total"] == {"targeted": "7", "refused": "<5", "awaiting": "0", "not_started": "<5",
                                       "in_progress": "<5", "submitted": "<5"}
    page = response.content.decode()
    assert not any(name in page for name in ("陈小雨", "林晓东", "学生100", "学生101", "尚未开始的学生"))
    # A rate would give the hidden count away.
    assert response.context["progress"].total.rate_shown == "–"


def test_a_class_teacher_sees_only_their_own_class(city, client_as, screening):
    response = progress_of(client_as(city.zhang_a1), screening)

    assert set(rows(response)) == {"total", "东湖中学", "初一", "初一1班"}
    assert rows(response)["total"]["targeted"] == "6"
    assert "林晓东" not in response.content.decode() and "学生101" in response.content.decode()


def test_opt_in_students_without_a_decision_wait_for_their_guardian(city, client_as):
    campaign = make_campaign(city, created_by=city.bai, region=city.region, consent_rule=Campaign.ConsentRule.OPT_IN,
                             targets=[TargetChoice(school=city.school_a, level="J1"), TargetChoice(school=city.school_b)])
    ConsentRecord.objects.create(campaign=campaign, student=city.chen, decision="granted", recorded_by=city.liu_a)

    found = rows(progress_of(client_as(city.liu_a), campaign))

    assert found["total"] == {"targeted": "2", "refused": "0", "awaiting": "1", "not_started": "1", "in_progress": "0",
                              "submitted": "0"}
    assert "林晓东（待监护人同意）" in progress_of(client_as(city.liu_a), campaign).content.decode()


def test_the_bureau_drills_from_schools_down_to_one_schools_classes(city, client_as):
    campaign = make_campaign(city, created_by=city.bai, region=city.region,
                             targets=[TargetChoice(school=city.school_a), TargetChoice(school=city.school_b)])
    client = client_as(city.bai)

    overview = progress_of(client, campaign)
    one_school = progress_of(client, campaign, school=city.school_b.pk)

    assert not overview.context["by_class"]
    assert [row.label for row in overview.context["progress"].schools] == ["东湖中学", "西山中学"]
    assert [row.label for row in overview.context["progress"].levels] == ["初一"]
    assert f'?school={city.school_b.pk}' in overview.content.decode()
    assert one_school.context["by_class"] and set(rows(one_school)) == {"total", "西山中学", "初一", "初一1班"}
    assert progress_of(client_as(city.liu_a), campaign, school=city.school_b.pk).status_code == 404
    assert progress_of(client, campaign, school="abc").status_code == 404


def test_a_teacher_survey_shows_per_school_counts_and_never_which_teacher(city, client_as, teacher_campaign):
    Assignment.objects.filter(campaign=teacher_campaign, teacher=city.gao_a).update(status=SUBMITTED)

    for user in (city.bai, city.song_a):
        response = progress_of(client_as(user), teacher_campaign)
        progress = response.context["progress"]
        assert [(row.label, row.cells["targeted"], row.cells["submitted"]) for row in progress.schools] == [
            ("东湖中学", "<5", "<5")]
        assert progress.not_started == []
        assert "高老师" not in response.content.decode()


def test_the_numbers_fragment_is_what_the_page_fetches_every_ten_seconds(city, client_as, screening):
    client = client_as(city.liu_a)
    page = progress_of(client, screening).content.decode()
    fragment = client.get(reverse("campaigns:progress_numbers", args=[screening.pk])).content.decode()

    url = reverse("campaigns:progress_numbers", args=[screening.pk])
    assert f'data-url="{url}"' in page and "setInterval(refresh, 10000)" in page and "fetch(" in page
    assert "<html" not in fragment and "学生101" in fragment and "<table>" in fragment


def _queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert progress_of(client, campaign).status_code == 200
    return len(queries)


def test_the_progress_page_costs_the_same_queries_for_a_bigger_school(city, client_as, screening):
    before = {user: _queries(client_as(user), screening) for user in (city.liu_a, city.bai)}
    add_students(city.class_a2, 30, start=200)
    assignments_sync(screening)

    assert Assignment.objects.filter(campaign=screening).count() == 37
    after = {user: _queries(client_as(user), screening) for user in (city.liu_a, city.bai)}
    # The bureau's scope questions walk the region tree, a query per level each time. Every page
    # also counts the header's unread notifications (one query, notifications/templatetags).
    assert after == before == {city.liu_a: 9, city.bai: 12}
