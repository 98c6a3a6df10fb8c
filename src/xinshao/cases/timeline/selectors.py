"""One story of a case, in the order things happened: the signals and alert events that led to it,
every change (case events), and what was written in it — sessions, safety plan versions, guardian
contacts, agreed actions, consents, referrals and their answers, follow-ups, handovers.

Every entry keeps the school it was written at, so the same story filtered to one school is what
that school wrote (after a transfer, the old school sees that and nothing else). Session notes are
only put in when the reader may read them, and `timeline_read` records the reading in the audit
trail: one entry for the story, one per session whose notes were shown.
"""
import datetime
from dataclasses import dataclass, field, replace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from xinshao.access import scopes
from xinshao.accounts.models import User
from xinshao.alerts.models import AlertEvent, Level, Signal
from xinshao.alerts.reasons import level_name
from xinshao.alerts.templatetags.alerts import signal_reason
from xinshao.audit.services import AuditEvent, audit_record_many
from xinshao.cases.intervention import services as intervention
from xinshao.cases.referrals import consents as referral_consents
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import (
    AgreedAction,
    Case,
    CaseEvent,
    CounsellingSession,
    FollowUp,
    Handover,
    Referral,
    SafetyPlan,
)
from xinshao.org.models import School

# Words for the case's own events (cases/services.py) and this part's; the intervention and
# referral modules name theirs.
EVENT_LABELS = {
    "opened": gettext_lazy("开案"),
    "alert_linked": gettext_lazy("关联了一条预警"),
    "hotline_call": gettext_lazy("热线来电"),  # hotline/services.py: a call about the student (no notes)
    "state_changed": gettext_lazy("状态变更"),
    "level_changed": gettext_lazy("风险等级调整"),
    "owner_changed": gettext_lazy("更换负责人"),
    "closed": gettext_lazy("已结案"),
    "reopened": gettext_lazy("已重新开案"),
    "followup_planned": gettext_lazy("安排了一次回访"),
    "followup_done": gettext_lazy("完成了一次回访"),
    "followup_waived": gettext_lazy("免除了一次回访"),
    "handed_over": gettext_lazy("转学交接"),
    "student_left": gettext_lazy("学生离校"),  # people/services.py: student_leave, the reason shown
    **intervention.EVENT_LABELS,
    **referrals.EVENT_LABELS,
    **referral_consents.EVENT_LABELS,
}
# Events that only announce a row the story already shows in full (at the row's own time).
SHOWN_AS_ROWS = {"session_recorded", "safety_plan_saved", "guardian_contacted", "action_agreed",
                 "referral_consent_recorded", "referral_sent", "followup_planned", "handed_over"}


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str  # what it is, for the page's styling: signal, alert, event, session, plan, ...
    title: str
    school_id: int
    by: str = ""
    lines: tuple = ()  # (label, text) pairs, text as it was written
    private_notes: str | None = None  # a session's notes, only when the reader may read them
    school: str = ""  # the school's name, filled in last


@dataclass
class Timeline:
    case: Case
    entries: list[Entry]
    moved: bool  # the case has been at more than one school: each entry names its school
    sessions_read: list[int] = field(default_factory=list)


def _who(user) -> str:
    return str(user) if user is not None else _("系统")


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# --- what led to the case ------------------------------------------------------------------

def _signal_entries(case: Case) -> list[Entry]:
    signals = Signal.objects.filter(alert__in=case.alerts.all()).select_related("raised_by", "rule_set")
    entries = []
    for signal in signals:
        level = level_name(signal.rule_set.rules.get("level_names", {}), signal.level) if signal.level else ""
        title = _("预警信号：%(source)s") % {"source": signal.get_source_display()}
        lines = [(_("级别"), level), (_("原因"), signal_reason(signal)), (_("补充说明"), signal.note)]
        entries.append(Entry(signal.raised_at, "signal", title, signal.school_id, _who(signal.raised_by),
                             tuple((label, text) for label, text in lines if text)))
    return entries


