"""Questionnaire answers in, scored results out.

A submission goes through the respondent's own path (campaigns/submissions.py,
`submission_receive`): the same checks, scoring, audit entry and early warning as a phone. The
Idempotency-Key header is that path's idempotency key, so a retry with the same key stores nothing
new and gets the same submission back. A token submits only the owner's own assignments.
"""
import datetime
import uuid

from django.http import HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status

from xinshao.access import scopes
from xinshao.access.routes import EVERYONE, SCHOOL_STAFF, STUDENTS
from xinshao.api.errors import ApiError
from xinshao.api.operations import (IsoDateTime, ObjectId, PageMeta, Paging, PathId, audited, changed_since,
                                    one_of, operation, page_of)
from xinshao.campaigns.models import InstrumentResult
from xinshao.campaigns.submissions import Refusal, submission_receive

router = Router(tags=["问卷提交与结果"])


class SubmissionIn(Schema):
    answers: dict[str, list[int | None]] = Field(
        description="每份量表的答案：{量表编号: [每题所选选项的值，未答为 null]}，题目按量表中的顺序。")
    seconds: dict[str, list[float]] = Field(description="每份量表每题用的秒数：{量表编号: [秒数, ...]}。")


class SubmissionOut(Schema):
    submission_id: int = Field(description="提交记录的编号。")
    stored_now: bool = Field(description="这次请求是否新存了答案；false 表示同一个 Idempotency-Key 之前已经提交过。")


@operation(router, "POST", "/assignments/{assignment_id}/submission", response={200: SubmissionOut, 201: SubmissionOut},
           allow=(STUDENTS | SCHOOL_STAFF).own)
def submission_create(request, assignment_id: PathId, answers: SubmissionIn,
                      idempotency_key: uuid.UUID = Header(..., alias="Idempotency-Key",
                                                          description="这次提交的唯一编号（UUID），重试时用同一个。")):
    """Submit the owner's own questionnaire (a write token); safe to retry with the same Idempotency-Key."""
    one_of(scopes.assignments_answerable_by(request.user), assignment_id)
    payload = {"key": str(idempotency_key), **answers.model_dump()}
    try:
        receipt = submission_receive(assignment_id=assignment_id, payload=payload, request=request)
    except Refusal as refusal:
        raise ApiError(refusal.status, refusal.code, refusal.message) from None
    return Status(201 if receipt.stored_now else 200, receipt)


class ResultOut(Schema):
    id: int = Field(description="结果编号。")
    campaign_id: int = Field(description="测评活动编号。")
    student_id: int = Field(description="学生编号。")
    instrument_id: str = Field(description="量表编号，如 phqa、gad7。")
    instrument_version: str = Field(description="计分时所用量表定义的版本。")
    total: float | None = Field(description="总分；量表没有总分时为空。")
    band: str = Field(description="分档，如 minimal、mild、moderate、severe；没有分档时为空。")
    valid: bool = Field(description="作答是否有效（如未答题太多则无效）。")
    has_critical_flag: bool = Field(description="是否有危机题目被选中（会立即产生预警）。")
    received_at: datetime.datetime = Field(description="答案收到的时间。")
    outcome: dict = Field(description="计分引擎的完整结果：分量表、标记、有效性说明。")


class ResultPage(PageMeta):
    items: list[ResultOut] = Field(description="这一页的结果。")


class ResultFilter(Paging):
    campaign_id: ObjectId | None = Field(None, description="只列这次测评活动的。")
    student_id: ObjectId | None = Field(None, description="只列这名学生的。")
    received_since: IsoDateTime | None = Field(None, description="只列这个时间之后收到的（含），用于增量同步。")


@operation(router, "GET", "/results", response={200: ResultPage, 304: None}, allow=EVERYONE, sensitive=True)
def results_list(request, response: HttpResponse, filters: Query[ResultFilter]):
    """Scored results of students whose answers the owner may read (their school's psych teachers); others get none."""
    results = InstrumentResult.objects.filter(
        student__in=scopes.students_with_results_visible_to(request.user)).select_related("submission").order_by("id")
    for name in ("campaign_id", "student_id"):
        if getattr(filters, name) is not None:
            results = results.filter(**{name: getattr(filters, name)})
    results = changed_since(results, filters.received_since, "submission__received_at")
    shown = audited(request, "api.results_listed", then=lambda rows: [
        {**{name: getattr(result, name) for name in ResultOut.model_fields if name != "received_at"},
         "received_at": result.submission.received_at} for result in rows])
    return page_of(request, response, results, ResultOut, filters, rows=shown)
