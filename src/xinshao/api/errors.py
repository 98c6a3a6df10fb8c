"""Every refusal of the API in one shape: {"error": {"code", "message", "fields"}}.

`fields` names the request parts that were wrong (e.g. "body.recommendations", "query.limit"),
empty when the refusal is about the request as a whole. Out of the token owner's scope is 404,
as on the pages, so an id's existence is never revealed; a role that never gets the operation is 403.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid


class ErrorBody(Schema):
    code: str = Field(description="机器可读的错误代码，如 not_found、forbidden、invalid_request、rate_limited。")
    message: str = Field(description="给人看的说明：出了什么问题、怎么办。")
    fields: list[str] = Field(description="出错的请求部分（如 body.recommendations、query.limit）；整体性错误时为空。")


class Error(Schema):
    error: ErrorBody = Field(description="错误详情。")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, str(message), fields or []
        self.headers = headers or {}


# What each operation may answer besides its success, for the OpenAPI document.
COMMON = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
WRITE = {**COMMON, 400: Error, 409: Error}


def _answer(api, request, status: int, code: str, message, fields=(), headers=None):
    response = api.create_response(request, {"error": {"code": code, "message": str(message), "fields": list(fields)}},
                                   status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location) -> str:
    return ".".join(str(part) for part in location)


def install(api) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, error: ApiError):
        return _answer(api, request, error.status, error.code, error.message, error.fields, error.headers)

    @api.exception_handler(RequestInvalid)
    def request_invalid(request, error: RequestInvalid):
        fields = sorted({_field_name(item.get("loc", ())) for item in error.errors})
        return _answer(api, request, 422, "invalid_request", _("请求的内容不符合接口说明，见 fields。"), fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return _answer(api, request, 401, "unauthenticated",
                       _("需要有效的访问令牌：请在 Authorization 头中写 Bearer <令牌>。"),
                       headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Http404)
    def not_found(request, error):
        return _answer(api, request, 404, "not_found", _("没有找到，或者你无权查看。"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, error):
        return _answer(api, request, 403, "forbidden", _("你的角色不能使用这个接口。"))

    @api.exception_handler(ValidationError)
    def refused(request, error: ValidationError):
        return _answer(api, request, 409, "refused", " ".join(error.messages))

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        return _answer(api, request, error.status_code, "http_error", str(error))
