"""Export kinds for the lists people work from: the alert inbox, the case list, the student roster
and a campaign's completion by school and class. Each reads through the same selector (and so the
same scope and filters) as its page; the parameters are the page's own query string."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.alerts import selectors as alert_selectors
from xinshao.alerts.forms import InboxFilterForm
from xinshao.alerts.templatetags.alerts import alert_reason, level_name
from xinshao.campaigns import selectors as campaign_selectors
from xinshao.campaigns.models import Campaign
from xinshao.cases import selectors as case_selectors
from xinshao.cases.forms import CaseFilterForm
from xinshao.exports.kinds import ExportRefused, Table, export_kind, named_rows, number_of
from xinshao.people.forms import StudentSearchForm
from xinshao.people.selectors import student_search

# Rows fetched from the database at a time: a whole city streams in pieces of this size.
CHUNK = 2000


def when(moment) -> str:
    """A moment as local date and minute, for a cell ("" when there is none)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _class_of(student) -> str:
    return str(student.school_class)


@export_kind("alerts", title=gettext_lazy("预警列表"), may=scopes.can_use_alert_inbox)
def alert_tables(user, params):
    alerts = alert_selectors.alert_inbox(user, **InboxFilterForm(params or None).filters())
    names: set[int] = set()

    def row(alert) -> list:
        return [level_name(alert), when(alert.created_at), alert.student.name, alert.student.student_number,
                alert.school.name, _class_of(alert.student), alert_reason(alert), alert.get_state_display(),
                when(alert.ack_due_at), str(alert.owner or "")]

    yield Table(title=_("预警列表"), columns=[_("级别"), _("时间"), _("学生"), _("学号"), _("学校"), _("班级"),
                                            _("原因"), _("状态"), _("确认期限"), _("负责人")],
                rows=named_rows(alerts.iterator(chunk_size=CHUNK), row, names, lambda a: a.student_id),
                count=alerts.count(), student_ids=names)


@export_kind("cases", title=gettext_lazy("个案列表"), may=scopes.can_use_case_pages)
def case_tables(user, params):
    cases = case_selectors.case_list(user, **CaseFilterForm(params or None).filters())
    names: set[int] = set()

    def row(case) -> list:
        return [case.get_level_display(), case.student.name, case.student.student_number, case.school.name,
                _class_of(case.student), case.get_state_display(), str(case.owner or ""),
                timezone.localtime(case.opened_at).strftime("%Y-%m-%d")]

    yield Table(title=_("个案列表"), columns=[_("风险等级"), _("学生"), _("学号"), _("学校"), _("班级"), _("状态"),
                                            _("负责人"), _("开案时间")],
                rows=named_rows(cases.iterator(chunk_size=CHUNK), row, names, lambda c: c.student_id),
                count=cases.count(), student_ids=names)


def _roster_filters(user, params) -> dict:
    form = StudentSearchForm(params or None, classes=scopes.classes_visible_to(user))
    if params and not form.is_valid():
        raise ExportRefused(_("所选班级不在您可查看的范围内。"))
    if not params:
        return {}
    school_class = form.cleaned_data["school_class"]
    return {"query": form.cleaned_data["q"], "class_id": school_class.pk if school_class else None}


def _roster_clean(user, params) -> dict:
    _roster_filters(user, params)  # refuses a class out of sight
    return params


@export_kind("roster", title=gettext_lazy("学生名册"), may=scopes.can_read_roster, clean=_roster_clean)
def roster_tables(user, params):
    students = student_search(user, **_roster_filters(user, params))
    names: set[int] = set()

    def row(student) -> list:
        return [student.student_number, student.name, student.get_gender_display(), student.school.name,
                _class_of(student), student.get_status_display()]

    yield Table(title=_("学生名册"), columns=[_("学号"), _("姓名"), _("性别"), _("学校"), _("班级"), _("状态")],
                rows=named_rows(students.iterator(chunk_size=CHUNK), row, names, lambda s: s.pk),
                count=students.count(), student_ids=names)


def campaign_visible(user, params) -> Campaign:
    """The campaign named in the parameters, if this user may follow it; else ExportRefused."""
    campaign = scopes.campaigns_visible_to(user).filter(pk=number_of(params.get("campaign"))).first()
    if campaign is None:
        raise ExportRefused(_("找不到这项测评，或您无权查看它的进度。"))
    return campaign


# The progress table's columns (campaigns/staff/progress_head.html), by Tally field.
_TALLY_HEADS = {"targeted": gettext_lazy("对象人数"), "submitted": gettext_lazy("已提交"),
                "in_progress": gettext_lazy("答题中"), "not_started": gettext_lazy("未开始"),
                "refused": gettext_lazy("监护人不同意"), "awaiting": gettext_lazy("待监护人同意")}


def _completion_rows(progress, shown: list[str]):
    def cells(row, *place) -> list:
        values = row.cells
        return [*place, *(values[name] for name in shown), row.rate_shown]

    for school in progress.schools:
        yield cells(school, school.label, "", "")
        for grade in school.children:
            yield cells(grade, school.label, grade.label, "")
            for school_class in grade.children:
                yield cells(school_class, school.label, grade.label, school_class.label)
    yield cells(progress.total, _("合计"), "", "")


@export_kind("completion", title=gettext_lazy("测评完成情况"), may=scopes.can_use_campaign_pages,
             clean=lambda user, params: {"campaign": campaign_visible(user, params).pk},
             titled=lambda params: _("测评完成情况：%(name)s") % {
                 "name": Campaign.objects.filter(pk=params.get("campaign")).values_list("name", flat=True).first()})
def completion_tables(user, params):
    """The progress page's counts, small cells hidden exactly as there ("*"); no student's name."""
    campaign = campaign_visible(user, params)
    if campaign.audience == Campaign.Audience.TEACHERS:
        progress = campaign_selectors.teacher_progress(user, campaign)
    else:
        progress = campaign_selectors.student_progress(user, campaign)
    shown = campaign_selectors.shown_fields(campaign)
    rows = list(_completion_rows(progress, shown))
    yield Table(title=_("测评完成情况：%(name)s") % {"name": campaign.name},
                columns=[_("学校"), _("年级"), _("班级"), *(str(_TALLY_HEADS[name]) for name in shown), _("完成率")],
                rows=rows, count=len(rows))
