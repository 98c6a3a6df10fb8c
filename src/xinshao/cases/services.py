"""Writes for a case's life: open (by hand or from an alert), state changes, owner and team, close, reopen.

The state machine is the table TRANSITIONS; each change needs a reason and leaves a CaseEvent
(who, when, why) and an audit entry. The checks that forbid nonsense live here, in one place:
no "referred" without an open referral, no "following up" without a planned follow-up, no
closing with an open referral, a planned follow-up or no closure review.
Intervention, referrals and follow-ups have their own modules and record their events here.
"""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Alert, Level
from xinshao.alerts.services import alert_case_opened
from xinshao.audit.services import audit_record
from xinshao.cases.models import Case, CaseEvent, CaseTeamMember, FollowUp, Referral
from xinshao.notifications.texts import Text, in_default_language
from xinshao.people.models import Student

State = Case.State
TRANSITIONS: dict[str, set[str]] = {
    State.ASSESSING: {State.INTERVENING, State.REFERRED},
    State.INTERVENING: {State.REFERRED, State.FOLLOWING_UP},
    State.REFERRED: {State.INTERVENING, State.FOLLOWING_UP},
    State.FOLLOWING_UP: {State.INTERVENING, State.REFERRED},
}
# Closing is its own step (case_close), from any open state; reopening (case_reopen) from closed.
MIN_REASON_LENGTH = 4
MIN_REVIEW_LENGTH = 10


def _reason(text: str, *, minimum: int = MIN_REASON_LENGTH, what: str = "") -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise ValidationError(_("请写明%(what)s（至少 %(n)s 个字）。") % {"what": what or _("原因"), "n": minimum})
    return text


def case_psych_staff_join(case: Case, user, now) -> None:
    """A psych teacher who writes in a case joins its team, so they can read back what they wrote."""
    if user.pk != case.owner_id:
        CaseTeamMember.objects.get_or_create(case=case, user=user, defaults={
            "part": CaseTeamMember.Part.PSYCH_TEACHER, "added_at": now})


def case_event_record(*, case: Case, kind: str, actor, reason: str = "", system_reason: Text | None = None,
                      now=None, request=None, **detail) -> CaseEvent:
    """The one way to record a change in a case: an event row and an audit entry. A reason the
    system writes is a `system_reason` Text, so each reader reads it in their language
    (CaseEvent.reason_text); `reason` keeps it in the default language, as a person's reason is kept."""
    now = now or timezone.now()
    if system_reason is not None:
        reason, detail = in_default_language(system_reason), {**detail, "reason_text": system_reason.stored()}
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor if actor and actor.is_authenticated else None,
                                     at=now, reason=reason[:500], detail=detail, written_at_school_id=case.school_id)
    audit_record(actor=actor, action=f"cases.{kind}", student=case.student, obj=case, request=request,
                 detail={"event": event.pk, **{k: v for k, v in detail.items() if isinstance(v, (int, str))}})
    return event


def case_for_writing(case: Case, actor, *, open_only: bool = True) -> Case:
    """The one check every case service makes before writing: the case re-read under lock for this
    transaction, once the actor may change it (scopes.can_change_case) and, unless `open_only` is
    off (reopening), it is open. A refusal is a ValidationError raised before anything is written."""
    if not scopes.can_change_case(actor, case):
        raise ValidationError(_("只有本校的心理教师可以修改这个个案。"))
    case = Case.objects.select_for_update(of=("self",)).select_related("student", "school", "owner").get(pk=case.pk)
    if open_only and not case.is_open:
        raise ValidationError(_("这个个案已经结案；如需继续，请先重新开案。"))
    return case


# --- opening -------------------------------------------------------------------------------

def case_default_team(case: Case, now) -> None:
    """The class teacher(s) of the student's class join the owner (at opening, and at the new school
    after a transfer). School leaders do not: they see the school's red cases by level."""
    people = scopes.users_in_role(Role.CLASS_TEACHER, school_class_id=case.student.school_class_id)
    CaseTeamMember.objects.bulk_create(
        [CaseTeamMember(case=case, user=user, part=CaseTeamMember.Part.CLASS_TEACHER, added_at=now)
         for user in people if user != case.owner], ignore_conflicts=True)


@transaction.atomic
def case_open(*, student: Student, level: str, reason: str, actor, alert: Alert | None = None, now=None,
              request=None) -> Case:
    """Open a case (by hand, or from an alert). A student with an open case keeps that one: an
    alert about them is linked to it instead."""
    now = now or timezone.now()
    if not scopes.schools_with_case_rights(actor).filter(pk=student.school_id).exists():
        raise ValidationError(_("只有本校的心理教师可以为这名学生开案。"))
    if level not in Level.values:
        raise ValidationError(_("请选择风险等级。"))
    reason = _reason(reason, what=_("开案原因"))
    student = Student.objects.select_for_update().get(pk=student.pk)
    existing = Case.objects.filter(student=student).exclude(state=State.CLOSED).first()
    if existing is not None:
        if alert is None:
            raise ValidationError(_("这名学生已有一个未结案的个案，请在原个案中继续。"))
        _link_alert(existing, alert, actor, now, request)
        return existing
    try:
        with transaction.atomic():
            case = Case.objects.create(student=student, school_id=student.school_id, level=level, owner=actor,
                                       opening_reason=reason[:300], opened_by=actor, opened_at=now)
    except IntegrityError:  # another person opened one at the same moment
        raise ValidationError(_("这名学生已有一个未结案的个案，请在原个案中继续。")) from None
    case_default_team(case, now)
    case_event_record(case=case, kind="opened", actor=actor, reason=reason, now=now, request=request, level=level,
                      alert=alert.pk if alert else "")
    if alert is not None:
        _link_alert(case, alert, actor, now, request)
    return case


def _link_alert(case: Case, alert: Alert, actor, now, request) -> None:
    if alert.student_id != case.student_id:
        raise ValidationError(_("预警与个案不是同一名学生。"))
    case.alerts.add(alert)
    if alert.is_open:
        alert_case_opened(alert=alert, actor=actor, now=now, request=request)
    case_event_record(case=case, kind="alert_linked", actor=actor, now=now, request=request, alert=alert.pk)


# --- state ---------------------------------------------------------------------------------

def _state_problem(case: Case, to_state: str) -> str | None:
    if to_state not in TRANSITIONS.get(case.state, set()):
        return _("个案不能从“%(from)s”改为“%(to)s”。") % {"from": case.get_state_display(),
                                                      "to": dict(State.choices).get(to_state, to_state)}
    if to_state == State.REFERRED and not case.referrals.filter(state__in=Referral.OPEN_STATES).exists():
        return _("还没有进行中的转介：请先发起转介。")
    if to_state == State.FOLLOWING_UP and not case.follow_ups.filter(state=FollowUp.State.PLANNED).exists():
        return _("还没有安排回访：请先安排至少一次回访。")
    return None


@transaction.atomic
def case_change_state(*, case: Case, to_state: str, actor, reason: str = "", system_reason: Text | None = None,
                      now=None, request=None) -> Case:
    """Move the case along TRANSITIONS with a person's reason, or (a change another service makes)
    a system_reason as case_event_record takes it."""
    case = case_for_writing(case, actor)
    problem = _state_problem(case, to_state)
    if problem:
        raise ValidationError(problem)
    if system_reason is None:
        reason = _reason(reason)
    previous, case.state = case.state, to_state
    case.save(update_fields=["state", "updated_at"])
    case_event_record(case=case, kind="state_changed", actor=actor, reason=reason, system_reason=system_reason,
                      now=now, request=request, previous=previous, state=to_state)
    return case


def closure_problems(case: Case) -> list[str]:
    """What still stands in the way of closing a case (empty: it may close)."""
    problems = []
    if case.referrals.filter(state__in=Referral.OPEN_STATES).exists():
        problems.append(_("还有进行中的转介：请等机构反馈并完成转介后再结案。"))
    if case.follow_ups.filter(state=FollowUp.State.PLANNED).exists():
        problems.append(_("还有未完成的回访：请完成或写明原因免除后再结案。"))
    return problems


@transaction.atomic
def case_close(*, case: Case, actor, closure_review: str, now=None, request=None) -> Case:
    """Close after a written closure review, once no referral is open and every follow-up is done or waived."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    problems = closure_problems(case)
    if problems:
        raise ValidationError(problems)
    try:
        review = _reason(closure_review, minimum=MIN_REVIEW_LENGTH, what=_("结案评估"))
    except ValidationError as error:  # named by field, so the page shows it next to the review
        raise ValidationError({"closure_review": error.messages}) from None
    previous = case.state
    case.state, case.closure_review, case.closed_by, case.closed_at = State.CLOSED, review, actor, now
    case.save()
    case_event_record(case=case, kind="closed", actor=actor, system_reason=Text(gettext_noop("结案评估已填写")),
                      now=now, request=request, previous=previous)
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str, now=None, request=None) -> Case:
    case = case_for_writing(case, actor, open_only=False)
    if case.is_open:
        raise ValidationError(_("这个个案没有结案，不需要重新开案。"))
    reason = _reason(reason)
    if Case.objects.filter(student_id=case.student_id).exclude(state=State.CLOSED).exists():
        raise ValidationError(_("这名学生已有一个未结案的个案，请在那个个案中继续。"))
    case.state, case.closed_by, case.closed_at = State.ASSESSING, None, None
    case.save()
    case_event_record(case=case, kind="reopened", actor=actor, reason=reason, now=now, request=request)
    return case


@transaction.atomic
def case_level_change(*, case: Case, level: str, actor, reason: str, now=None, request=None) -> Case:
    case = case_for_writing(case, actor)
    if level not in Level.values:
        raise ValidationError(_("请选择风险等级。"))
    reason = _reason(reason)
    previous, case.level = case.level, level
    case.save(update_fields=["level", "updated_at"])
    case_event_record(case=case, kind="level_changed", actor=actor, reason=reason, now=now, request=request,
                      previous=previous, level=level)
    return case


@transaction.atomic
def case_reassign(*, case: Case, owner, actor, reason: str, now=None, request=None) -> Case:
    case = case_for_writing(case, actor)
    if not scopes.alert_owners_at(case.school).filter(pk=owner.pk).exists():
        raise ValidationError(_("负责人必须是本校的心理教师。"))
    reason = _reason(reason)
    previous, case.owner = case.owner_id, owner
    case.save(update_fields=["owner", "updated_at"])
    case_event_record(case=case, kind="owner_changed", actor=actor, reason=reason, now=now, request=request,
                      previous=previous, owner=owner.pk)
    return case
