"""Writes for intervention in a case: counselling sessions, the safety plan, guardian contacts and
agreed actions.

Each function is keyword-only and atomic, takes `now` (tests move the clock), checks the actor may
change the case (its school's psych teachers) and that the case is open, and records the change
with case_event_record (a CaseEvent and an audit entry). Input is checked here, not only in the
forms, and a refusal is a ValidationError raised before anything is written.
Event details never carry the written text: the timeline is read by people who may not read it.
"""
import datetime

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.accounts.models import User
from xinshao.core.checks import written_text
from xinshao.cases.models import (
    AgreedAction,
    Case,
    CounsellingSession,
    GuardianContact,
    SafetyPlan,
)
from xinshao.cases.services import case_event_record, case_for_writing, case_psych_staff_join

# A plan line or an action may be a short phrase ("听音乐", "家访"); an account of a session or a
# conversation needs at least a few words.
MIN_TEXT_LENGTH = 2
MIN_ACCOUNT_LENGTH = 4
MAX_TEXT_LENGTH = 5000
MAX_NOTES_LENGTH = 20000
MAX_SESSION_MINUTES = 480
ACTION_MAX_LENGTH = 300
# A session or a contact is recorded after it happened; a few minutes' grace covers clock drift
# between the teacher's phone and the server.
CLOCK_GRACE = datetime.timedelta(minutes=5)

# What each event kind of this module means, for the timeline and the case page.
EVENT_LABELS = {
    "session_recorded": gettext_lazy("记录了一次辅导"),
    "safety_plan_saved": gettext_lazy("保存了安全计划"),
    "guardian_contacted": gettext_lazy("记录了一次与监护人的沟通"),
    "action_agreed": gettext_lazy("商定了一项措施"),
    "action_done": gettext_lazy("一项措施已完成"),
}
SAFETY_PLAN_FIELDS = ("warning_signs", "coping_steps", "people_to_contact", "professional_help", "means_safety")


# --- checks shared by every write -----------------------------------------------------------

_text = partial(written_text, minimum=MIN_TEXT_LENGTH, maximum=MAX_TEXT_LENGTH)


def _choice(value, choices, *, what) -> str:
    if value not in choices.values:
        raise ValidationError(_("请选择%(what)s。") % {"what": what})
    return value


def _past_moment(value, *, now, what) -> datetime.datetime:
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise ValidationError(_("请填写%(what)s。") % {"what": what})
    if value > now + CLOCK_GRACE:
        raise ValidationError(_("%(what)s不能晚于现在：请记录已经发生的事。") % {"what": what})
    return value


def _written(case: Case, actor, now) -> dict:
    return {"case": case, "written_by": actor, "written_at": now, "written_at_school_id": case.school_id}


# --- counselling sessions -------------------------------------------------------------------

@transaction.atomic
def session_record(*, case: Case, actor, held_at, kind: str, minutes, private_notes: str, now=None,
                   request=None) -> CounsellingSession:
    """Record a session. The notes stay private; the event says only that it happened."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    held_at = _past_moment(held_at, now=now, what=_("辅导时间"))
    kind = _choice(kind, CounsellingSession.Kind, what=_("辅导形式"))
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_SESSION_MINUTES:
        raise ValidationError(_("时长请填 1 到 %(n)s 之间的分钟数。") % {"n": MAX_SESSION_MINUTES})
    notes = _text(private_notes, what=_("辅导记录"), minimum=MIN_ACCOUNT_LENGTH, maximum=MAX_NOTES_LENGTH)
    session = CounsellingSession.objects.create(held_at=held_at, kind=kind, minutes=minutes, private_notes=notes,
                                                **_written(case, actor, now))
    case_psych_staff_join(case, actor, now)
    case_event_record(case=case, kind="session_recorded", actor=actor, now=now, request=request,
                      session=session.pk, session_kind=kind, minutes=minutes)
    return session


# --- the safety plan ------------------------------------------------------------------------

def safety_plan_current(case: Case) -> SafetyPlan | None:
    return case.safety_plans.order_by("-written_at", "-id").first()


@transaction.atomic
def safety_plan_save(*, case: Case, actor, warning_signs: str, coping_steps: str, people_to_contact: str,
                     professional_help: str, means_safety: str = "", now=None, request=None) -> SafetyPlan:
    """Save a new version of the plan; earlier versions stay as they were, for the history."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    text = {
        "warning_signs": _text(warning_signs, what=_("警示信号")),
        "coping_steps": _text(coping_steps, what=_("自我调节方法")),
        "people_to_contact": _text(people_to_contact, what=_("可以联系的人")),
        "professional_help": _text(professional_help, what=_("专业求助方式")),
        "means_safety": _text(means_safety, what=_("环境安全措施"), required=False),
    }
    current = safety_plan_current(case)
    if current is not None and all(getattr(current, field) == text[field] for field in SAFETY_PLAN_FIELDS):
        raise ValidationError(_("内容与当前版本相同，没有需要保存的修改。"))
    plan = SafetyPlan.objects.create(**text, **_written(case, actor, now))
    version = case.safety_plans.count()
    case_event_record(case=case, kind="safety_plan_saved", actor=actor, now=now, request=request,
                      plan=plan.pk, version=version)
    return plan


