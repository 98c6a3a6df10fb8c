from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xinshao.access import scopes
from xinshao.access.routes import BUREAU, BUREAU_ADMIN, EVERYONE, access_rule
from xinshao.accounts.roles import Role
from xinshao.alerts.selectors import screening_backlog
from xinshao.audit.selectors import audit_chain_verify
from xinshao.core.models import JobHeartbeat
from xinshao.core.navigation import destinations_for
from xinshao.core.selectors import city_overview
from xinshao.org.grades import SCHOOL_KIND_CHOICES

ROLE_DUTIES = {
    Role.BUREAU_ADMIN: _("管理全市配置、学校与规则，组织全市测评。"),
    Role.BUREAU_PSYCH_CENTRE: _("督导全市高风险预警与个案，负责热线与上报升级。"),
    Role.BUREAU_ANALYST: _("查看全市汇总数据与报告，不查看个人信息。"),
    Role.SCHOOL_ADMIN: _("维护本校设置与学生名册，查看本校汇总。"),
    Role.PSYCH_TEACHER: _("负责本校学生的心理健康工作：预警、个案、辅导与转介。"),
    Role.CLASS_TEACHER: _("关注本班学生，记录家访与家长会，必要时转介。"),
    Role.PSYCH_COMMITTEE: _("留意同学的状况，需要时向老师反映。"),
    Role.STUDENT: _("完成测评任务，使用自助工具，需要时预约老师。"),
    Role.GUARDIAN: _("查看孩子的任务，处理知情同意，需要时预约或反映情况。"),
    Role.CLINICIAN: _("处理转介到本机构的个案并反馈。"),
    Role.HOTLINE_OPERATOR: _("接听心理热线、记录来电，必要时发起预警。"),
    Role.INSPECTOR: _("开展督查，跟踪整改。"),
    Role.TEACHER: _("参加教师心理健康测评，查看本人结果。"),
    Role.ACTIVITY_APPLICANT: _("申报进校园活动，查看本单位申报的审批结果。"),
}


@access_rule(allow=EVERYONE)
@require_GET
def home(request):
    assignments = [
        {"role": a.get_role_display(), "scope": a.scope, "duty": ROLE_DUTIES.get(a.role, "")}
        for a in scopes.assignments(request.user)
    ]
    return render(request, "core/home.html", {
        "assignments": assignments,
        "destinations": destinations_for(request.user),
    })


@access_rule(allow=BUREAU, others=403)
@require_GET
def overview(request):
    if not scopes.can_view_city_overview(request.user):
        raise PermissionDenied
    data = city_overview(request.user)
    kind_names = dict(SCHOOL_KIND_CHOICES)
    rows_by_kind = [{**row, "name": kind_names[row["kind"]]} for row in data["by_kind"]]
    rows_by_district = [{**row, "name": row["district__name"]} for row in data["by_district"]]
    schools = sum(row["schools"] for row in rows_by_kind)
    return render(request, "core/overview.html", {
        "by_kind": rows_by_kind, "by_district": rows_by_district, "schools": schools,
        "kind_total": data["by_kind_total"], "district_total": data["by_district_total"],
    })


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_GET
def system_status(request):
    if not scopes.can_verify_audit_chain(request.user):
        raise PermissionDenied
    return render(request, "core/system_status.html", {
        "chain": audit_chain_verify(),
        "heartbeats": JobHeartbeat.objects.order_by("-last_beat_at")[:10],
        "screening": screening_backlog(timezone.now()),
    })


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


@login_not_required
def server_error(request):
    # No base layout here: whatever broke the page may break the menu too.
    return HttpResponseServerError(render_to_string("core/error_500.html"))
