"""Webhook pages (/webhooks/): register an endpoint (its secret shown once), see one with its
delivery log, switch it on or off, send a test event. For a bureau admin (their region's and its
schools' endpoints) and a school admin (their school's); scoping in access/scopes/webhooks.py."""
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import BUREAU_ADMIN, EVERYONE, SCHOOL_ADMIN, access_rule
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.webhooks import selectors, services
from xinshao.webhooks.forms import EndpointForm
from xinshao.webhooks.sending import MAX_ATTEMPTS

KEEPERS = BUREAU_ADMIN | SCHOOL_ADMIN
ONE_ENDPOINT = {"allow": [BUREAU_ADMIN, SCHOOL_ADMIN.of_school], "forbidden": EVERYONE - KEEPERS}


def _endpoint(request, endpoint_id: int):
    require(scopes.can_manage_webhooks(request.user))
    return get_object_or_404(scopes.webhook_endpoints_visible_to(request.user), pk=endpoint_id)


@access_rule(allow=KEEPERS, forbidden=EVERYONE - KEEPERS)
@never_cache  # the answer to the form carries the secret: no cache keeps it
@require_http_methods(["GET", "POST"])
def endpoints(request):
    require(scopes.can_manage_webhooks(request.user))
    form = EndpointForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        created = refused_onto(form, lambda: services.endpoint_create(owner=request.user, request=request,
                                                                      **form.cleaned_data))
        if created:
            form = EndpointForm(user=request.user)
    return form_page(request, "webhooks/endpoints.html", {
        "form": form, "created": created, "endpoints": scopes.webhook_endpoints_visible_to(request.user)})


@access_rule(**ONE_ENDPOINT)
@require_GET
def endpoint(request, endpoint_id: int):
    found = _endpoint(request, endpoint_id)
    return form_page(request, "webhooks/endpoint.html", {
        "endpoint": found, "deliveries": selectors.delivery_log(found), "max_attempts": MAX_ATTEMPTS})


@access_rule(**ONE_ENDPOINT, post_only=True)
@require_POST
def endpoint_active(request, endpoint_id: int):
    found = _endpoint(request, endpoint_id)
    active = not found.is_active
    refused_flash(request, lambda: services.endpoint_set_active(endpoint=found, actor=request.user, active=active,
                                                               request=request),
                  _("已启用，新的事件会推送到这里。") if active else _("已停用，不再推送。"))
    return redirect("webhooks:endpoint", endpoint_id=found.pk)


@access_rule(**ONE_ENDPOINT, post_only=True)
@require_POST
def endpoint_test(request, endpoint_id: int):
    found = _endpoint(request, endpoint_id)
    refused_flash(request, lambda: services.endpoint_test_send(endpoint=found, actor=request.user, request=request),
                  _("已发送一条测试事件（ping），结果见下面的发送记录。"))
    return redirect("webhooks:endpoint", endpoint_id=found.pk)
