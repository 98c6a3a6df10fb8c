"""A copy of one child's data for their guardian (PIPL art. 45, the right to a copy): one table per
kind of record, every record of the child, nothing of anyone else's child.

What is left out, and why (docs/retention.md): a psych teacher's private session notes (their
working notes; the sessions themselves are listed), classmates' committee reports (they would name
the reporter, another child), hotline calls and walk-in visits (the caller may be the child, who
called in confidence), notes written by others on signals, and other guardians' phone numbers.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Alert, Signal
from xinshao.campaigns.models import Assignment, ConsentRecord, InstrumentResult, Submission
from xinshao.cases import models as cases
from xinshao.counseling.models import Booking
from xinshao.exports.kinds import Table
from xinshao.people.models import Enrolment, GuardianLink, Student
from xinshao.records.models import PlanVersion
from xinshao.sentinel.models import GuardianConcern, HomeSchoolRecord, SelfCheckIn, TeacherReferral


def _at(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.isoformat()


@dataclass(frozen=True)
class Part:
    """One table of the copy: the child's rows of one kind."""

    title: object
    rows_of: Callable[[Student], QuerySet]
    columns: tuple
    row: Callable[[object], list]


def _by_case(model):
    return lambda student: model.objects.filter(case__student=student).order_by("case_id", "id")