def _alert_entries(case: Case) -> list[Entry]:
    events = (AlertEvent.objects.filter(alert__in=case.alerts.all()).exclude(kind=AlertEvent.Kind.SIGNAL_ADDED)
              .select_related("actor", "alert"))
    return [Entry(e.at, "alert", _("预警：%(what)s") % {"what": e.get_kind_display()}, e.alert.school_id,
                  _who(e.actor), ((_("原因"), e.reason),) if e.reason else ())
            for e in events]


# --- what was written in the case ----------------------------------------------------------

def _session_entries(case: Case, with_notes: bool) -> list[Entry]:
    sessions = case.sessions.select_related("written_by")
    if not with_notes:
        sessions = sessions.defer("private_notes")
    return [Entry(s.held_at, "session", _("辅导：%(kind)s，%(minutes)s 分钟") % {
        "kind": s.get_kind_display(), "minutes": s.minutes}, s.written_at_school_id, _who(s.written_by),
        private_notes=s.private_notes if with_notes else None) for s in sessions]


def _plan_entries(case: Case) -> list[Entry]:
    entries = []
    for version, plan in enumerate(case.safety_plans.select_related("written_by").order_by("written_at", "id"), 1):
        lines = tuple((SafetyPlan._meta.get_field(name).verbose_name, getattr(plan, name))
                      for name in intervention.SAFETY_PLAN_FIELDS if getattr(plan, name))
        entries.append(Entry(plan.written_at, "plan", _("安全计划（第 %(n)s 版）") % {"n": version},
                             plan.written_at_school_id, _who(plan.written_by), lines))
    return entries


def _contact_entries(case: Case) -> list[Entry]:
    return [Entry(c.contacted_at, "contact", _("与监护人沟通：%(method)s") % {"method": c.get_method_display()},
                  c.written_at_school_id, _who(c.written_by),
                  ((_("监护人"), c.guardian.name if c.guardian else ""), (_("沟通内容"), c.what_was_said)))
            for c in case.guardian_contacts.select_related("written_by", "guardian")]


def _action_entries(case: Case) -> list[Entry]:
    return [Entry(a.written_at, "action", _("商定措施"), a.written_at_school_id, _who(a.written_by),
                  ((_("措施"), a.description), (_("负责人"), str(a.assignee)), (_("完成期限"), _day(a.due_on))))
            for a in case.actions.select_related("written_by", "assignee")]


def _consent_entries(case: Case) -> list[Entry]:
    return [Entry(c.written_at, "consent", _("监护人同意转介：%(agency)s") % {"agency": c.agency.name},
                  c.written_at_school_id, _who(c.written_by),
                  ((_("同意人"), f"{c.given_by}（{c.relation}）"), (_("方式"), c.get_method_display()),
                   (_("日期"), _day(c.given_on)),
                   (_("诊断摘要反馈给学校"), _("同意") if c.shares_diagnosis else _("不同意"))))
            for c in case.referral_consents.select_related("written_by", "agency")]


def _referral_entries(case: Case, with_notes: bool) -> list[Entry]:
    # The referral reason is clinical text: only for those who may read session notes, as on the case page.
    return [Entry(r.written_at, "referral", _("转介至%(agency)s") % {"agency": r.agency.name},
                  r.written_at_school_id, _who(r.written_by),
                  tuple(line for line in ((_("紧急程度"), r.get_urgency_display()),
                                          (_("无有效服务协议仍转介的原因"), r.without_agreement_reason),
                                          (_("转介原因"), r.reason if with_notes else ""),
                                          (_("回复期限"), timezone.localtime(r.respond_by).strftime("%Y-%m-%d %H:%M")))
                        if line[1]))
            for r in case.referrals.select_related("written_by", "agency")]


def _school_at(case: Case):
    """Which school held the case at a moment, from its handovers (for what the system did, unwritten)."""
    handovers = list(case.handovers.order_by("handed_over_at", "id").values_list("handed_over_at", "from_school_id",
                                                                                 "to_school_id"))

    def school_at(moment) -> int:
        held = handovers[0][1] if handovers else case.school_id
        for at, _from, to in handovers:
            if at <= moment:
                held = to
        return held
    return school_at


