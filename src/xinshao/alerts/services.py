"""Writes for early warning: rule versions, signals, and every change of an alert.

Each function takes `now` (default: the current time) so tests move the clock instead of waiting.
Each change of an alert adds an AlertEvent; each signal about a student adds an audit entry.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.alerts import engine
from xinshao.alerts.models import CHANNEL_OF_SOURCE, Alert, AlertEvent, Level, RuleSet, Signal
from xinshao.alerts.reasons import reasons_stored
from xinshao.alerts.selectors import alerts_overdue, city_of, rule_set_latest, school_leaders, who_acts_at
from xinshao.audit.services import audit_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import Region, School
from xinshao.people.models import Student
from xinshao.webhooks.models import Event as WebhookEvent
from xinshao.webhooks.services import alert_event_publish

DEFAULT_RULES_NOTE = "平台默认规则（依据量表的已发表指引）"
MIN_REASON_LENGTH = 4


# --- rules ---------------------------------------------------------------------------------

def city_rule_set(region: Region) -> RuleSet:
    """The city's current rules; a city without any starts from the published defaults (version 1)."""
    current = rule_set_latest(region=region)
    if current is None:
        current, _created = RuleSet.objects.get_or_create(region=region, version=1, defaults={
            "rules": engine.DEFAULT_RULES, "note": DEFAULT_RULES_NOTE})
    return current


def rules_for(school: School) -> tuple[dict, RuleSet, str]:
    """The rules a school works under, the rule set row to record, and a label naming the versions."""
    city_set = city_rule_set(city_of(school))
    school_set = rule_set_latest(school=school)
    if school_set is None:
        return city_set.rules, city_set, f"{city_set.region.name} v{city_set.version}"
    label = f"{city_set.region.name} v{city_set.version} + {school.name} v{school_set.version}"
    return engine.strictest(city_set.rules, school_set.rules), school_set, label


def _next_version(**scope) -> int:
    latest = rule_set_latest(**scope)
    return latest.version + 1 if latest else 1


def city_rules_save(*, region: Region, rules, note: str, actor) -> RuleSet:
    problems = engine.rule_problems(rules)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        city_rule_set(region)  # version 1 (the defaults) stays the first in the history
        return RuleSet.objects.create(region=region, version=_next_version(region=region), rules=rules,
                                      note=note, created_by=actor)


def school_rules_save(*, school: School, rules, note: str, actor) -> RuleSet:
    """A school's own rules: refused, naming each rule, where they are looser than the city's."""
    problems = engine.rule_problems(rules)
    city_rules = city_rule_set(city_of(school)).rules
    if not problems:
        problems = [_("%(rule)s 比全市规则宽松：学校只能更严格，不能放宽。") % {"rule": path}
                    for path in engine.looser_points(city_rules, rules)]
    if problems:
        raise ValidationError(problems)
    rules = {**rules, "level_names": city_rules["level_names"]}  # the city names the levels for everyone
    return RuleSet.objects.create(school=school, version=_next_version(school=school), rules=rules, note=note,
                                  created_by=actor)


# --- signals -------------------------------------------------------------------------------

