"""Counts per school per term, and teachers' well-being beside them with small cells hidden."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.activities import services
from xinshao.activities.models import Refusal
from xinshao.activities.selectors import approved_counts, refused_counts, teacher_load
from xinshao.activities.tests.conftest import DAY, approved, submitted
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
from xinshao.campaigns.submissions import submission_receive
from xinshao.campaigns.tests.respond_support import payload
from xinshao.core.suppression import HIDDEN
from xinshao.org.models import School

PSS10_HIGH = [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]   # total 40: high stress
PSS10_CALM = [1, 1, 1, 3, 3, 1, 3, 3, 1, 1]   # total 10: low


def _refuse(school, staff, on, ground=Refusal.Ground.NO_APPROVAL):
    return services.refusal_record(school=school, body_name="某公司", activity="推销", happened_on=on, ground=ground,
                                   actor=staff, now=timezone.now())


def test_counts_per_school_per_term(city, xing):
    term = city.term
    inside = max(term.starts_on, timezone.localdate() - 20 * DAY)
    # In the term: two approved at school A (one also at B), one submitted (not counted), one after the term.
    approved(city.ying, [city.school_a, city.school_b], by=city.bai)
    approved(xing, [city.school_a], by=city.bai)
    submitted(city.ying, [city.school_a])
    approved(city.ying, [city.school_a], by=city.bai, starts_on=term.ends_on + 3 * DAY)
    for day in (inside, inside + DAY):
        _refuse(city.school_a, city.song_a, day)
    _refuse(city.school_b, city.qian_b1, inside)
    _refuse(city.school_b, city.qian_b1, term.starts_on - 5 * DAY)  # the term before

    schools = [city.school_a.pk, city.school_b.pk]
    expected_approved = {school: sum(1 for a in _approved_in(term) if school in a) for school in schools}
    assert approved_counts(term, schools) == {k: v for k, v in expected_approved.items() if v}
    assert expected_approved == {city.school_a.pk: 2, city.school_b.pk: 1}
    expected_refused = {school: Refusal.objects.filter(school_id=school, happened_on__gte=term.starts_on,
                                                       happened_on__lte=term.ends_on).count() for school in schools}
    assert refused_counts(term, schools) == expected_refused == {city.school_a.pk: 2, city.school_b.pk: 1}

    load = teacher_load(term, School.objects.filter(pk__in=schools))
    assert [(row.school.pk, row.approved, row.refused) for row in load.rows] == [
        (city.school_a.pk, 2, 2), (city.school_b.pk, 1, 1)]


def _approved_in(term):
    from xinshao.activities.models import Application

    return [set(a.schools.values_list("pk", flat=True)) for a in Application.objects.filter(
        state="approved", starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)]


def test_a_refusal_cannot_be_recorded_for_another_school_or_the_future(city):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _refuse(city.school_b, city.song_a, timezone.localdate())
    with pytest.raises(ValidationError):
        _refuse(city.school_a, city.song_a, timezone.localdate() + DAY)
    assert not Refusal.objects.exists()


def _teachers(school, n, prefix):
    users = []
    for index in range(n):
        user = User.objects.create_user(username=f"{prefix}{index}", password="x", display_name=f"{prefix}老师{index}")
        RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=school)
        users.append(user)
    return users


def _survey(city):
    now = timezone.now()
    campaign = campaign_create(
        created_by=city.bai, name="教师压力自评", audience=Campaign.Audience.TEACHERS, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED, region=city.region, battery=[BatteryChoice("pss10")],
        targets=[TargetChoice(school=city.school_a), TargetChoice(school=city.school_b)])
    return campaign_open(campaign=campaign, actor=city.bai)


def _answer(campaign, teacher, answers):
    assignment = Assignment.objects.get(campaign=campaign, teacher=teacher)
    body = payload(assignment, pss10=answers)
    submission_receive(assignment_id=assignment.pk, payload=body)


def test_teacher_wellbeing_beside_the_counts_hides_small_cells_and_their_complements(city):
    _teachers(city.school_a, 8, "ta")
    campaign = _survey(city)
    a_teachers = list(Assignment.objects.filter(campaign=campaign, teacher__role_assignments__school=city.school_a)
                      .values_list("teacher", flat=True).distinct())
    a_users = User.objects.filter(pk__in=a_teachers).order_by("pk")
    # School A: 10 answer, 2 of them with high stress (a small cell); school B: 3 answer (small), 1 high.
    for index, teacher in enumerate(a_users[:10]):
        _answer(campaign, teacher, PSS10_HIGH if index < 2 else PSS10_CALM)
    for index, teacher in enumerate([city.song_b, city.wang_b, city.qian_b1]):
        _answer(campaign, teacher, PSS10_HIGH if index == 0 else PSS10_CALM)

    load = teacher_load(city.term, School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]))
    cells = {row.school.pk: row.wellbeing["pss10"] for row in load.rows}
    a, b, total = cells[city.school_a.pk], cells[city.school_b.pk], load.city["pss10"]
    assert a.respondents == "10" and a.elevated == HIDDEN and a.share == HIDDEN
    assert a.mean == f"{(2 * 40 + 8 * 10) / 10:.1f}"            # ten answers: the mean is shown
    assert b.respondents == HIDDEN and b.elevated == HIDDEN and b.mean == "–"
    # Nothing hidden follows from the totals: the city's elevated count is hidden too, or B's would be
    # A's subtracted from it.
    assert total.respondents == "13" and total.elevated == HIDDEN
    page_cells = [a.respondents, a.elevated, b.respondents, b.elevated, total.respondents, total.elevated]
    assert page_cells.count(HIDDEN) == 4


def test_the_load_page_shows_no_teacher(client_as, city):
    campaign = _survey(city)
    _answer(campaign, city.gao_a, PSS10_HIGH)
    page = client_as(city.fen).get(reverse("activities:teacher_load")).content.decode()
    assert "PSS-10" in page and city.school_a.name in page and "高老师" not in page


def test_a_school_records_a_refusal_through_the_page_and_the_bureau_sees_it(client_as, city):
    client = client_as(city.zhang_a1)
    form = client.get(reverse("activities:refusal_new"), {"body": "某某教育科技"}).content.decode()
    assert "某某教育科技" in form
    response = client.post(reverse("activities:refusal_new"), {
        "school": city.school_a.pk, "body_name": "某某教育科技", "activity": "推销课外辅导", "ground": "no_approval",
        "happened_on": timezone.localdate().isoformat(), "note": "门卫拦下"})
    assert response.status_code == 302
    refusal = Refusal.objects.get()
    assert refusal.school == city.school_a and refusal.recorded_by == city.zhang_a1
    assert "某某教育科技" in client_as(city.du).get(reverse("activities:refusals")).content.decode()
    assert "某某教育科技" not in client_as(city.qian_b1).get(reverse("activities:refusals")).content.decode()


def test_a_refusal_outside_the_approved_scope_names_the_approval(client_as, city):
    application = approved(city.ying, [city.school_b], by=city.bai)
    response = client_as(city.song_a).post(reverse("activities:refusal_new"), {
        "school": city.school_a.pk, "body_name": "明州启航研学服务有限公司", "activity": "讲座",
        "ground": "outside_scope", "happened_on": timezone.localdate().isoformat(), "approval_number": ""})
    assert response.status_code == 400 and not Refusal.objects.exists()
    response = client_as(city.song_a).post(reverse("activities:refusal_new"), {
        "school": city.school_a.pk, "body_name": "明州启航研学服务有限公司", "activity": "讲座",
        "ground": "outside_scope", "happened_on": timezone.localdate().isoformat(),
        "approval_number": application.approval_number.lower()})
    assert response.status_code == 302 and Refusal.objects.get().application == application


def test_a_school_where_every_respondent_is_elevated_does_not_say_so(city):
    _teachers(city.school_a, 4, "tb")
    campaign = _survey(city)
    a_users = User.objects.filter(role_assignments__school=city.school_a, role_assignments__role__in=[
        Role.TEACHER, Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER]).order_by("pk")
    for teacher in a_users[:6]:
        _answer(campaign, teacher, PSS10_HIGH)
    for teacher in [city.song_b, city.wang_b, city.qian_b1]:
        _answer(campaign, teacher, PSS10_CALM)
    load = teacher_load(city.term, School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]))
    a = next(row for row in load.rows if row.school == city.school_a).wellbeing["pss10"]
    b = next(row for row in load.rows if row.school == city.school_b).wellbeing["pss10"]
    assert a.respondents == "6" and a.elevated == HIDDEN and a.share == HIDDEN
    assert b.respondents == HIDDEN and b.elevated == HIDDEN    # three answers: not even their 0 is shown
    assert load.city["pss10"].elevated == HIDDEN