# --- guardian contacts ----------------------------------------------------------------------

@transaction.atomic
def guardian_contact_record(*, case: Case, actor, guardian, contacted_at, method: str, what_was_said: str,
                            now=None, request=None) -> GuardianContact:
    """Record a contact with one of the student's guardians (as the roster lists them) and what was said."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    if guardian is None or not case.student.guardians.filter(pk=guardian.pk).exists():
        raise ValidationError(_("请从这名学生的监护人中选择。"))
    contacted_at = _past_moment(contacted_at, now=now, what=_("沟通时间"))
    method = _choice(method, GuardianContact.Method, what=_("沟通方式"))
    said = _text(what_was_said, what=_("沟通内容"), minimum=MIN_ACCOUNT_LENGTH)
    contact = GuardianContact.objects.create(guardian=guardian, contacted_at=contacted_at, method=method,
                                             what_was_said=said, **_written(case, actor, now))
    case_event_record(case=case, kind="guardian_contacted", actor=actor, now=now, request=request,
                      contact=contact.pk, guardian=guardian.pk, method=method)
    return contact


# --- agreed actions -------------------------------------------------------------------------

def action_assignees(case: Case):
    """Who may be given an action: the case owner and the people on the case team, while active."""
    team = case.team.values("user_id")
    return User.objects.filter(Q(pk=case.owner_id) | Q(pk__in=team), is_active=True).order_by("id")


@transaction.atomic
def action_agree(*, case: Case, actor, description: str, assignee, due_on, now=None,
                 request=None) -> AgreedAction:
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    description = _text(description, what=_("措施"), maximum=ACTION_MAX_LENGTH)
    if assignee is None or not action_assignees(case).filter(pk=assignee.pk).exists():
        raise ValidationError(_("措施的负责人必须是个案负责人或个案团队的成员。"))
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        raise ValidationError(_("请填写完成期限。"))
    if due_on < timezone.localdate(now):
        raise ValidationError(_("完成期限不能早于今天。"))
    action = AgreedAction.objects.create(description=description, assignee=assignee, due_on=due_on,
                                         **_written(case, actor, now))
    case_event_record(case=case, kind="action_agreed", actor=actor, now=now, request=request,
                      action=action.pk, assignee=assignee.pk, due_on=due_on.isoformat())
    return action


@transaction.atomic
def action_done(*, action: AgreedAction, actor, now=None, request=None) -> AgreedAction:
    now = now or timezone.now()
    case = case_for_writing(action.case, actor)
    action = AgreedAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is not None:
        raise ValidationError(_("这项措施已经标记为完成。"))
    action.done_at, action.done_by = now, actor
    action.save(update_fields=["done_at", "done_by"])
    case_event_record(case=case, kind="action_done", actor=actor, now=now, request=request, action=action.pk)
    return action
