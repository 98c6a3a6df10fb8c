"""A case's life: opening (by hand, from an alert), every allowed and forbidden state change, closing, reopening."""
import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xinshao.alerts.models import Alert, Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import Case, CaseTeamMember, FollowUp, Referral, ReferralConsent
from xinshao.cases.services import (
    case_change_state,
    case_close,
    case_level_change,
    case_open,
    case_reassign,
    case_reopen,
)

pytestmark = pytest.mark.django_db
S = Case.State
# Written out from the issue, not read from the code: assessing → intervening → referred →
# following up, with the steps back a real case takes (a declined referral, a relapse).
ALLOWED = {
    (S.ASSESSING, S.INTERVENING), (S.ASSESSING, S.REFERRED),
    (S.INTERVENING, S.REFERRED), (S.INTERVENING, S.FOLLOWING_UP),
    (S.REFERRED, S.INTERVENING), (S.REFERRED, S.FOLLOWING_UP),
    (S.FOLLOWING_UP, S.INTERVENING), (S.FOLLOWING_UP, S.REFERRED),
}


def _case(city, level="red", student=None) -> Case:
    return case_open(student=student or city.chen, level=level, reason="课堂上情绪崩溃，需要评估", actor=city.liu_a)


def _open_referral(case, city) -> Referral:
    now = timezone.now()
    common = {"case": case, "written_by": city.liu_a, "written_at": now, "written_at_school": case.school}
    consent = ReferralConsent.objects.create(**common, given_by="陈妈妈", relation="母亲", method="signed_form",
                                             given_on=now.date(), agency=city.agency)
    return Referral.objects.create(**common, agency=city.agency, consent=consent, urgency="red", reason="需要诊断",
                                   respond_by=now + datetime.timedelta(days=1))


def _planned_follow_up(case, city) -> FollowUp:
    return FollowUp.objects.create(case=case, written_by=city.liu_a, written_at=timezone.now(),
                                   written_at_school=case.school, due_on=timezone.localdate())


def test_opening_a_case_sets_owner_team_event_and_audit(city):
    case = _case(city)
    assert (case.state, case.level, case.owner, case.school) == (S.ASSESSING, "red", city.liu_a, city.school_a)
    team = {(m.user.username, m.part) for m in case.team.all()}
    # The school admin is no member: a leader reads the school's red cases by level, not by team.
    assert team == {("zhang_a1", CaseTeamMember.Part.CLASS_TEACHER)}
    assert list(case.events.values_list("kind", "reason")) == [("opened", "课堂上情绪崩溃，需要评估")]
    assert AuditEntry.objects.filter(action="cases.opened", student_id=city.chen.pk).exists()


def test_one_open_case_per_student(city):
    _case(city)
    with pytest.raises(ValidationError, match="已有一个未结案的个案"):
        _case(city)


@pytest.mark.parametrize("user", ["wang_b", "song_a", "zhang_a1", "xin"])
def test_only_the_schools_psych_teacher_opens_a_case(city, user):
    with pytest.raises(ValidationError):
        case_open(student=city.chen, level="red", reason="需要评估一下", actor=getattr(city, user))
    assert not Case.objects.exists()


def test_a_case_from_an_alert_marks_it_and_a_later_alert_joins_the_same_case(city):
    alert = signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=city.re,
                           facts={"risk": "imminent"}).alert
    case = case_open(student=city.chen, level=alert.level, reason="热线评估紧急风险", actor=city.liu_a, alert=alert)
    alert.refresh_from_db()
    assert alert.state == Alert.State.CASE_OPENED and list(case.alerts.all()) == [alert]
    later = signal_receive(student=city.chen, source=Source.GUARDIAN_CONCERN, raised_by=None,
                           facts={"concerns": ["low_mood"]}).alert
    assert case_open(student=city.chen, level="yellow", reason="家长再次反映", actor=city.liu_a, alert=later) == case
    assert set(case.alerts.all()) == {alert, later} and Case.objects.count() == 1