def signal_receive(*, student: Student, source: str, raised_by, facts: dict, note: str = "", origin: str = "",
                   at=None, request=None, graded: engine.Grade | None = None,
                   rules: tuple[dict, RuleSet, str] | None = None) -> Signal:
    """Record one signal about a student; grade it; open or join the student's alert.

    Idempotent by (source, origin): the same screening result or record never counts twice.
    A caller that has graded the facts already (the screening) passes the grade and the rules
    it graded them by (`rules_for`'s answer), so they are neither read nor graded twice.
    """
    now = at or timezone.now()
    # No savepoint: inside a caller's transaction (the screening's) a signal that fails undoes the
    # caller's work too, and the audit chain's head, locked last here, is not held for a release.
    with transaction.atomic(savepoint=False):
        if origin:
            existing = Signal.objects.filter(source=source, origin=origin).first()
            if existing is not None:
                return existing
        # One writer per student at a time, so two signals never open two alerts.
        student = Student.objects.select_for_update().select_related("school__district").get(pk=student.pk)
        rules, rule_set, label = rules or rules_for(student.school)
        graded = graded or engine.grade(rules, source, facts)
        stored, words = reasons_stored(graded.reasons, facts)
        signal = Signal.objects.create(
            student=student, school=student.school, channel=CHANNEL_OF_SOURCE[source], source=source,
            raised_by=raised_by if raised_by is not None and raised_by.is_authenticated else None,
            raised_at=now, facts={**facts, "reasons": stored}, level=graded.level or "", reason=words or "-",
            note=note, rule_set=rule_set, rules_used=label, origin=origin,
        )
        if graded.level:
            _alert_take_signal(signal, rules, rule_set, label, now)
        audit_record(actor=raised_by, action="alerts.signal_received", student=student, obj=signal, request=request,
                     detail={"source": source, "level": signal.level, "alert": signal.alert_id})
    return signal


def _level_with_corroboration(signal: Signal, rules: dict, now) -> tuple[str, list[str]]:
    """The level the student's recent signals call for, and the channels if several agreed."""
    since = now - timedelta(days=rules["corroboration"]["window_days"])
    recent = Signal.objects.filter(student=signal.student, raised_at__gte=since).exclude(level="")
    levels, channels = set(recent.values_list("level", flat=True)), set(recent.values_list("channel", flat=True))
    level, raised = engine.corroborated(rules, engine.higher(*levels), channels)
    return level, sorted(channels) if raised else []


def _alert_take_signal(signal: Signal, rules: dict, rule_set: RuleSet, label: str, now) -> None:
    level, channels = _level_with_corroboration(signal, rules, now)
    alert = Alert.objects.select_for_update().filter(student=signal.student, state__in=Alert.OPEN_STATES).first()
    if alert is None:
        alert = _alert_open(signal, level, channels, rules, rule_set, label, now)
    else:
        _event(alert, AlertEvent.Kind.SIGNAL_ADDED, signal.raised_by, now, signal=signal.pk, source=signal.source)
        if engine.rank(level) > engine.rank(alert.level):
            _alert_raise(alert, level, channels, rules, rule_set, label, now)
    signal.alert = alert
    signal.save(update_fields=["alert"])


def _alert_open(signal, level, channels, rules, rule_set, label, now) -> Alert:
    owner = scopes.alert_owners_at(signal.school).first()
    alert = Alert.objects.create(
        student=signal.student, school=signal.school, level=level, owner=owner,
        escalation_step=Alert.Step.OWNER if owner else Alert.Step.SCHOOL_LEADER,
        ack_due_at=now + timedelta(minutes=rules["ack_minutes"][level]), corroborated_channels=channels,
        rule_set=rule_set, rules_used=label, created_at=now,
    )
    _event(alert, AlertEvent.Kind.RAISED, signal.raised_by, now, level=level, signal=signal.pk,
           source=signal.source, channels=channels, rules=label)
    _notify_actors(alert, rules, kind="raised")
    alert_event_publish(alert=alert, event=WebhookEvent.ALERT_RAISED, now=now)
    return alert


def _alert_raise(alert: Alert, level: str, channels: list[str], rules, rule_set, label, now) -> None:
    """A higher level needs a fresh acknowledgement, within the new level's deadline."""
    _event(alert, AlertEvent.Kind.LEVEL_RAISED, None, now, previous=alert.level, level=level, channels=channels,
           rules=label)
    alert.level, alert.state = level, Alert.State.NEW
    alert.corroborated_channels = channels or alert.corroborated_channels
    alert.ack_due_at = min(alert.ack_due_at, now + timedelta(minutes=rules["ack_minutes"][level])) \
        if alert.acknowledged_at is None else now + timedelta(minutes=rules["ack_minutes"][level])
    alert.rule_set, alert.rules_used = rule_set, label
    alert.save()
    _notify_actors(alert, rules, kind="raised")
    alert_event_publish(alert=alert, event=WebhookEvent.ALERT_RAISED, now=now)


