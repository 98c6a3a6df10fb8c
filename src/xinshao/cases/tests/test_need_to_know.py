"""Need to know on cases (DESIGN.md's role table): a school admin sees the school's red cases, a
class teacher on the team never sees the scores behind a case, and a same-school user who may not
open a case learns no more than a stranger (404, as for a made-up id) on every case route."""
import datetime

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.cases.followups.services import followup_plan
from xinshao.cases.intervention.services import action_agree, session_record
from xinshao.cases.models import Case
from xinshao.cases.services import case_level_change, case_open
from xinshao.cases.tests.referral_support import sent
from xinshao.notifications.models import Notification

pytestmark = pytest.mark.django_db

SCORES = "PHQ-A 22 分（重度），第 9 题回答“几乎每天”"
MADE_UP = 999_999


def _case_ids_seen_by(client) -> set[int]:
    return {c.pk for c in client.get(reverse("cases:list"), {"state": ""}).context["page"]}


def test_a_school_admin_sees_the_schools_red_cases_and_only_while_they_are_red(city, client_as):
    case = case_open(student=city.lin, level="yellow", reason="情绪低落两周", actor=city.liu_a)
    admin = client_as(city.song_a)
    assert admin.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case.pk not in _case_ids_seen_by(admin)
    assert not case.team.filter(user=city.song_a).exists()

    case_level_change(case=case, level="red", actor=city.liu_a, reason="出现自伤言语")
    assert admin.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert case.pk in _case_ids_seen_by(admin)

    case_level_change(case=case, level="orange", actor=city.liu_a, reason="风险下降，继续干预")
    assert admin.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case.pk not in _case_ids_seen_by(admin)


def test_a_class_teacher_on_the_team_never_sees_the_scores_that_opened_the_case(city, client_as):
    alert = signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                           facts={"concerns": ["self_harm_talk"]}).alert
    # The psych teacher opens the case from the alert with its reason and the score she read.
    client_as(city.liu_a).post(reverse("cases:from_alert", args=[alert.pk]), {"level": "red", "reason": SCORES})
    case = Case.objects.get()
    assert case.opening_reason == SCORES and case.team.filter(user=city.zhang_a1).exists()
    psych = client_as(city.liu_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "PHQ-A 22" in psych

    teacher = client_as(city.zhang_a1)
    pages = [reverse("cases:detail", args=[case.pk]), reverse("cases:list"), reverse("cases:safety_plan", args=[case.pk])]
    for url in pages:
        response = teacher.get(url)
        assert response.status_code == 200 and "PHQ-A" not in response.content.decode() and "22 分" not in (
            response.content.decode()), url
    # The story and its PDF are the psych staff's: the class teacher may see the case, not read them.
    assert teacher.get(reverse("cases:timeline", args=[case.pk])).status_code == 403
    assert teacher.get(reverse("cases:timeline_pdf", args=[case.pk])).status_code == 403
    for note in Notification.objects.filter(recipient=city.zhang_a1):
        assert "PHQ" not in f"{note.subject} {note.body}"


@pytest.fixture
def lin_case(city):
    """A yellow case about Lin (school A, class 2) with one of everything a case route names."""
    case = case_open(student=city.lin, level="yellow", reason="情绪低落两周", actor=city.liu_a)
    now = timezone.now()
    session = session_record(case=case, actor=city.liu_a, held_at=now - datetime.timedelta(hours=1),
                             kind="individual", minutes=40, private_notes="谈到和同学的矛盾，睡眠差")
    action = action_agree(case=case, actor=city.liu_a, description="每周谈一次", assignee=city.liu_a,
                          due_on=timezone.localdate() + datetime.timedelta(days=7))
    follow_up = followup_plan(case=case, due_on=timezone.localdate() + datetime.timedelta(days=3), actor=city.liu_a)
    referral = sent(city, case, urgency="yellow")
    return case, {"session_id": session.pk, "action_id": action.pk, "followup_id": follow_up.pk,
                  "referral_id": referral.pk}


def _case_routes() -> dict[str, set[str]]:
    """Every route of the "cases" namespace that names a case, with its parameters, from the URL conf."""
    def walk(patterns, params=frozenset()):
        for entry in patterns:
            names = params | set(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, names)
            elif "case_id" in names:
                yield entry.name, names
    cases = next(r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "cases")
    return dict(walk(cases.url_patterns))


def test_the_route_list_is_read_from_the_url_conf():
    assert {"detail", "change", "session_detail", "timeline_pdf", "followup_done", "referral_done"} <= set(_case_routes())


@pytest.mark.parametrize("username", ["song_a", "zhang_a1", "gao_a", "lin_user", "chen_user", "chen_ma_user"])
def test_every_case_route_answers_a_same_school_user_without_rights_as_a_made_up_id(city, client_as, lin_case,
                                                                                     username):
    """Lin's yellow case is not the school admin's (not red), nor Zhang's (another class), nor
    anyone's without case duties: each gets exactly what a case that does not exist gets."""
    case, children = lin_case
    client = client_as(city.everyone()[username])
    for name, names in _case_routes().items():
        params = {"case_id": case.pk, **{k: v for k, v in children.items() if k in names}}
        real, made_up = reverse(f"cases:{name}", kwargs=params), reverse(f"cases:{name}", kwargs={
            **params, "case_id": MADE_UP})
        for method in (client.get, client.post):
            assert method(real).status_code == method(made_up).status_code, (name, method.__name__)
            assert method(real).status_code in (404, 405), (name, method.__name__)



def test_the_old_schools_admin_reads_a_case_that_left_only_while_it_is_red(city, client_as):
    from xinshao.cases.handover.services import student_transfer_with_case

    case = case_open(student=city.chen, level="yellow", reason="考试焦虑", actor=city.liu_a)
    student_transfer_with_case(student=city.chen, to_school=city.school_b, to_class=city.class_b1, actor=city.song_a,
                               reason="随父母工作调动",
                               handover_note="每周谈话一次，情况稳定，考试前后请多留意情绪变化。")
    admin = client_as(city.song_a)
    assert admin.get(reverse("cases:written_by_school_case", args=[case.pk])).status_code == 404
    assert case.pk not in {c.pk for c in admin.get(reverse("cases:written_by_school")).context["page"]}

    case_level_change(case=case, level="red", actor=city.wang_b, reason="出现自伤言语")
    assert admin.get(reverse("cases:written_by_school_case", args=[case.pk])).status_code == 200
    psych = client_as(city.liu_a)
    assert psych.get(reverse("cases:written_by_school_case", args=[case.pk])).status_code == 200
