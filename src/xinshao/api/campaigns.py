"""Screening campaigns and their assignments, read as the campaign pages show them.

Campaigns: those the owner follows on the campaign pages (access/scopes/campaigns.py). Assignments:
a campaign's student assignments whose student the owner may open (a school's admin and psych
teachers, a class teacher for their classes); teachers' well-being assignments are never listed
(their results are confidential), and the bureau, which sees campaigns in totals, gets none.
"""
import datetime

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from xinshao.access import scopes
from xinshao.access.routes import BUREAU, CLASS_TEACHER, EVERYONE, PSYCH_TEACHER, SCHOOL_ADMIN
from xinshao.api.operations import (IsoDateTime, PageMeta, Paging, PathId, audited, changed_since, one_of,
                                    operation, page_of, require)
from xinshao.audit.services import audit_record
from xinshao.campaigns.models import Assignment

router = Router(tags=["测评活动"])
CAMPAIGN_STAFF = BUREAU | SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER
NOT_CAMPAIGN_STAFF = EVERYONE - CAMPAIGN_STAFF


class Changed(Paging):
    updated_since: IsoDateTime | None = Field(None, description="只列这个时间之后有变化的（含），用于增量同步。")


class CampaignOut(Schema):
    id: int = Field(description="测评活动编号。")
    name: str = Field(description="名称。")
    audience: str = Field(description="对象：students（学生）或 teachers（教师）。")
    status: str = Field(description="状态：draft、open、paused、closed。")
    consent_rule: str = Field(description="知情同意：not_required、opt_in、opt_out。")
    region_id: int | None = Field(description="教育局发起时的地区编号；学校发起时为空。")
    school_id: int | None = Field(description="学校发起时的学校编号；教育局发起时为空。")
    term_id: int = Field(description="学期编号。")
    opens_at: datetime.datetime = Field(description="开始时间。")
    closes_at: datetime.datetime = Field(description="结束时间。")
    updated_at: datetime.datetime = Field(description="最后一次变化（创建、开始、暂停、延长、结束）的时间。")


class CampaignPage(PageMeta):
    items: list[CampaignOut] = Field(description="这一页的测评活动。")


def _campaigns(request):
    require(scopes.can_use_campaign_pages(request.user))
    return scopes.campaigns_visible_to(request.user).annotate(updated_at=Coalesce(Max("events__at"), "created_at"))


@operation(router, "GET", "/campaigns", response={200: CampaignPage, 304: None}, allow=CAMPAIGN_STAFF, others=403,
           lists="campaign_id")
def campaigns_list(request, response: HttpResponse, filters: Query[Changed]):
    """Campaigns the owner follows, newest first."""
    campaigns = _campaigns(request).order_by("-opens_at", "-id")
    return page_of(request, response, changed_since(campaigns, filters.updated_since), CampaignOut, filters)


@operation(router, "GET", "/campaigns/{campaign_id}", response={200: CampaignOut},
           allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER).of_school], forbidden=NOT_CAMPAIGN_STAFF)
def campaign_get(request, campaign_id: PathId):
    """One campaign."""
    return one_of(_campaigns(request), campaign_id)


class AssignmentOut(Schema):
    id: int = Field(description="答题任务编号。")
    campaign_id: int = Field(description="测评活动编号。")
    student_id: int = Field(description="学生编号。")
    school_class_id: int = Field(description="学生现在班级的编号。")
    status: str = Field(description="状态：not_started（未开始）、in_progress（答题中）、submitted（已提交）。")
    started_at: datetime.datetime | None = Field(description="开始答题的时间。")
    submitted_at: datetime.datetime | None = Field(description="提交的时间。")


def _assignment_rows(assignments) -> list[dict]:
    return [{**{name: getattr(a, name) for name in AssignmentOut.model_fields if name != "school_class_id"},
             "school_class_id": a.student.school_class_id} for a in assignments]


class AssignmentPage(PageMeta):
    items: list[AssignmentOut] = Field(description="这一页的答题任务。")


class AssignmentFilter(Paging):
    updated_since: IsoDateTime | None = Field(None, description="只列这个时间之后开始或提交的（含），用于增量同步。")


def _assignments(request):
    require(scopes.can_use_campaign_pages(request.user))
    return Assignment.objects.filter(student__in=scopes.students_visible_to(request.user),
                                     campaign__in=scopes.campaigns_visible_to(request.user)).select_related("student")


@operation(router, "GET", "/campaigns/{campaign_id}/assignments", response={200: AssignmentPage, 304: None},
           allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER).of_school], forbidden=NOT_CAMPAIGN_STAFF,
           lists="assignment_id", sensitive=True)
def assignments_list(request, response: HttpResponse, campaign_id: PathId, filters: Query[AssignmentFilter]):
    """A campaign's assignments of students the owner may open: who has started and who has submitted."""
    campaign = one_of(_campaigns(request), campaign_id)
    assignments = _assignments(request).filter(campaign=campaign).order_by("id")
    if filters.updated_since is not None:
        assignments = assignments.filter(Q(started_at__gte=filters.updated_since)
                                         | Q(submitted_at__gte=filters.updated_since))
    return page_of(request, response, assignments, AssignmentOut, filters,
                   rows=audited(request, "api.assignments_listed", then=_assignment_rows))


@operation(router, "GET", "/assignments/{assignment_id}", response={200: AssignmentOut}, sensitive=True,
           allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class], forbidden=NOT_CAMPAIGN_STAFF)
def assignment_get(request, assignment_id: PathId):
    """One assignment of a student the owner may open."""
    assignment = one_of(_assignments(request), assignment_id)
    audit_record(actor=request.user, action="api.assignment_viewed", student=assignment.student, obj=assignment,
                 request=request)
    return _assignment_rows([assignment])[0]