# --- changes of an alert -------------------------------------------------------------------

def _event(alert: Alert, kind: str, actor, now, reason: str = "", **detail) -> AlertEvent:
    actor = actor if actor is not None and actor.is_authenticated else None
    return AlertEvent.objects.create(alert=alert, kind=kind, actor=actor, at=now, reason=reason, detail=detail)


def _audit(actor, action: str, alert: Alert, request, **detail) -> None:
    audit_record(actor=actor, action=action, student=alert.student, obj=alert, request=request, detail=detail)


def _require_open(alert: Alert) -> None:
    if not alert.is_open:
        raise ValidationError(_("这条预警已经%(state)s，不能再修改。") % {"state": alert.get_state_display()})


def _locked_open(alert: Alert, *, with_close_request: bool = False) -> Alert:
    """The alert re-read under lock, refused unless open (and, if asked, with a pending close request)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _require_open(alert)
    if with_close_request and not alert.close_requested_by_id:
        raise ValidationError(_("没有待确认的关闭申请。"))
    return alert


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(_("请写明原因（至少 %(n)s 个字）。") % {"n": MIN_REASON_LENGTH})
    return reason


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor, now=None, request=None) -> Alert:
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.NEW:
        raise ValidationError(_("这条预警已经确认过了。"))
    alert.state, alert.acknowledged_at, alert.acknowledged_by = Alert.State.ACKNOWLEDGED, now, actor
    if alert.owner_id is None:
        alert.owner = actor
    alert.save()
    _event(alert, AlertEvent.Kind.ACKNOWLEDGED, actor, now, step=alert.escalation_step)
    alert_event_publish(alert=alert, event=WebhookEvent.ALERT_ACKNOWLEDGED, now=now)
    _audit(actor, "alerts.alert_acknowledged", alert, request)
    return alert


@transaction.atomic
def alert_reassign(*, alert: Alert, actor, owner, now=None, request=None) -> Alert:
    now = now or timezone.now()
    alert = _locked_open(alert)
    if not scopes.alert_owners_at(alert.school).filter(pk=owner.pk).exists():
        raise ValidationError(_("负责人必须是本校的心理教师。"))
    previous = alert.owner_id
    alert.owner = owner
    alert.save(update_fields=["owner", "updated_at"])
    _event(alert, AlertEvent.Kind.REASSIGNED, actor, now, previous=previous, owner=owner.pk)
    _audit(actor, "alerts.alert_reassigned", alert, request, owner=owner.pk)
    return alert


@transaction.atomic
def alert_close(*, alert: Alert, actor, reason: str, now=None, request=None) -> Alert:
    """Close with a written reason. A red alert only asks for closure here: a second person confirms."""
    now = now or timezone.now()
    alert = _locked_open(alert)
    reason = _require_reason(reason)
    if alert.level == Level.RED:
        if alert.close_requested_by_id:
            raise ValidationError(_("已经有人申请关闭这条红色预警，正在等待另一位同事确认。"))
        alert.close_reason, alert.close_requested_by, alert.close_requested_at = reason, actor, now
        alert.save()
        _event(alert, AlertEvent.Kind.CLOSE_REQUESTED, actor, now, reason=reason)
        _audit(actor, "alerts.alert_close_requested", alert, request)
        return alert
    _alert_closed(alert, actor, reason, now)
    _audit(actor, "alerts.alert_closed", alert, request)
    return alert


def _alert_closed(alert: Alert, actor, reason: str, now) -> None:
    alert.state, alert.close_reason, alert.closed_by, alert.closed_at = Alert.State.CLOSED, reason, actor, now
    alert.save()
    _event(alert, AlertEvent.Kind.CLOSED, actor, now, reason=reason)
    alert_event_publish(alert=alert, event=WebhookEvent.ALERT_CLOSED, now=now)


@transaction.atomic
def alert_close_confirm(*, alert: Alert, actor, now=None, request=None) -> Alert:
    now = now or timezone.now()
    alert = _locked_open(alert, with_close_request=True)
    if alert.close_requested_by_id == actor.pk:
        raise ValidationError(_("红色预警的关闭需要另一位同事确认，申请人本人不能确认。"))
    _alert_closed(alert, actor, alert.close_reason, now)
    _audit(actor, "alerts.alert_closed", alert, request, requested_by=alert.close_requested_by_id)
    return alert


@transaction.atomic
def alert_close_decline(*, alert: Alert, actor, reason: str, now=None, request=None) -> Alert:
    now = now or timezone.now()
    alert = _locked_open(alert, with_close_request=True)
    reason = _require_reason(reason)
    requested_by = alert.close_requested_by_id
    alert.close_reason, alert.close_requested_by, alert.close_requested_at = "", None, None
    alert.save()
    _event(alert, AlertEvent.Kind.CLOSE_DECLINED, actor, now, reason=reason, requested_by=requested_by)
    _audit(actor, "alerts.alert_close_declined", alert, request)
    return alert


@transaction.atomic
def alert_case_opened(*, alert: Alert, actor, now=None, request=None) -> Alert:
    """The alert became a case (case management calls this when it opens one from the alert)."""
    now = now or timezone.now()
    alert = _locked_open(alert)
    alert.state = Alert.State.CASE_OPENED
    alert.save()
    _event(alert, AlertEvent.Kind.CASE_OPENED, actor, now)
    _audit(actor, "alerts.alert_case_opened", alert, request)
    return alert


# --- escalation ----------------------------------------------------------------------------

def alerts_escalate_overdue(*, now=None) -> int:
    """Move every unacknowledged alert past its deadline one step up the chain; return how many."""
    now = now or timezone.now()
    escalated = 0
    for alert_id in alerts_overdue(now).values_list("pk", flat=True):
        escalated += _alert_escalate(alert_id, now)
    return escalated


@transaction.atomic
def _alert_escalate(alert_id: int, now) -> int:
    # Re-read under lock: another process may have escalated or someone acknowledged meanwhile.
    alert = Alert.objects.select_for_update().filter(
        pk=alert_id, state=Alert.State.NEW, ack_due_at__lt=now, escalation_step__lt=Alert.Step.BUREAU).first()
    if alert is None:
        return 0
    rules, _rule_set, _label = rules_for(alert.school)
    previous = alert.escalation_step
    alert.escalation_step += 1
    if alert.escalation_step == Alert.Step.SCHOOL_LEADER and not school_leaders(alert.school).exists():
        alert.escalation_step = Alert.Step.BUREAU  # a school with no leader account: straight to the bureau
    alert.ack_due_at = now + timedelta(minutes=rules["escalate_after_minutes"][alert.level])
    alert.save()
    _event(alert, AlertEvent.Kind.ESCALATED, None, now, previous=previous, step=alert.escalation_step)
    _notify_actors(alert, rules, kind="escalated")
    return 1


# --- notifications -------------------------------------------------------------------------

def _notify_actors(alert: Alert, rules: dict, *, kind: str) -> None:
    """Tell whoever must act now. No student's name leaves the platform: the link leads to it."""
    # Texts, not words: each recipient reads them in their own language (a default level name too).
    level_name = Text(rules["level_names"].get(alert.level, alert.level))
    due = timezone.localtime(alert.ack_due_at).strftime("%m-%d %H:%M")
    subject = Text(gettext_noop("%(level)s超时未确认，已上报") if kind == "escalated" else gettext_noop("新的%(level)s"),
                   {"level": level_name})
    body = Text(gettext_noop("%(school)s有一条%(level)s需要在 %(due)s 前确认。请登录心哨处理。"),
                {"school": alert.school.name, "level": level_name, "due": due})
    notify(who_acts_at(alert), subject=subject, body=body, link=f"/alerts/{alert.pk}/",
           urgent=alert.level != Level.YELLOW, topic="alert")
