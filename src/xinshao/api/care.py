"""Alerts, cases and referrals: the warning chain and the agency portal, as their pages have them.

Writes go through the apps' own services (alerts.services, cases.referrals.services), which check
state and write events and audit entries; a refusal from them answers 409 with their message.
"""
import dataclasses
import datetime
import typing

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinshao.access import scopes
from xinshao.access.routes import (ALERT_HANDLERS, CASE_READERS, CASE_WORKERS, CLASS_TEACHER, CLINICIAN, EVERYONE, PSYCH_CENTRE,
                                   PSYCH_TEACHER, SCHOOL_ADMIN)
from xinshao.alerts import services as alert_services
from xinshao.api.operations import (IsoDateTime, PageMeta, Paging, PathId, audited, changed_since, one_of,
                                    operation, page_of, require)
from xinshao.audit.services import audit_record
from xinshao.cases import services as case_services
from xinshao.cases.models import Case
from xinshao.cases.portal import selectors as portal
from xinshao.cases.referrals import services as referral_services

router = Router(tags=["预警、个案与转介"])
ALERT_READERS = [(PSYCH_TEACHER | SCHOOL_ADMIN).of_school, PSYCH_CENTRE]


class Changed(Paging):
    updated_since: IsoDateTime | None = Field(None, description="只列这个时间之后修改过的（含），用于增量同步。")


class AlertOut(Schema):
    id: int = Field(description="预警编号。")
    student_id: int = Field(description="学生编号。")
    school_id: int = Field(description="学校编号。")
    level: str = Field(description="级别：red、orange、yellow。")
    state: str = Field(description="状态：new（待确认）、acknowledged（已确认）、closed（已关闭）等。")
    owner_id: int | None = Field(description="负责的心理教师的用户编号；尚未指定时为空。")
    escalation_step: int = Field(description="逐级上报到了哪一级：0 负责人，1 学校领导，2 教育局。")
    ack_due_at: datetime.datetime = Field(description="应在此时间前确认。")
    acknowledged_at: datetime.datetime | None = Field(description="确认的时间；未确认时为空。")
    created_at: datetime.datetime = Field(description="预警产生的时间。")
    updated_at: datetime.datetime = Field(description="最后一次变化的时间，用于增量同步。")


class AlertPage(PageMeta):
    items: list[AlertOut] = Field(description="这一页的预警。")


@operation(router, "GET", "/alerts", response={200: AlertPage, 304: None}, allow=ALERT_HANDLERS, others=403,
           lists="alert_id", sensitive=True)
def alerts_list(request, response: HttpResponse, filters: Query[Changed]):
    """Alerts of the owner's warning chain, newest first."""
    require(scopes.can_use_alert_inbox(request.user))
    alerts = scopes.alerts_visible_to(request.user).order_by("-created_at", "-id")
    return page_of(request, response, changed_since(alerts, filters.updated_since), AlertOut, filters,
                   rows=audited(request, "api.alerts_listed"))


def _visible_alert(request, alert_id: int):
    require(scopes.can_use_alert_inbox(request.user))
    return one_of(scopes.alerts_visible_to(request.user), alert_id)


@operation(router, "GET", "/alerts/{alert_id}", response={200: AlertOut}, allow=ALERT_READERS,
           forbidden=EVERYONE - ALERT_HANDLERS, sensitive=True)
def alert_get(request, alert_id: PathId):
    """One alert."""
    alert = _visible_alert(request, alert_id)
    audit_record(actor=request.user, action="api.alert_viewed", student=alert.student, obj=alert, request=request)
    return alert


@operation(router, "POST", "/alerts/{alert_id}/acknowledge", response={200: AlertOut}, allow=ALERT_READERS,
           forbidden=EVERYONE - ALERT_HANDLERS)
def alert_acknowledge(request, alert_id: PathId):
    """Acknowledge a new alert (the owner's warning chain; a write token)."""
    alert = _visible_alert(request, alert_id)
    return alert_services.alert_acknowledge(alert=alert, actor=request.user, request=request)


class CaseOut(Schema):
    id: int = Field(description="个案编号。")
    student_id: int = Field(description="学生编号。")
    school_id: int = Field(description="学校编号。")
    level: str = Field(description="风险等级：red、orange、yellow。")
    state: str = Field(description="状态：assessing、intervening、referred、following_up、closed。")
    owner_id: int = Field(description="负责的心理教师的用户编号。")
    opened_at: datetime.datetime = Field(description="立案时间。")
    closed_at: datetime.datetime | None = Field(description="结案时间；未结案时为空。")
    updated_at: datetime.datetime = Field(description="最后一次变化的时间，用于增量同步。")