def _follow_up_entries(case: Case) -> list[Entry]:
    entries, school_at = [], _school_at(case)
    for f in case.follow_ups.select_related("written_by"):
        day = _day(f.due_on)
        entries.append(Entry(f.written_at, "follow_up", _("安排回访：%(day)s") % {"day": day},
                             f.written_at_school_id, _who(f.written_by)))
        if f.reminded_at:  # sent to whoever owned the case then, at the school that held it
            entries.append(Entry(f.reminded_at, "follow_up", _("已提醒负责人：%(day)s 的回访") % {"day": day},
                                 school_at(f.reminded_at)))
    return entries


def _handover_entries(case: Case) -> list[Entry]:
    return [Entry(h.handed_over_at, "handover", _("转学交接：%(from)s → %(to)s") % {
        "from": h.from_school.name, "to": h.to_school.name}, h.from_school_id, _who(h.handed_over_by),
        ((_("原负责人"), str(h.from_owner)), (_("新负责人"), str(h.to_owner)), (_("交接说明"), h.note)))
        for h in case.handovers.select_related("from_school", "to_school", "from_owner", "to_owner",
                                               "handed_over_by")]


# --- the changes ---------------------------------------------------------------------------

def _rows_named_by(events: list[CaseEvent], key: str, model) -> dict:
    ids = {e.detail[key] for e in events if isinstance(e.detail.get(key), int)}
    return model.objects.in_bulk(ids) if ids else {}


def _change_lines(event: CaseEvent, rows: dict, with_notes: bool) -> list[tuple[str, str]]:
    """What a change event means in words, with the text of the row it changed where there is one.
    Follow-up outcomes and diagnosis summaries only for those who may read session notes."""
    d, kind = event.detail, event.kind
    if kind == "state_changed":
        states = dict(Case.State.choices)
        return [(_("状态"), f"{states.get(d.get('previous'), '')} → {states.get(d.get('state'), '')}")]
    if kind == "level_changed":
        levels = dict(Level.choices)
        return [(_("风险等级"), f"{levels.get(d.get('previous'), '')} → {levels.get(d.get('level'), '')}")]
    if kind == "owner_changed":
        users = rows["users"]
        return [(_("负责人"), f"{users.get(d.get('previous'), '')} → {users.get(d.get('owner'), '')}")]
    if kind == "action_done" and (action := rows["action"].get(d.get("action"))):
        return [(_("措施"), action.description)]
    if kind == "followup_done" and (follow_up := rows["follow_up"].get(d.get("follow_up"))):
        return [(_("回访日期"), _day(follow_up.due_on)), (_("回访结果"), follow_up.outcome if with_notes else "")]
    referral = rows["referral"].get(d.get("referral"))
    if referral is None or not kind.startswith("referral_"):
        return []
    return _referral_change_lines(kind, referral, with_notes)


def _referral_change_lines(kind: str, referral: Referral, with_notes: bool) -> list[tuple[str, str]]:
    lines = [(_("机构"), referral.agency.name)]
    if kind == "referral_declined":
        lines.append((_("不能接收的原因"), referral.decline_reason))
    elif kind == "referral_seen":
        lines.append((_("就诊日期"), _day(referral.seen_on)))
    elif kind == "referral_feedback":
        lines += [(_("诊断摘要"), referral.diagnosis_summary if with_notes else ""),
                  (_("建议"), referral.recommendations),
                  (_("返校建议"), referral.return_to_school)]
    return lines


def _closure_lines(case: Case, event: CaseEvent, with_notes: bool) -> list[tuple[str, str]]:
    """The closure review belongs to the last closing; it is as private as the session notes."""
    last_closing = not case.is_open and case.closed_at == event.at
    return [(_("结案评估"), case.closure_review)] if with_notes and last_closing else []