PARTS = (
    Part(_("基本信息"), lambda s: Student.objects.filter(pk=s.pk).select_related("school", "school_class__grade"),
         (_("姓名"), _("学号"), _("性别"), _("出生日期"), _("身份证号"), _("学校"), _("班级"), _("状态")),
         lambda s: [s.name, s.student_number, s.get_gender_display(), _at(s.birth_date), s.masked_national_id,
                    s.school.name, f"{s.school_class.grade.get_level_display()}{s.school_class.name}",
                    s.get_status_display()]),
    Part(_("在读记录"), lambda s: Enrolment.objects.filter(student=s).select_related("school", "school_class"),
         (_("学校"), _("班级"), _("开始"), _("结束"), _("原因")),
         lambda e: [e.school.name, e.school_class.name, _at(e.started_on), _at(e.ended_on), e.reason]),
    Part(_("监护人"), lambda s: GuardianLink.objects.filter(student=s).select_related("guardian").order_by("id"),
         (_("姓名"), _("关系"), _("主要监护人")),
         lambda g: [g.guardian.name, g.relation, _("是") if g.is_primary else _("否")]),
    Part(_("测评知情同意"), lambda s: ConsentRecord.objects.filter(student=s).select_related("campaign").order_by("id"),
         (_("测评"), _("决定"), _("时间"), _("说明")),
         lambda c: [c.campaign.name, c.get_decision_display(), _at(c.recorded_at), c.note]),
    Part(_("测评任务"), lambda s: Assignment.objects.filter(student=s).select_related("campaign__term").order_by("id"),
         (_("测评"), _("学期"), _("状态"), _("开始答题"), _("提交")),
         lambda a: [a.campaign.name, a.campaign.term.name, a.get_status_display(), _at(a.started_at),
                    _at(a.submitted_at)]),
    Part(_("作答"), lambda s: Submission.objects.filter(assignment__student=s).select_related("assignment__campaign")
         .order_by("id"),
         (_("测评"), _("提交时间"), _("作答（每个量表按题目顺序）")),
         lambda sub: [sub.assignment.campaign.name, _at(sub.received_at),
                      "; ".join(f"{key}: {values}" for key, values in sorted(sub.answers.items()))]),
    Part(_("测评结果"), lambda s: InstrumentResult.objects.filter(student=s).select_related("campaign").order_by("id"),
         (_("测评"), _("量表"), _("总分"), _("分级"), _("有效")),
         lambda r: [r.campaign.name, r.instrument_id, "" if r.total is None else r.total, r.band,
                    _("是") if r.valid else _("否")]),
    Part(_("预警"), lambda s: Alert.objects.filter(student=s).order_by("created_at", "id"),
         (_("级别"), _("状态"), _("产生时间"), _("关闭时间")),
         lambda a: [a.get_level_display(), a.get_state_display(), _at(a.created_at), _at(a.closed_at)]),
    Part(_("预警信号"), lambda s: Signal.objects.filter(student=s).order_by("raised_at", "id"),
         (_("来源"), _("级别"), _("时间")),
         lambda g: [g.get_source_display(), g.get_level_display() if g.level else "", _at(g.raised_at)]),
    Part(_("个案"), lambda s: cases.Case.objects.filter(student=s).select_related("school", "owner").order_by("id"),
         (_("编号"), _("学校"), _("风险等级"), _("状态"), _("负责人"), _("立案"), _("结案")),
         lambda c: [c.pk, c.school.name, c.get_level_display(), c.get_state_display(), str(c.owner),
                    _at(c.opened_at), _at(c.closed_at)]),
    Part(_("个案时间线"), _by_case(cases.CaseEvent), (_("个案"), _("事项"), _("时间")),
         lambda e: [e.case_id, e.kind, _at(e.at)]),
    Part(_("辅导"), _by_case(cases.CounsellingSession), (_("个案"), _("时间"), _("形式"), _("时长（分钟）")),
         lambda x: [x.case_id, _at(x.held_at), x.get_kind_display(), x.minutes]),
    Part(_("安全计划"), _by_case(cases.SafetyPlan),
         (_("个案"), _("预警信号"), _("自我调节方法"), _("可以联系的人"), _("专业求助方式"), _("环境安全措施"), _("时间")),
         lambda p: [p.case_id, p.warning_signs, p.coping_steps, p.people_to_contact, p.professional_help,
                    p.means_safety, _at(p.written_at)]),
    Part(_("与家长的沟通"), _by_case(cases.GuardianContact), (_("个案"), _("时间"), _("方式"), _("沟通内容")),
         lambda g: [g.case_id, _at(g.contacted_at), g.get_method_display(), g.what_was_said]),
    Part(_("商定的措施"), _by_case(cases.AgreedAction), (_("个案"), _("措施"), _("完成期限"), _("完成时间")),
         lambda a: [a.case_id, a.description, _at(a.due_on), _at(a.done_at)]),
    Part(_("转介同意"), _by_case(cases.ReferralConsent), (_("个案"), _("同意人"), _("关系"), _("日期")),
         lambda c: [c.case_id, c.given_by, c.relation, _at(c.given_on)]),
    Part(_("转介"), lambda s: cases.Referral.objects.filter(case__student=s).select_related("agency").order_by("id"),
         (_("个案"), _("机构"), _("状态"), _("转介原因"), _("就诊日期"), _("诊断摘要"), _("建议"), _("返校建议")),
         lambda r: [r.case_id, r.agency.name, r.get_state_display(), r.reason, _at(r.seen_on), r.diagnosis_summary,
                    r.recommendations, r.return_to_school]),
    Part(_("回访"), _by_case(cases.FollowUp), (_("个案"), _("回访日期"), _("状态"), _("回访结果")),
         lambda f: [f.case_id, _at(f.due_on), f.get_state_display(), f.outcome]),
    Part(_("一生一策"), lambda s: PlanVersion.objects.filter(plan__student=s).order_by("plan_id", "number"),
         (_("版本"), _("目标"), _("支持措施"), _("复评日期")),
         lambda v: [v.number, v.goals, v.supports, _at(v.review_on)]),
    Part(_("辅导预约"), lambda s: Booking.objects.filter(student=s).select_related("slot").order_by("id"),
         (_("时间"), _("状态"), _("想聊的事")),
         lambda b: [_at(b.slot.starts_at), b.get_status_display(), b.reason]),
    Part(_("心情打卡"), lambda s: SelfCheckIn.objects.filter(student=s).order_by("id"),
         (_("时间"), _("心情"), _("压力"), _("想和心理老师聊聊"), _("想说的话")),
         lambda c: [_at(c.created_at), c.get_mood_display(), c.get_stress_display(),
                    _("是") if c.wants_talk else _("否"), c.note]),
    Part(_("家访与家长会"), lambda s: HomeSchoolRecord.objects.filter(student=s).order_by("id"),
         (_("日期"), _("类型"), _("参加人员"), _("情况记录")),
         lambda h: [_at(h.happened_on), h.get_kind_display(), h.participants, h.summary]),
    Part(_("教师转介"), lambda s: TeacherReferral.objects.filter(student=s).order_by("id"),
         (_("时间"), _("需要立即处理")), lambda t: [_at(t.created_at), _("是") if t.urgent else _("否")]),
    Part(_("家长反映的情况"), lambda s: GuardianConcern.objects.filter(student=s).order_by("id"),
         (_("时间"), _("想告诉老师的话")), lambda g: [_at(g.created_at), g.note]),
)


def _table(part: Part, student: Student) -> Table:
    items = part.rows_of(student)
    return Table(title=str(part.title), columns=[str(c) for c in part.columns],
                 rows=([str(cell) for cell in part.row(item)] for item in items),
                 count=items.count(), student_ids={student.pk})


def child_tables(student: Student) -> list[Table]:
    """Every table of the copy, each naming only this child."""
    return [_table(part, student) for part in PARTS]