class CasePage(PageMeta):
    items: list[CaseOut] = Field(description="这一页的个案。")


@operation(router, "GET", "/cases", response={200: CasePage, 304: None}, allow=ALERT_HANDLERS | CLASS_TEACHER,
           others=403, lists="case_id", sensitive=True)
def cases_list(request, response: HttpResponse, filters: Query[Changed]):
    """Cases the owner may open (no notes: those stay on the case pages)."""
    require(scopes.can_use_case_pages(request.user))
    cases = scopes.cases_visible_to(request.user).order_by("-opened_at", "-id")
    return page_of(request, response, changed_since(cases, filters.updated_since), CaseOut, filters,
                   rows=audited(request, "api.cases_listed"))


@operation(router, "GET", "/cases/{case_id}", response={200: CaseOut}, allow=[CASE_WORKERS, *CASE_READERS],
           forbidden=EVERYONE - ALERT_HANDLERS - CLASS_TEACHER, sensitive=True)
def case_get(request, case_id: PathId):
    """One case."""
    require(scopes.can_use_case_pages(request.user))
    case = one_of(scopes.cases_visible_to(request.user), case_id)
    audit_record(actor=request.user, action="api.case_viewed", student=case.student, obj=case, request=request)
    return case


# Changes of a case, as the case page makes them: its psych teachers change it; its other readers get 403.
CASE_CHANGERS = {"allow": CASE_WORKERS, "forbidden": [*CASE_READERS, EVERYONE - ALERT_HANDLERS - CLASS_TEACHER]}
REASON = Field(min_length=1, max_length=500, description=f"原因（至少 {case_services.MIN_REASON_LENGTH} 个字），写入个案时间线。")
MovableState = typing.Literal[tuple(sorted({str(state) for states in case_services.TRANSITIONS.values()
                                            for state in states}))]


def _case_to_change(request, case_id: int) -> Case:
    require(scopes.can_use_case_pages(request.user))
    case = one_of(scopes.cases_visible_to(request.user), case_id)
    require(scopes.can_change_case(request.user, case))
    return case


class StateIn(Schema):
    to_state: MovableState = Field(description="新状态：intervening、referred、following_up（须是当前状态可以转到的）。")
    reason: str = REASON


class ReopenIn(Schema):
    reason: str = REASON


class CloseIn(Schema):
    closure_review: str = Field(min_length=1, max_length=5000,
                                description=f"结案评估（至少 {case_services.MIN_REVIEW_LENGTH} 个字）。")


@operation(router, "POST", "/cases/{case_id}/state", response={200: CaseOut}, **CASE_CHANGERS)
def case_state_change(request, case_id: PathId, change: StateIn):
    """Move an open case to another state (a write token).

    "referred" needs an open referral, "following_up" a planned follow-up: the case service's own checks."""
    return case_services.case_change_state(case=_case_to_change(request, case_id), to_state=change.to_state,
                                           actor=request.user, reason=change.reason, request=request)


@operation(router, "POST", "/cases/{case_id}/close", response={200: CaseOut}, **CASE_CHANGERS)
def case_close(request, case_id: PathId, closing: CloseIn):
    """Close a case with its closure review, once no referral is open and every follow-up is done (a write token)."""
    return case_services.case_close(case=_case_to_change(request, case_id), actor=request.user,
                                    closure_review=closing.closure_review, request=request)


@operation(router, "POST", "/cases/{case_id}/reopen", response={200: CaseOut}, **CASE_CHANGERS)
def case_reopen(request, case_id: PathId, reopening: ReopenIn):
    """Reopen a closed case (a write token), unless the student has another open case."""
    return case_services.case_reopen(case=_case_to_change(request, case_id), actor=request.user,
                                     reason=reopening.reason, request=request)


class ReferralOut(Schema):
    id: int = Field(description="转介编号。")
    state: str = Field(description="状态：sent、accepted、declined、seen、feedback_received、done。")
    urgency: str = Field(description="紧急程度：red、orange、yellow。")
    sent_at: datetime.datetime = Field(description="学校发出转介的时间。")
    respond_by: datetime.datetime = Field(description="应在此时间前答复。")
    overdue: bool = Field(description="是否已超过答复或反馈期限。")
    school: str = Field(description="转出学校的名称。")
    student_name: str = Field(description="学生姓名。")
    gender: str = Field(description="性别。")
    age: int = Field(description="学生现在的年龄（周岁）。")
    reason: str = Field(description="转介原因与需要机构知道的情况。")
    answered_at: datetime.datetime | None = Field(description="机构答复（接收或拒绝）的时间。")
    seen_on: datetime.date | None = Field(description="就诊日期。")
    diagnosis_summary: str = Field(description="机构写的诊断摘要（家长同意分享时才有）。")
    recommendations: str = Field(description="机构给学校的建议。")
    return_to_school: str = Field(description="返校建议。")
    feedback_at: datetime.datetime | None = Field(description="机构反馈的时间。")


