"""The yearly compliance report on minors' personal information, for one region and one year:
what is held (now), who accessed it (audited reads in the year), access grants decided, break-glass
and incidents. Aggregates only: no child is named. The page and the export (exports.py) read it."""
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access.scopes import region_subtree_ids
from xinshao.accounts.models import BreakGlassGrant, RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Alert
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import InstrumentResult
from xinshao.cases.models import Case, CounsellingSession
from xinshao.compliance.models import AccessEvent, Incident
from xinshao.org.models import School
from xinshao.people.models import Student
from xinshao.sentinel.models import CommitteeReport, GuardianConcern, HomeSchoolRecord, SelfCheckIn, TeacherReferral

UNDER_AGE = 14  # PIPL art. 28, 31: all personal information of a child under 14 is sensitive


@dataclass
class ReportTable:
    title: str
    columns: list[str]
    rows: list[list]


@dataclass
class Report:
    region: object
    year: int
    tables: list[ReportTable]

    def figure(self, table: int, label: str):
        """The number on the row `label` of a two-column table (for tests and the page's summary)."""
        return next(row[1] for row in self.tables[table].rows if row[0] == label)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone))


def _birthday_cutoff(on: datetime.date) -> datetime.date:
    """Born after this day: not yet 14 on `on`."""
    try:
        return on.replace(year=on.year - UNDER_AGE)
    except ValueError:  # 29 February
        return on.replace(year=on.year - UNDER_AGE, day=28)


def _held(students, year: int) -> ReportTable:
    on = min(timezone.localdate(), datetime.date(year, 12, 31))
    ids = students.values("id")
    rows = [
        [_("学生"), students.count()],
        [_("其中未满14周岁（%(day)s）") % {"day": on.isoformat()}, students.filter(birth_date__gt=_birthday_cutoff(on)).count()],
        [_("测评结果"), InstrumentResult.objects.filter(student_id__in=ids).count()],
        [_("预警"), Alert.objects.filter(student_id__in=ids).count()],
        [_("个案"), Case.objects.filter(student_id__in=ids).count()],
        [_("辅导记录"), CounsellingSession.objects.filter(case__student_id__in=ids).count()],
        [_("心理委员报告"), CommitteeReport.objects.filter(student_id__in=ids).count()],
        [_("家访与家长会谈记录"), HomeSchoolRecord.objects.filter(student_id__in=ids).count()],
        [_("班主任转介"), TeacherReferral.objects.filter(student_id__in=ids).count()],
        [_("家长反映"), GuardianConcern.objects.filter(student_id__in=ids).count()],
        [_("心情打卡"), SelfCheckIn.objects.filter(student_id__in=ids).count()],
    ]
    return ReportTable(_("持有的未成年人个人信息（截至报告生成时）"), [_("种类"), _("数量")], rows)


def _reads(students, since, until):
    return AuditEntry.objects.filter(student_id__in=students.values("id"), at__gte=since, at__lt=until)


def _by_role(reads) -> ReportTable:
    per_actor = dict(reads.order_by().values("actor_id").annotate(n=Count("id")).values_list("actor_id", "n"))
    labels = dict(Role.choices)
    roles_of = defaultdict(set)
    for user_id, role in RoleAssignment.objects.filter(user_id__in=[a for a in per_actor if a]).values_list(
            "user_id", "role"):
        roles_of[user_id].add(str(labels[role]))
    entries, people = Counter(), Counter()
    for actor_id, count in per_actor.items():
        label = "、".join(sorted(roles_of[actor_id])) if actor_id else _("系统")
        entries[label] += count
        people[label] += 1
    return ReportTable(_("查看记录：按角色"), [_("角色"), _("查看次数"), _("人数")],
                       [[label, entries[label], people[label]] for label in sorted(entries)])


def _by_school(reads, students) -> ReportTable:
    per_student = reads.order_by().values("student_id").annotate(n=Count("id")).values_list("student_id", "n")
    school_of = dict(students.values_list("id", "school_id"))
    entries, seen = Counter(), Counter()
    for student_id, count in per_student:
        entries[school_of[student_id]] += count
        seen[school_of[student_id]] += 1
    names = dict(School.objects.filter(pk__in=entries).values_list("id", "name"))
    return ReportTable(_("查看记录：按学校"), [_("学校"), _("查看次数"), _("涉及学生数")],
                       [[names[school], entries[school], seen[school]] for school in sorted(entries, key=names.get)])


def _summary(region_ids, students, reads, since, until) -> ReportTable:
    grants = Counter(AccessEvent.objects.filter(request__approval_region_id__in=region_ids, at__gte=since,
                                                at__lt=until).values_list("kind", flat=True))
    incidents = Incident.objects.filter(region_id__in=region_ids, discovered_at__gte=since, discovered_at__lt=until)
    late = sum(1 for incident in incidents if (incident.authority_reported_at or timezone.now()) > incident.report_due_at)
    rows = [
        [_("审计记录的查看次数"), reads.count()],
        [_("查看过学生信息的人数"), reads.exclude(actor_id=None).values("actor_id").distinct().count()],
        [_("紧急访问次数"), BreakGlassGrant.objects.filter(student__in=students, granted_at__gte=since,
                                                      granted_at__lt=until).count()],
        [_("批准的访问授权"), grants[AccessEvent.Kind.APPROVED]],
        [_("拒绝的访问授权申请"), grants[AccessEvent.Kind.REFUSED]],
        [_("撤销的访问授权"), grants[AccessEvent.Kind.REVOKED]],
        [_("个人信息安全事件"), incidents.count()],
        [_("未按期上报的事件"), late],
        [_("事件涉及学生人次"), sum(incident.affected_count for incident in incidents)],
    ]
    return ReportTable(_("访问、授权与安全事件（本年度）"), [_("项目"), _("数量")], rows)


def _incidents(region_ids, since, until) -> ReportTable:
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    incidents = Incident.objects.filter(region_id__in=region_ids, discovered_at__gte=since,
                                        discovered_at__lt=until).order_by("discovered_at")
    return ReportTable(_("个人信息安全事件"), [_("事件名称"), _("发现时间"), _("上报期限"), _("上报时间"),
                                               _("告知监护人"), _("结束时间"), _("涉及学生人数")],
                       [[i.title, when(i.discovered_at), when(i.report_due_at), when(i.authority_reported_at),
                         when(i.guardians_notified_at), when(i.closed_at), i.affected_count] for i in incidents])


def compliance_report(*, region, year: int) -> Report:
    region_ids = region_subtree_ids({region.pk})
    students = Student.objects.filter(school__district_id__in=region_ids)
    since, until = year_bounds(year)
    reads = _reads(students, since, until)
    return Report(region, year, [
        _summary(region_ids, students, reads, since, until), _held(students, year), _by_role(reads),
        _by_school(reads, students), _incidents(region_ids, since, until),
    ])
