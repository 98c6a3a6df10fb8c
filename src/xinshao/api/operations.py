"""How an API operation is declared: its route, who may use it and what it answers.

    @operation(router, "GET", "/alerts/{alert_id}", response={200: AlertOut},
               allow=[(PSYCH_TEACHER | SCHOOL_ADMIN).of_school, PSYCH_CENTRE], forbidden=EVERYONE - ALERT_HANDLERS)
    def alert_get(request, alert_id: int): ...

The declaration is the pages' `access_rule` (access/routes.py) with the same meaning, kept in
DECLARED by operation id; the API access matrix (api/tests/test_api_matrix.py) reads the OpenAPI
document, fails for an operation with no declaration and holds each to its own. `lists` names the
access-matrix object a list operation returns, so the matrix checks which rows each person gets.
`sensitive=True` (as on a page) marks a GET that returns a student's record: it writes an audit
entry naming them, and api/tests/test_api_sensitive_reads.py calls each and proves it does.
Pagination, ETags, updated-since and the audit entry of lists live here too.
"""
import datetime
import functools
import hashlib
import inspect
import json
import typing
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.params.models import Path, Query
from pydantic import BeforeValidator

from xinshao.access.routes import AccessRule, access_rule
from xinshao.api.errors import COMMON, WRITE, ApiError
from xinshao.audit.services import audit_list_view

MAX_LIMIT = 200
# Far past any list's end, and within what every database takes as an OFFSET.
MAX_OFFSET = 2**31 - 1


def _iso_datetime(value):
    """A time in ISO 8601 only, in UTC: pydantic would read a bare number as seconds since 1970 (a
    sync asking for `updated_since=0.5` would get every row instead of a refusal), and PostgreSQL
    refuses some offsets Python accepts (such as -18:52)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("an ISO 8601 date-time such as 2026-09-01T08:00:00+08:00") from None


IsoDateTime = typing.Annotated[datetime.datetime, BeforeValidator(_iso_datetime)]
# Ids are 64-bit: a larger number is refused as input, not sent to the database (which would fail).
MAX_ID = 2**63 - 1
ObjectId = typing.Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = typing.Annotated[int, Path(..., ge=1, le=MAX_ID, description="对象的编号。")]


@dataclass(frozen=True)
class Declared:
    rule: AccessRule
    lists: str | None


DECLARED: dict[str, Declared] = {}


def operation(router, method: str, path: str, *, response, allow, forbidden=(), others: int = 404,
              lists: str | None = None, sensitive: bool = False, **options):
    def declare(view):
        access_rule(allow=allow, forbidden=forbidden, others=others, sensitive=sensitive)(view)
        DECLARED[view.__name__] = Declared(view.access_rule, lists)
        answers = {**(COMMON if method == "GET" else WRITE), **response}
        return router.api_operation([method], path, response=answers, operation_id=view.__name__,
                                    summary=(view.__doc__ or "").strip().splitlines()[0],
                                    **options)(_known_query_only(view))
    return declare


def _query_names(view) -> frozenset[str]:
    names = set()
    for parameter in inspect.signature(view).parameters.values():
        model, *marks = typing.get_args(parameter.annotation) or (None,)
        if any(isinstance(mark, Query) for mark in marks):
            names |= set(model.model_fields)
    return frozenset(names)


def _known_query_only(view):
    """Refuse a query parameter the operation does not know: a misspelt filter (say `updated_sinse`)
    would otherwise be ignored silently, and a sync would take every row for the changed ones."""
    known = _query_names(view)

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise ApiError(422, "invalid_request", _("接口不认识这些查询参数，见 fields。"),
                           [f"query.{name}" for name in unknown])
        return view(request, *args, **kwargs)
    return checked


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，1 到 {MAX_LIMIT}。")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过前面多少条（从 0 开始）。")


class PageMeta(Schema):
    count: int = Field(description="符合条件的总条数（不只是这一页）。")
    limit: int = Field(description="这一页最多的条数。")
    offset: int = Field(description="这一页从第几条开始（从 0 开始）。")


def page_of(request, response, queryset, schema, paging: Paging, *, rows=None) -> Status:
    """One page of `queryset` as `schema` rows, with an ETag: 304 with no body when the client's copy is current.

    `rows` turns the page's objects into what the schema reads (default: the objects themselves). The
    schemas of rows have no aliases: ninja checks the body against the schema once more."""
    count = queryset.count()
    objects = list(queryset[paging.offset:paging.offset + paging.limit])
    items = [schema.model_validate(row).model_dump(mode="json") for row in (rows(objects) if rows else objects)]
    body = {"count": count, "limit": paging.limit, "offset": paging.offset, "items": items}
    etag = '"%s"' % hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    response["ETag"] = etag
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        return Status(304, None)
    return Status(200, body)


def audited(request, action: str, *, student_of=lambda row: row.student_id, then=None):
    """A `rows` for page_of that writes one audit entry naming the students of the page's rows."""
    def shown(rows):
        audit_list_view(actor=request.user, action=action, students=[student_of(row) for row in rows],
                        request=request)
        return then(rows) if then else rows
    return shown


def changed_since(queryset, since, field: str = "updated_at"):
    return queryset if since is None else queryset.filter(**{f"{field}__gte": since})


def require(allowed: bool) -> None:
    """A role that never gets this operation answers 403 (one out of its scope answers 404 after)."""
    if not allowed:
        raise ApiError(403, "forbidden", _("你的角色不能使用这个接口。"))


def one_of(queryset, pk: int):
    """The object with this id among those the owner may see; 404 otherwise, as for an id that does not exist."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "not_found", _("没有找到，或者你无权查看。"))
    return found