class ReferralPage(PageMeta):
    items: list[ReferralOut] = Field(description="这一页的转介。")


class FeedbackIn(Schema):
    recommendations: str = Field(min_length=1, max_length=referral_services.MAX_TEXT_LENGTH,
                                 description="给学校的建议（必填）。")
    diagnosis_summary: str = Field("", max_length=referral_services.MAX_TEXT_LENGTH,
                                   description="诊断摘要；监护人未同意分享诊断时须留空。")
    return_to_school: str = Field("", max_length=referral_services.SHORT_TEXT_MAX, description="返校建议。")


def _require_portal(request) -> None:
    require(scopes.can_use_agency_portal(request.user))


def _own_referral(request, referral_id: int):
    _require_portal(request)
    return one_of(scopes.referrals_visible_to(request.user), referral_id)


def _shared(request, referral):
    # What the agency reads carries the student's name and the referral's reason: each read is recorded.
    audit_record(actor=request.user, action="api.referral_viewed_by_agency", student=referral.case.student,
                 obj=referral, request=request, detail={"agency": referral.agency_id})
    return _referral_row(portal.shared_with_agency(referral, timezone.now()))


def _referral_row(shared) -> dict:
    return {**dataclasses.asdict(shared), "id": shared.pk}


@operation(router, "GET", "/referrals", response={200: ReferralPage, 304: None}, allow=CLINICIAN, others=403,
           lists="referral_id", sensitive=True)
def referrals_list(request, response: HttpResponse, paging: Query[Paging]):
    """Referrals sent to the owner's agency: waiting for an answer first."""
    _require_portal(request)
    now = timezone.now()
    shown = audited(request, "api.referrals_listed_by_agency", student_of=lambda referral: referral.case.student_id,
                    then=lambda rows: [_referral_row(portal.shared_with_agency(referral, now)) for referral in rows])
    return page_of(request, response, portal.portal_referrals(request.user, now), ReferralOut, paging, rows=shown)


@operation(router, "GET", "/referrals/{referral_id}", response={200: ReferralOut}, allow=CLINICIAN.own,
           forbidden=EVERYONE - CLINICIAN, sensitive=True)
def referral_get(request, referral_id: PathId):
    """One referral to the owner's agency: only what the referral shares."""
    return _shared(request, _own_referral(request, referral_id))


@operation(router, "POST", "/referrals/{referral_id}/accept", response={200: ReferralOut}, allow=CLINICIAN.own,
           forbidden=EVERYONE - CLINICIAN)
def referral_accept(request, referral_id: PathId):
    """Accept a referral (a write token); the school is told."""
    referral = referral_services.referral_accept(referral=_own_referral(request, referral_id), actor=request.user,
                                                 request=request)
    return _shared(request, referral)


class SeenIn(Schema):
    seen_on: datetime.date = Field(description="学生到机构就诊的日期（不早于转介日期，不晚于今天）。")


@operation(router, "POST", "/referrals/{referral_id}/seen", response={200: ReferralOut}, allow=CLINICIAN.own,
           forbidden=EVERYONE - CLINICIAN)
def referral_seen(request, referral_id: PathId, visit: SeenIn):
    """Record the day the student was seen at the agency (after accepting; a write token)."""
    referral = referral_services.referral_seen(referral=_own_referral(request, referral_id), actor=request.user,
                                               seen_on=visit.seen_on, request=request)
    return _shared(request, referral)


@operation(router, "POST", "/referrals/{referral_id}/feedback", response={200: ReferralOut}, allow=CLINICIAN.own,
           forbidden=EVERYONE - CLINICIAN)
def referral_feedback(request, referral_id: PathId, feedback: FeedbackIn):
    """Send the agency's feedback to the school (after the visit; a write token)."""
    referral = referral_services.referral_feedback(
        referral=_own_referral(request, referral_id), actor=request.user, recommendations=feedback.recommendations,
        diagnosis_summary=feedback.diagnosis_summary, return_to_school=feedback.return_to_school, request=request)
    return _shared(request, referral)