def _event_entries(case: Case, with_notes: bool) -> list[Entry]:
    events = list(case.events.exclude(kind__in=SHOWN_AS_ROWS).select_related("actor"))
    owner_ids = {e.detail.get(k) for e in events if e.kind == "owner_changed" for k in ("previous", "owner")}
    rows = {
        "users": {u.pk: str(u) for u in User.objects.filter(pk__in={i for i in owner_ids if isinstance(i, int)})},
        "action": _rows_named_by(events, "action", AgreedAction),
        "follow_up": _rows_named_by(events, "follow_up", FollowUp),
        "referral": Referral.objects.select_related("agency").in_bulk(
            {e.detail["referral"] for e in events if isinstance(e.detail.get("referral"), int)}),
    }
    entries = []
    for event in events:
        lines = [(_("原因"), event.reason_text)] if event.reason else []
        lines += [(label, text) for label, text in _change_lines(event, rows, with_notes) if text]
        if event.kind == "closed":
            lines += _closure_lines(case, event, with_notes)
        entries.append(Entry(event.at, "event", str(EVENT_LABELS.get(event.kind, event.kind)),
                             event.written_at_school_id, _who(event.actor), tuple(lines)))
    return entries


# --- the story -----------------------------------------------------------------------------

def case_timeline(case: Case, *, with_notes: bool, school_id: int | None = None) -> Timeline:
    """Everything about the case in time order; with `school_id`, only what was written at that school."""
    # On a tie in time, a written row comes before the change it caused (a referral, then "referred").
    entries = [*_signal_entries(case), *_alert_entries(case), *_session_entries(case, with_notes),
               *_plan_entries(case), *_contact_entries(case), *_action_entries(case), *_consent_entries(case),
               *_referral_entries(case, with_notes), *_follow_up_entries(case), *_handover_entries(case),
               *_event_entries(case, with_notes)]
    all_schools = {entry.school_id for entry in entries} | {case.school_id}
    if school_id is not None:
        entries = [entry for entry in entries if entry.school_id == school_id]
    entries.sort(key=lambda entry: entry.at)  # stable: on a tie, the order above
    names = dict(School.objects.filter(pk__in=all_schools).values_list("pk", "name"))
    entries = [replace(entry, school=names.get(entry.school_id, "")) for entry in entries]
    return Timeline(case, entries, moved=len(all_schools) > 1)


def timeline_read(*, case: Case, viewer, request, action: str, with_notes: bool,
                  school_id: int | None = None) -> Timeline:
    """The story for one reader, recorded in the audit trail as read (with each session's notes shown)."""
    timeline = case_timeline(case, with_notes=with_notes, school_id=school_id)
    if with_notes:
        shown = CounsellingSession.objects.filter(case=case)
        if school_id is not None:
            shown = shown.filter(written_at_school_id=school_id)
        timeline.sessions_read = list(shown.values_list("pk", flat=True))
    events = [AuditEvent(action=action, student_id=case.student_id, object_type="cases.case", object_id=str(case.pk),
                         detail={"entries": len(timeline.entries), "school": school_id or ""})]
    events += [AuditEvent(action="cases.session_notes_read", student_id=case.student_id,
                          object_type="cases.counsellingsession", object_id=str(pk), detail={"via": action})
               for pk in timeline.sessions_read]
    audit_record_many(actor=viewer, events=events, request=request)
    return timeline


def timeline_pdf(timeline: Timeline, *, printed_by, request) -> bytes:
    html = render_to_string("cases/timeline/pdf.html", {
        "timeline": timeline, "case": timeline.case, "printed_by": printed_by,
        "printed_at": timezone.localtime()})
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


# --- what a school wrote, after the case left it -------------------------------------------

def left_from(user, case: Case) -> School | None:
    """The user's school that this case left (most recently)."""
    handover = (Handover.objects.filter(case=case, from_school__in=scopes.schools_keeping_case_records(user))
                .select_related("from_school").order_by("-handed_over_at", "-id").first())
    return handover.from_school if handover else None
