"""Every role on the case pages, own vs other school; opening from an alert; the lists."""
import pytest
from django.urls import reverse

from xinshao.alerts.models import Alert, Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import Case, SafetyPlan
from xinshao.cases.services import case_open

pytestmark = pytest.mark.django_db

CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "zhang_a1", "qian_b1", "xin"}


@pytest.fixture
def cases(city):
    """A red case about Chen (school A) and a yellow one about Zhou (school B)."""
    return {
        "chen_red": case_open(student=city.chen, level="red", reason="自伤言语，需要评估", actor=city.liu_a),
        "zhou_yellow": case_open(student=city.zhou, level="yellow", reason="情绪低落两周", actor=city.wang_b),
    }


def _expected(username, allowed, *, a_case=True):
    """A case out of sight answers 404 to everyone (as one that does not exist); a list 403 to a role without it."""
    if username in allowed:
        return 200
    return 404 if a_case or username in CASE_PAGE_ROLES else 403


def test_the_case_list_is_for_those_who_work_on_cases(city, client_as, cases):
    for username, user in city.everyone().items():
        assert client_as(user).get(reverse("cases:list")).status_code == _expected(username, CASE_PAGE_ROLES, a_case=False), username


@pytest.mark.parametrize("which,allowed", [
    # red: the school's psych teacher, its team (the class teacher), the school admin and the bureau
    # psych centre (both for red cases only)
    ("chen_red", {"liu_a", "song_a", "zhang_a1", "xin"}),
    ("zhou_yellow", {"wang_b", "qian_b1"}),
])
def test_a_case_opens_only_for_its_school_its_team_and_for_red_the_bureau(city, client_as, cases, which, allowed):
    url = reverse("cases:detail", args=[cases[which].pk])
    for username, user in city.everyone().items():
        assert client_as(user).get(url).status_code == _expected(username, allowed), username


def test_opening_the_case_page_is_audited(city, client_as, cases):
    client_as(city.zhang_a1).get(reverse("cases:detail", args=[cases["chen_red"].pk]))
    assert AuditEntry.objects.filter(action="cases.case_viewed", student_id=city.chen.pk, actor_label="zhang_a1").exists()


def test_only_the_schools_psych_teachers_change_a_case(city, client_as, cases):
    case = cases["chen_red"]
    for username, user in city.everyone().items():
        response = client_as(user).post(reverse("cases:change", args=[case.pk]),
                                        {"action": "state", "to_state": "intervening", "reason": "开始辅导"})
        if username != "liu_a":
            assert response.status_code in (403, 404), username
    assert Case.objects.get(pk=case.pk).state == Case.State.INTERVENING


@pytest.mark.parametrize("data", [{}, {"action": "state", "to_state": "closed", "reason": "直接结束"},
                                  {"action": "state", "to_state": "nonsense", "reason": "试一试"},
                                  {"action": "owner", "owner": "x"}])
def test_bad_changes_say_why_and_change_nothing(city, client_as, cases, data):
    case = cases["chen_red"]
    response = client_as(city.liu_a).post(reverse("cases:change", args=[case.pk]), data, follow=True)
    assert response.status_code == 200 and any(m.level_tag == "error" for m in response.context["messages"])
    assert Case.objects.get(pk=case.pk).state == Case.State.ASSESSING and case.events.count() == 1


def test_a_closure_with_a_mistake_shows_the_apps_message_next_to_the_review(city, client_as, cases):
    case = cases["chen_red"]
    url = reverse("cases:change", args=[case.pk])
    for review, message in [("", "请写结案评估"), ("短", "至少 10 个字")]:
        response = client_as(city.liu_a).post(url, {"action": "close", "closure_review": review})
        assert response.status_code == 400, review
        form = response.context["close_form"]
        assert message in " ".join(form.errors["closure_review"]), review
        page = response.content.decode()
        review_box = page[page.index('name="closure_review"') - 200:page.index('name="closure_review"')]
        assert message in page and "required" not in review_box and "novalidate" in page
    assert Case.objects.get(pk=case.pk).state == Case.State.ASSESSING and case.events.count() == 1


def test_a_psych_teacher_opens_a_case_by_student_number_and_only_in_her_school(city, client_as):
    client = client_as(city.liu_a)
    response = client.post(reverse("cases:create"), {"student_number": "B2026001", "level": "yellow",
                                                     "reason": "别校学生"})
    assert response.status_code == 400 and "本校没有这个学号的学生" in response.content.decode()
    response = client.post(reverse("cases:create"), {"student_number": "A2026001", "level": "orange",
                                                     "reason": "班主任转介，持续低落"})
    case = Case.objects.get()
    assert response.status_code == 302 and case.student == city.chen and case.level == "orange"
    for username, user in city.everyone().items():
        if username != "liu_a" and username != "wang_b":
            assert client_as(user).get(reverse("cases:create")).status_code == 403, username


def test_an_alert_becomes_a_case_from_its_page(city, client_as):
    alert = signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                           facts={"concerns": ["self_harm_talk"]}).alert
    url = reverse("cases:from_alert", args=[alert.pk])
    assert "转为个案" in client_as(city.liu_a).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    for username, user in city.everyone().items():
        if username != "liu_a":
            assert client_as(user).get(url).status_code in (403, 404), username
    form = client_as(city.liu_a).get(url).context["form"]
    assert form.initial["level"] == "red" and "不想活" in form.initial["reason"]
    client_as(city.liu_a).post(url, {"level": "red", "reason": "心理委员报告自伤言语"})
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.CASE_OPENED
    assert Case.objects.get().alerts.get() == alert


def test_the_lists_my_cases_and_high_tier_cases_without_a_plan(city, client_as, cases):
    def names(user, **query):
        return {c.student.name for c in client_as(user).get(reverse("cases:list"), query).context["page"]}

    assert names(city.liu_a) == {"陈小雨"} and names(city.xin) == {"陈小雨"}
    assert names(city.zhang_a1, view="mine") == {"陈小雨"} and names(city.qian_b1) == {"周子涵"}
    assert names(city.liu_a, view="no_plan") == {"陈小雨"}
    case = cases["chen_red"]
    SafetyPlan.objects.create(case=case, written_by=city.liu_a, written_at=case.opened_at,
                              written_at_school=city.school_a, warning_signs="失眠", coping_steps="深呼吸",
                              people_to_contact="妈妈", professional_help="12356")
    assert names(city.liu_a, view="no_plan") == set() and names(city.xin, view="no_plan") == set()