@pytest.mark.parametrize("from_state,to_state", list(itertools.product(S.values, S.values)))
def test_every_state_change_is_allowed_or_refused_as_the_table_says(city, from_state, to_state):
    case = _case(city)
    _open_referral(case, city)
    _planned_follow_up(case, city)
    Case.objects.filter(pk=case.pk).update(state=from_state)
    if (from_state, to_state) in ALLOWED:
        assert case_change_state(case=case, to_state=to_state, actor=city.liu_a, reason="按计划推进").state == to_state
        assert case.events.last().detail == {"previous": from_state, "state": to_state}
    else:
        with pytest.raises(ValidationError):
            case_change_state(case=case, to_state=to_state, actor=city.liu_a, reason="按计划推进")
        assert Case.objects.get(pk=case.pk).state == from_state


def test_referred_needs_an_open_referral_and_following_up_a_planned_follow_up(city):
    case = _case(city)
    with pytest.raises(ValidationError, match="请先发起转介"):
        case_change_state(case=case, to_state=S.REFERRED, actor=city.liu_a, reason="转介精神卫生中心")
    case_change_state(case=case, to_state=S.INTERVENING, actor=city.liu_a, reason="开始每周辅导")
    with pytest.raises(ValidationError, match="请先安排至少一次回访"):
        case_change_state(case=case, to_state=S.FOLLOWING_UP, actor=city.liu_a, reason="进入回访")


def test_a_change_needs_a_reason(city):
    with pytest.raises(ValidationError, match="请写明原因"):
        case_change_state(case=_case(city), to_state=S.INTERVENING, actor=city.liu_a, reason=" ")


def test_closing_needs_a_review_no_open_referral_and_every_follow_up_done_or_waived(city):
    case = _case(city)
    referral = _open_referral(case, city)
    follow_up = _planned_follow_up(case, city)
    review = "三次辅导后情绪稳定，安全计划落实，家长配合，风险已解除。"
    with pytest.raises(ValidationError) as refused:
        case_close(case=case, actor=city.liu_a, closure_review=review)
    assert len(refused.value.messages) == 2
    Referral.objects.filter(pk=referral.pk).update(state=Referral.State.DONE)
    FollowUp.objects.filter(pk=follow_up.pk).update(state=FollowUp.State.WAIVED, waived_reason="学生已转入专科治疗")
    with pytest.raises(ValidationError, match="结案评估"):
        case_close(case=case, actor=city.liu_a, closure_review="好了")
    case = case_close(case=case, actor=city.liu_a, closure_review=review)
    assert case.state == S.CLOSED and case.closure_review == review and case.closed_by == city.liu_a
    with pytest.raises(ValidationError, match="已经结案"):
        case_change_state(case=case, to_state=S.INTERVENING, actor=city.liu_a, reason="继续辅导")


def test_a_closed_case_reopens_with_a_reason_unless_another_is_open(city):
    case = case_close(case=_case(city), actor=city.liu_a, closure_review="评估后无明显风险，结案观察。")
    with pytest.raises(ValidationError):
        case_reopen(case=case, actor=city.liu_a, reason="")
    case = case_reopen(case=case, actor=city.liu_a, reason="学生再次出现自伤言语")
    assert case.state == S.ASSESSING and case.closed_at is None
    with pytest.raises(ValidationError, match="没有结案"):
        case_reopen(case=case, actor=city.liu_a, reason="再开一次")


def test_level_and_owner_changes_are_recorded_with_their_reason(city):
    case = case_level_change(case=_case(city), level="orange", actor=city.liu_a, reason="安全计划已建立")
    assert case.level == "orange"
    with pytest.raises(ValidationError):
        case_reassign(case=case, owner=city.wang_b, actor=city.liu_a, reason="换人负责")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "level_changed"]


@pytest.mark.parametrize("user", ["song_a", "zhang_a1", "xin", "wang_b"])
def test_the_services_themselves_refuse_anyone_but_the_schools_psych_teachers(city, user):
    case = _case(city)
    actor = getattr(city, user)
    for change in (lambda: case_change_state(case=case, to_state=S.INTERVENING, actor=actor, reason="开始辅导"),
                   lambda: case_level_change(case=case, level="yellow", actor=actor, reason="风险降低"),
                   lambda: case_close(case=case, actor=actor, closure_review="评估后无明显风险，结案观察。")):
        with pytest.raises(ValidationError, match="只有本校的心理教师"):
            change()
    assert Case.objects.get(pk=case.pk).state == S.ASSESSING and case.events.count() == 1
