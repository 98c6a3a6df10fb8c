"""Progress: counts by school, grade and class; names of who has not started only for those who
may see the students; the bureau's small cells hidden; the numbers refreshed from a fragment."""
import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xinshao.campaigns.models import Assignment, Campaign, ConsentRecord
from xinshao.campaigns.services import TargetChoice, assignments_sync
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.tests.staff_support import make_campaign, set_status
from xinshao.core.tests.test_suppression import peel, solve
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

    assert rows(response)["total"] == {"targeted": "7", "refused": "*", "awaiting": "0", "not_started": "*",
                                       "in_progress": "*", "submitted": "*"}
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
            ("东湖中学", "*", "*")]
        assert progress.not_started == []
        assert "高老师" not in response.content.decode()


def test_the_numbers_fragment_is_what_the_page_fetches_every_ten_seconds(city, client_as, screening):
    client = client_as(city.liu_a)
    page = progress_of(client, screening).content.decode()
    fragment = client.get(reverse("campaigns:progress_numbers", args=[screening.pk])).content.decode()

    url = reverse("campaigns:progress_numbers", args=[screening.pk])
    script = Path(finders.find("campaigns/progress.js")).read_text(encoding="utf-8")
    assert f'data-url="{url}"' in page and "campaigns/progress.js" in page
    assert "setInterval(refresh, 10000)" in script and "fetch(box.dataset.url" in script
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
    # also counts the header's unread notifications (one query, notifications/templatetags). The
    # psych teacher's page names who has not started, so it also writes an audit entry (one insert;
    # the sequencer chains it later) and its export buttons check the school it may export (two).
    assert after == before == {city.liu_a: 11, city.bai: 12}


# --- secondary suppression: what the page shows must not give a hidden cell back ---------------

def page_equations(progress, shown_names) -> tuple[dict, list]:
    """The cells of every row on the page and each sum a reader can take among them."""
    values, sums = {}, []

    def add(row, children):
        for name in shown_names:
            values[(id(row), name)] = row.cells[name]
            if children:
                sums.append(((id(row), name), [(id(child), name) for child in children]))
        sums.append(((id(row), "targeted"), [(id(row), name) for name in shown_names[1:]]))

    def tree(row):
        add(row, row.children)
        for child in row.children:
            tree(child)

    tree(progress.total)
    for level in progress.levels:
        add(level, level.children)
    sums += [((id(progress.total), name), [(id(level), name) for level in progress.levels]) for name in shown_names]
    return values, sums


def assert_nothing_recoverable(response, shown_names):
    values, sums = page_equations(response.context["progress"], shown_names)
    hidden = {cell for cell, text in values.items() if text == "*"}
    numbers = {cell: 0 if cell in hidden else int(text) for cell, text in values.items()}
    assert hidden and not peel(numbers, sums, hidden) and not solve(numbers, sums, hidden)


def test_the_analyst_cannot_subtract_her_way_to_a_hidden_count(city, client_as):
    """The issue's row: 对象 41, 已提交 2, 答题中 0, 未开始 39. Hiding only the 2 gives it back."""
    campaign = make_campaign(city, created_by=city.bai, region=city.region,
                             targets=[TargetChoice(school=city.school_a, level="J1")])
    extra = add_students(city.class_a1, 39)
    assignments_sync(campaign)
    set_status(campaign, city.chen, SUBMITTED)
    set_status(campaign, extra[0], SUBMITTED)
    client = client_as(city.bai)

    for response in (progress_of(client, campaign), progress_of(client, campaign, school=city.school_a.pk),
                     client.get(reverse("campaigns:progress_numbers", args=[campaign.pk]))):
        total = response.context["progress"].total
        assert (total.tally.targeted, total.tally.submitted, total.tally.in_progress) == (41, 2, 0)
        assert total.cells["submitted"] == "*" and "*" in (total.cells["targeted"], total.cells["not_started"])
        assert total.rate_shown == "–"
        assert_nothing_recoverable(response, ["targeted", "submitted", "in_progress", "not_started"])


def test_a_school_page_hides_what_the_city_page_hides(city, client_as):
    """Both pages are cut from one suppression, so one cannot fill in the other's gaps."""
    campaign = make_campaign(city, created_by=city.bai, region=city.region,
                             targets=[TargetChoice(school=city.school_a), TargetChoice(school=city.school_b)])
    add_students(city.class_a1, 12)
    set_status(campaign, city.chen, SUBMITTED)
    client = client_as(city.bai)

    city_wide = progress_of(client, campaign).context["progress"]
    one_school = progress_of(client, campaign, school=city.school_a.pk).context["progress"]

    school_row = next(row for row in city_wide.schools if row.link == city.school_a.pk)
    assert school_row.cells == one_school.total.cells and "*" in school_row.cells.values()


def test_the_names_of_who_has_not_started_are_audited_once_per_change(city, client_as, screening):
    client = client_as(city.liu_a)
    progress_of(client, screening)
    numbers = reverse("campaigns:progress_numbers", args=[screening.pk])
    client.get(numbers)
    entries = AuditEntry.objects.filter(action="campaign.not_started_viewed", actor_id=city.liu_a.pk)
    [entry] = entries.all()
    assert len(entry.detail["students"]) == 5 and city.chen.pk not in entry.detail["students"]

    set_status(screening, Student.objects.get(name="学生101"), IN_PROGRESS)
    client.get(numbers)
    assert entries.count() == 2 and len(entries.last().detail["students"]) == 4
    progress_of(client_as(city.bai), screening)  # counts only: no names, nothing to record
    assert not AuditEntry.objects.filter(action="campaign.not_started_viewed", actor_id=city.bai.pk).exists()
