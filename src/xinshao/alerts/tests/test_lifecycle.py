"""An alert's life: acknowledge, escalate when a deadline passes (clock moved, never slept), close."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Alert, AlertEvent, Source
from xinshao.alerts.services import (
    alert_acknowledge,
    alert_case_opened,
    alert_close,
    alert_close_confirm,
    alert_close_decline,
    alert_reassign,
    alerts_escalate_overdue,
    signal_receive,
)
from xinshao.alerts.tests.support import NOW
from xinshao.notifications.models import Notification

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def _red_alert(city, student=None) -> Alert:
    return signal_receive(student=student or city.chen, source=Source.HOTLINE_CALL, raised_by=city.re,
                          facts={"risk": "imminent"}, at=NOW).alert


def _yellow_alert(city) -> Alert:
    return signal_receive(student=city.chen, source=Source.GUARDIAN_CONCERN, raised_by=city.chen_ma_user,
                          facts={"concerns": ["sleep_energy"]}, at=NOW).alert


def _inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("subject", flat=True))


def test_a_new_red_alert_tells_its_owner_without_the_students_name(city):
    alert = _red_alert(city)
    note = Notification.objects.get(recipient=city.liu_a)
    assert note.subject == "新的红色预警" and note.urgent and note.link == f"/alerts/{alert.pk}/"
    assert "陈小雨" not in note.subject + note.body and "东湖中学" in note.body


def test_an_overdue_red_alert_climbs_to_the_school_leader_then_the_bureau(city):
    alert = _red_alert(city)
    assert alerts_escalate_overdue(now=NOW + 29 * MINUTE) == 0

    assert alerts_escalate_overdue(now=NOW + 31 * MINUTE) == 1
    alert.refresh_from_db()
    assert alert.escalation_step == Alert.Step.SCHOOL_LEADER and alert.state == Alert.State.NEW
    assert alert.ack_due_at == NOW + 61 * MINUTE
    assert _inbox(city.song_a) == ["红色预警超时未确认，已上报"] and _inbox(city.xin) == []
    assert alerts_escalate_overdue(now=NOW + 32 * MINUTE) == 0, "once per deadline"

    assert alerts_escalate_overdue(now=NOW + 62 * MINUTE) == 1
    alert.refresh_from_db()
    assert alert.escalation_step == Alert.Step.BUREAU and _inbox(city.xin) == ["红色预警超时未确认，已上报"]
    assert alerts_escalate_overdue(now=NOW + 600 * MINUTE) == 0, "the bureau is the top of the chain"
    assert list(alert.events.filter(kind=AlertEvent.Kind.ESCALATED).values_list("detail__step", flat=True)) == [1, 2]


def test_an_acknowledged_alert_does_not_escalate(city):
    alert = _red_alert(city)
    alert_acknowledge(alert=alert, actor=city.liu_a, now=NOW + 5 * MINUTE)
    assert alerts_escalate_overdue(now=NOW + 120 * MINUTE) == 0
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED and alert.acknowledged_by == city.liu_a
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, actor=city.liu_a)


def test_a_school_without_a_psych_teacher_starts_at_the_leader_and_without_a_leader_goes_to_the_bureau(city):
    RoleAssignment.objects.filter(user__in=[city.wang_b, city.song_b]).update(is_active=False)
    alert = _red_alert(city, city.zhou)
    assert alert.owner is None and alert.escalation_step == Alert.Step.SCHOOL_LEADER
    assert alerts_escalate_overdue(now=NOW + 31 * MINUTE) == 1
    alert.refresh_from_db()
    assert alert.escalation_step == Alert.Step.BUREAU and _inbox(city.xin)


def test_a_red_alert_closes_only_with_a_reason_and_a_second_persons_confirmation(city):
    alert = _red_alert(city)
    with pytest.raises(ValidationError, match="请写明原因"):
        alert_close(alert=alert, actor=city.liu_a, reason=" ")
    alert = alert_close(alert=alert, actor=city.liu_a, reason="已评估，风险已解除，家长已知情")
    assert alert.is_open and alert.close_requested_by == city.liu_a
    with pytest.raises(ValidationError, match="申请人本人不能确认"):
        alert_close_confirm(alert=alert, actor=city.liu_a)
    alert = alert_close_confirm(alert=alert, actor=city.song_a)
    assert alert.state == Alert.State.CLOSED and alert.closed_by == city.song_a
    assert alert.close_reason == "已评估，风险已解除，家长已知情"
    with pytest.raises(ValidationError):
        alert_close(alert=alert, actor=city.liu_a, reason="再次关闭一次")


def test_a_declined_closure_leaves_the_red_alert_open(city):
    alert = alert_close(alert=_red_alert(city), actor=city.liu_a, reason="学生说只是开玩笑")
    alert = alert_close_decline(alert=alert, actor=city.song_a, reason="需要先完成安全评估")
    assert alert.is_open and alert.close_requested_by is None
    assert list(alert.events.values_list("kind", flat=True))[-2:] == ["close_requested", "close_declined"]


def test_a_yellow_alert_closes_with_a_reason_alone(city):
    alert = alert_close(alert=_yellow_alert(city), actor=city.liu_a, reason="已与家长沟通，作息已调整")
    assert alert.state == Alert.State.CLOSED and alert.closed_by == city.liu_a


def test_a_closed_alert_lets_a_new_signal_open_a_new_alert(city):
    first = alert_close(alert=_yellow_alert(city), actor=city.liu_a, reason="已与家长沟通")
    second = _red_alert(city)
    assert second.pk != first.pk and Alert.objects.filter(state__in=Alert.OPEN_STATES).count() == 1


def test_the_owner_can_only_be_a_psych_teacher_of_the_school(city):
    alert = _yellow_alert(city)
    colleague = User.objects.create_user(username="liu2", password="x", display_name="刘二")
    RoleAssignment.objects.create(user=colleague, role=Role.PSYCH_TEACHER, school=city.school_a)
    assert alert_reassign(alert=alert, actor=city.liu_a, owner=colleague).owner == colleague
    with pytest.raises(ValidationError):
        alert_reassign(alert=alert, actor=city.liu_a, owner=city.wang_b)


def test_turning_an_alert_into_a_case_ends_its_open_life(city):
    alert = alert_case_opened(alert=_yellow_alert(city), actor=city.liu_a)
    assert alert.state == Alert.State.CASE_OPENED and not alert.is_open


def test_a_higher_signal_on_an_acknowledged_alert_asks_for_a_new_acknowledgement(city):
    alert = _yellow_alert(city)
    alert_acknowledge(alert=alert, actor=city.liu_a, now=NOW + MINUTE)
    _red_alert(city)
    alert.refresh_from_db()
    assert alert.level == "red" and alert.state == Alert.State.NEW
    assert _inbox(city.liu_a) == ["新的黄色预警", "新的红色预警"]
