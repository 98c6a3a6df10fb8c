"""Writes for follow-ups (回访): plan one, record it done with its outcome, or waive it with a reason;
and the periodic reminder to the case owner.

Only the school's psych teachers change follow-ups (services.case_for_writing), only in an open
case, and each change is a case event (services.case_event_record). Each function takes `now`
so tests move the clock instead of waiting.
"""
import datetime

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.alerts.models import Level
from xinshao.core.checks import written_text
from xinshao.cases.models import Case, FollowUp
from xinshao.cases.services import case_event_record, case_for_writing
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text

MIN_TEXT_LENGTH = 4
# A date further ahead than this is almost always a typing slip (2062 for 2026).
LATEST_PLAN = datetime.timedelta(days=366)
OUTCOME_MAX = 5000
WAIVE_REASON_MAX = 300


_text = partial(written_text, minimum=MIN_TEXT_LENGTH)


def _planned(follow_up: FollowUp, case: Case) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.case_id != case.pk:
        raise ValidationError(_("这次回访不属于这个个案。"))
    if follow_up.state != FollowUp.State.PLANNED:
        raise ValidationError(_("这次回访已经%(state)s，不能再修改。") % {"state": follow_up.get_state_display()})
    return follow_up


@transaction.atomic
def followup_plan(*, case: Case, due_on: datetime.date, actor, now=None, request=None) -> FollowUp:
    """Plan a follow-up on a date from today on."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    today = timezone.localdate(now)
    if due_on is None:
        raise ValidationError(_("请选择回访日期。"))
    if due_on < today:
        raise ValidationError(_("回访日期不能早于今天。"))
    if due_on > today + LATEST_PLAN:
        raise ValidationError(_("回访日期不能晚于一年以后，请检查年份。"))
    follow_up = FollowUp.objects.create(case=case, due_on=due_on, written_by=actor, written_at=now,
                                        written_at_school_id=case.school_id)
    case_event_record(case=case, kind="followup_planned", actor=actor, now=now, request=request,
                      follow_up=follow_up.pk, due_on=due_on.isoformat())
    return follow_up


@transaction.atomic
def followup_done(*, follow_up: FollowUp, outcome: str, actor, now=None, request=None) -> FollowUp:
    """Record a follow-up as done, with what was found."""
    now = now or timezone.now()
    case = case_for_writing(follow_up.case, actor)
    follow_up = _planned(follow_up, case)
    follow_up.outcome = _text(outcome, what=_("回访结果"), maximum=OUTCOME_MAX)
    follow_up.state, follow_up.completed_by, follow_up.completed_at = FollowUp.State.DONE, actor, now
    follow_up.save()
    # The outcome is sensitive and encrypted on the row; the event only says that it was written.
    case_event_record(case=case, kind="followup_done", actor=actor, now=now, request=request,
                      follow_up=follow_up.pk)
    return follow_up


@transaction.atomic
def followup_waive(*, follow_up: FollowUp, reason: str, actor, now=None, request=None) -> FollowUp:
    """Waive a planned follow-up; the reason stays with it and in the case's story."""
    now = now or timezone.now()
    case = case_for_writing(follow_up.case, actor)
    follow_up = _planned(follow_up, case)
    follow_up.waived_reason = _text(reason, what=_("免除原因"), maximum=WAIVE_REASON_MAX)
    follow_up.state, follow_up.completed_by, follow_up.completed_at = FollowUp.State.WAIVED, actor, now
    follow_up.save()
    case_event_record(case=case, kind="followup_waived", actor=actor, reason=follow_up.waived_reason, now=now,
                      request=request, follow_up=follow_up.pk)
    return follow_up


# --- reminders -----------------------------------------------------------------------------

def followups_due(now) -> QuerySet[FollowUp]:
    """Planned follow-ups of open cases due today or earlier whose owner has not been reminded."""
    return FollowUp.objects.filter(state=FollowUp.State.PLANNED, due_on__lte=timezone.localdate(now),
                                   reminded_at__isnull=True).exclude(case__state=Case.State.CLOSED)


def followups_remind_due(now=None) -> int:
    """Remind each due follow-up's case owner once; return how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for follow_up_id in followups_due(now).order_by("due_on", "id").values_list("pk", flat=True):
        sent += _remind(follow_up_id, now)
    return sent


@transaction.atomic
def _remind(follow_up_id: int, now) -> int:
    # Re-read under lock: another run of the job may have reminded it, or someone done it, meanwhile.
    follow_up = followups_due(now).select_for_update(of=("self",)).filter(pk=follow_up_id).first()
    if follow_up is None:
        return 0
    follow_up.reminded_at = now
    follow_up.save(update_fields=["reminded_at"])
    case = Case.objects.select_related("owner", "school").get(pk=follow_up.case_id)
    overdue = follow_up.due_on < timezone.localdate(now)
    subject = Text(gettext_noop("回访已逾期") if overdue else gettext_noop("今天有一次回访"))
    # No student's name: the subject and body may leave the platform by SMS or e-mail.
    body = Text(gettext_noop("您负责的一个个案（%(school)s）有一次回访定于 %(due)s。请登录心哨查看并记录回访结果。"),
                {"school": case.school.name, "due": follow_up.due_on.strftime("%Y-%m-%d")})
    notify([case.owner], subject=subject, body=body, link=reverse("cases:detail", args=[case.pk]), urgent=case.level == Level.RED,
           topic="case.follow_up", now=now)
    return 1
