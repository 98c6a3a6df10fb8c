"""Writes of the hotline and the walk-in centre. Each change is a CallEvent or VisitEvent row and an
audit entry; a risky call about a known student hands the early-warning engine a Signal in the same
transaction, and joins the student's open case as a timeline entry (without the operator's notes).
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.services import audit_record
from xinshao.cases.models import Case
from xinshao.cases.services import case_event_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.hotline.models import (
    Action,
    Call,
    CallerType,
    CallEvent,
    CallType,
    Channel,
    Risk,
    Topic,
    Urgency,
    Visit,
    VisitEvent,
    VisitOutcome,
)

TEXT_MAX = 4000
MAX_DURATION = 600
# Risks that raise a signal on their own; a ticked "raise an alert" counts the call as at least medium.
SIGNAL_RISKS = {Risk.HIGH, Risk.IMMINENT}
RISK_ORDER = [Risk.NONE, Risk.LOW, Risk.MEDIUM, Risk.HIGH, Risk.IMMINENT]


def _text(value: str, what: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError(_("%(what)s请控制在 %(n)d 字以内。") % {"what": what, "n": TEXT_MAX})
    if required and not value:
        raise ValidationError(_("请填写%(what)s。") % {"what": what})
    return value


def _choice(value: str, choices, what: str) -> str:
    if value not in choices.values:
        raise ValidationError(_("请选择%(what)s。") % {"what": what})
    return value


def _topics(topics) -> list[Topic]:
    topics = list(topics or [])
    if any(not topic.is_active for topic in topics):
        raise ValidationError(_("有已停用的话题，请重新选择。"))
    return topics


def student_search(*, user, school, name: str = "", student_number: str = "", request=None) -> list:
    """The exact matches an operator or centre counselor may link, with an audit entry naming the
    search and every student shown (also when none was found)."""
    found = scopes.hotline_student_matches(user, school=school, name=name, student_number=student_number)
    audit_record(actor=user, action="hotline.student_search", request=request, detail={
        "school": school.pk if school else None, "by_name": bool((name or "").strip()),
        "by_number": bool((student_number or "").strip()), "students": [s.pk for s in found]})
    return found


def _event(call: Call, kind: str, actor, now, **detail) -> CallEvent:
    event = CallEvent.objects.create(call=call, kind=kind, actor=actor, at=now, detail=detail)
    audit_record(actor=actor, action=f"hotline.call.{kind}", student=call.student, obj=call,
                 detail={"event": event.pk, **detail})
    return event


def _check_call(*, operator, started_at, duration_minutes, channel, call_type, caller_type, urgency, risk,
                actions, student, school, caller_description, follow_up_of, callback_due_at, now):
    _choice(channel, Channel, _("渠道"))
    _choice(call_type, CallType, _("来电类型"))
    _choice(caller_type, CallerType, _("来电人"))
    _choice(urgency, Urgency, _("紧急程度"))
    _choice(risk, Risk, _("风险评估"))
    if any(key not in Action.values for key in actions):
        raise ValidationError(_("有无法识别的措施，请重新勾选。"))
    if started_at > now + datetime.timedelta(minutes=5):
        raise ValidationError(_("来电时间不能晚于现在。"))
    if not 0 <= duration_minutes <= MAX_DURATION:
        raise ValidationError(_("通话时长请填写 0 到 %(n)d 分钟。") % {"n": MAX_DURATION})
    if student is not None:
        if school is None or student.school_id != school.pk:
            raise ValidationError(_("学生与学校不一致。"))
        if not scopes.hotline_student_matches(operator, school=school, name=student.name,
                                              student_number=student.student_number):
            raise ValidationError(_("找不到这名学生。"))
    if follow_up_of is not None and not scopes.calls_visible_to(operator).filter(pk=follow_up_of.pk).exists():
        raise ValidationError(_("找不到首次来电。"))
    if callback_due_at is not None and callback_due_at < started_at:
        raise ValidationError(_("回电期限不能早于来电时间。"))


@transaction.atomic
def call_log(*, operator, started_at, duration_minutes: int, channel: str, call_type: str, caller_type: str,
             urgency: str = Urgency.ROUTINE, risk: str = Risk.NONE, actions=(), topics=(), student=None,
             school=None, caller_description: str = "", raise_alert: bool = False, notes: str = "",
             follow_up_of: Call | None = None, callback_due_at=None, now=None, request=None) -> Call:
    now = now or timezone.now()
    if not scopes.can_log_calls(operator):
        raise ValidationError(_("只有热线接线员可以记录来电。"))
    region_id = scopes.hotline_region_of(operator)
    actions = [key for key in Action.values if key in set(actions)]
    _check_call(operator=operator, started_at=started_at, duration_minutes=duration_minutes, channel=channel,
                call_type=call_type, caller_type=caller_type, urgency=urgency, risk=risk, actions=actions,
                student=student, school=school, caller_description=caller_description, follow_up_of=follow_up_of,
                callback_due_at=callback_due_at, now=now)
    if student is None:
        school = school if school is not None and scopes.schools_visible_to(operator).filter(pk=school.pk).exists() \
            else None
    call = Call.objects.create(
        region_id=region_id, operator=operator, started_at=started_at, duration_minutes=duration_minutes,
        channel=channel, call_type=call_type, caller_type=caller_type, urgency=urgency, risk=risk, actions=actions,
        student=student, school=school, raise_alert=bool(raise_alert),
        caller_description=_text(caller_description, _("来电人描述")) if student is None else "",
        notes=_text(notes, _("接线记录")), follow_up_of=follow_up_of.thread_root if follow_up_of else None,
        callback_due_at=callback_due_at)
    call.topics.set(_topics(topics))
    _event(call, "logged", operator, now, risk=risk, follow_up_of=call.follow_up_of_id or "")
    _raise_and_link(call, operator, now, request)
    return call


def _raise_and_link(call: Call, actor, now, request) -> None:
    """A risky call about a known student: a signal once (origin call:<pk>), and an entry in the
    student's open case. Neither carries the operator's notes."""
    if call.student is None:
        return
    if call.signal_id is None and (call.risk in SIGNAL_RISKS or call.raise_alert):
        risk = call.risk if RISK_ORDER.index(call.risk) >= RISK_ORDER.index(Risk.MEDIUM) else Risk.MEDIUM
        call.signal = signal_receive(student=call.student, source=Source.HOTLINE_CALL, raised_by=actor,
                                     facts={"risk": risk, "operator_raised": bool(call.raise_alert)},
                                     note=_("心理热线来电，详情请与市心理中心联系。"), origin=f"call:{call.pk}",
                                     at=now, request=request)
        call.save(update_fields=["signal"])
        _event(call, "signal_raised", actor, now, signal=call.signal.pk, level=call.signal.level)
    case = Case.objects.filter(student=call.student).exclude(state=Case.State.CLOSED).first()
    if case is not None and call.case_id is None:
        call.case = case
        call.save(update_fields=["case"])
        case_event_record(case=case, kind="hotline_call", actor=actor, now=now, request=request, call=call.pk,
                          risk=call.risk, channel=call.channel)
        _event(call, "case_linked", actor, now, case=case.pk)


@transaction.atomic
def call_update(*, call: Call, actor, now=None, request=None, topics=(), **fields) -> Call:
    """The operator who logged a call corrects it; the student is kept as found then."""
    now = now or timezone.now()
    if not scopes.can_change_call(actor, call):
        raise ValidationError(_("只有记录这通来电的接线员可以修改。"))
    call = Call.objects.select_for_update().get(pk=call.pk)
    fields["actions"] = [key for key in Action.values if key in set(fields.get("actions", ()))]
    _check_call(operator=actor, student=call.student, school=call.school, follow_up_of=call.follow_up_of,
                caller_description=fields.get("caller_description", ""), now=now,
                **{k: fields[k] for k in ("started_at", "duration_minutes", "channel", "call_type", "caller_type",
                                          "urgency", "risk", "actions", "callback_due_at")})
    changed = sorted(k for k, v in fields.items() if getattr(call, k) != v)
    for key, value in fields.items():
        if key in ("notes", "caller_description"):
            value = _text(value, key)
        setattr(call, key, value)
    if call.student is not None:
        call.caller_description = ""
    call.save()
    call.topics.set(_topics(topics))
    _event(call, "edited", actor, now, fields=",".join(changed))
    _raise_and_link(call, actor, now, request)
    return call


@transaction.atomic
def callback_record(*, call: Call, actor, outcome: str, now=None, request=None) -> Call:
    """Any operator of the city may make the call-back owed (a shift hands them over)."""
    now = now or timezone.now()
    if not scopes.can_record_callback(actor, call):
        raise ValidationError(_("只有热线接线员可以记录回电。"))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.callback_open:
        raise ValidationError(_("这通来电没有待回电。"))
    call.callback_outcome = _text(outcome, _("回电结果"), required=True)
    call.callback_done_at, call.callback_done_by = now, actor
    call.save(update_fields=["callback_outcome", "callback_done_at", "callback_done_by"])
    _event(call, "callback_done", actor, now, overdue=call.callback_due_at < now)
    return call


def callbacks_remind_overdue(now=None) -> int:
    """Tell the operator who logged a call once when its call-back is overdue; return how many were told."""
    now = now or timezone.now()
    due = Call.objects.filter(callback_due_at__lt=now, callback_done_at__isnull=True, callback_reminded_at__isnull=True)
    sent = 0
    for call_id in due.order_by("callback_due_at", "id").values_list("pk", flat=True):
        sent += _remind(due, call_id, now)
    return sent


@transaction.atomic
def _remind(due, call_id: int, now) -> int:
    # Re-read under lock: another run may have reminded it, or an operator called back, meanwhile.
    call = due.select_for_update().filter(pk=call_id).select_related("operator").first()
    if call is None:
        return 0
    call.callback_reminded_at = now
    call.save(update_fields=["callback_reminded_at"])
    # No caller's or student's name: the words may leave the platform by SMS or e-mail.
    notify([call.operator], subject=Text(gettext_noop("有一个回电已逾期")),
           body=Text(gettext_noop("您记录的一通来电（%(when)s）应在 %(due)s 前回电。请登录心哨回电，或交给当班同事。"),
                     {"when": timezone.localtime(call.started_at).strftime("%Y-%m-%d %H:%M"),
                      "due": timezone.localtime(call.callback_due_at).strftime("%Y-%m-%d %H:%M")}),
           link=reverse("hotline:call_detail", args=[call.pk]), urgent=call.risk in SIGNAL_RISKS,
           topic="hotline.callback", now=now)
    _event(call, "callback_reminded", None, now)
    return 1


# --- walk-in visits ------------------------------------------------------------------------

def family_lines_checked(text: str) -> str:
    text = _text(text, _("来访家庭成员"), required=True)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(len(line.split(maxsplit=1)) < 2 for line in lines):
        raise ValidationError(_("每行写一位家庭成员：先写关系，再写姓名，中间空一格，例如“母亲 王丽”。"))
    return "\n".join(lines)


@transaction.atomic
def visit_record(*, recorded_by, visited_at, counselor, family_members: str, presenting_concern: str,
                 outcome: str, students=(), unidentified_children: str = "", topics=(), notes: str = "",
                 next_visit_on=None, follow_up_of: Visit | None = None, now=None, request=None) -> Visit:
    now = now or timezone.now()
    if not scopes.can_keep_visits(recorded_by):
        raise ValidationError(_("只有市心理中心的工作人员可以记录来访。"))
    if not scopes.centre_counselors(recorded_by).filter(pk=counselor.pk).exists():
        raise ValidationError(_("请选择市心理中心的咨询师。"))
    _choice(outcome, VisitOutcome, _("结果"))
    if visited_at > now + datetime.timedelta(minutes=5):
        raise ValidationError(_("来访时间不能晚于现在。"))
    if next_visit_on is not None and next_visit_on < visited_at.date():
        raise ValidationError(_("下次来访日期不能早于本次来访。"))
    if follow_up_of is not None and not scopes.visits_visible_to(recorded_by).filter(pk=follow_up_of.pk).exists():
        raise ValidationError(_("找不到首次来访。"))
    students = list(students)
    for student in students:
        if not scopes.hotline_student_matches(recorded_by, school=student.school, name=student.name,
                                              student_number=student.student_number):
            raise ValidationError(_("找不到这名学生。"))
    visit = Visit.objects.create(
        region_id=scopes.hotline_region_of(recorded_by), visited_at=visited_at, counselor=counselor,
        recorded_by=recorded_by, family_members=family_lines_checked(family_members),
        unidentified_children=_text(unidentified_children, _("未识别的孩子")),
        presenting_concern=_text(presenting_concern, _("来访原因"), required=True), outcome=outcome,
        notes=_text(notes, _("咨询记录")), next_visit_on=next_visit_on,
        follow_up_of=follow_up_of.thread_root if follow_up_of else None)
    visit.students.set(students)
    visit.topics.set(_topics(topics))
    event = VisitEvent.objects.create(visit=visit, kind="recorded", actor=recorded_by, at=now,
                                      detail={"outcome": outcome})
    for student in students or [None]:
        audit_record(actor=recorded_by, action="hotline.visit.recorded", student=student, obj=visit, request=request,
                     detail={"event": event.pk})
    return visit
