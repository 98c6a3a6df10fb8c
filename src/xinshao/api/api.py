"""The REST API (/api/v1/): django-ninja, bearer tokens, one error shape. docs/api.md tells integrators how."""
from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI, Swagger

from xinshao.api import campaigns, care, errors, people, responses, rosters
from xinshao.api.auth import TokenAuth

api = NinjaAPI(
    title="Xinshao API", version="1", urls_namespace="api_v1", auth=TokenAuth(), docs=Swagger(),
    description="心哨的接口：学校、班级、学生（含名册同步）、测评活动与答题任务、预警、个案、转介、问卷提交与结果。用“接口令牌”页面生成的令牌，"
                "写在 Authorization: Bearer <令牌> 中。所见范围与令牌所有人在网页上所见完全相同。",
)
errors.install(api)
api.add_router("", people.router)
api.add_router("", care.router)
api.add_router("", responses.router)
api.add_router("", campaigns.router)
api.add_router("", rosters.router)


def api_urls():
    """The API's URL patterns. A token, not a session, says who is asking: the site's sign-in
    redirect does not apply (ninja's views are CSRF-exempt; it checks CSRF only for cookie auth, unused here).
    The docs page and the OpenAPI document describe the API and hold no data: they are public."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace
