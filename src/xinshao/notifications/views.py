"""The signed-in user's notifications, the header badge's counts, and the bureau admin's
delivery log. Someone else's notification answers 404, like one that does not exist."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xinshao.access import scopes
from xinshao.access.routes import BUREAU_ADMIN, EVERYONE, access_rule
from xinshao.notifications import selectors
from xinshao.notifications.forms import DeliveryFilterForm
from xinshao.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
)


@access_rule(allow=EVERYONE)
@require_GET
def inbox(request):
    page = Paginator(selectors.notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "counts": selectors.unread_counts(request.user),
        "can_watch_deliveries": scopes.can_watch_deliveries(request.user),
    })


@access_rule(allow=EVERYONE.own)
@never_cache
@require_GET
def notification_open(request, notification_id: int):
    """Opening an item from the inbox marks it read, then goes to the page it is about."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=notification_id)
    notification_mark_read(notification=notification)
    return redirect(selectors.destination_of(notification))


@access_rule(allow=EVERYONE, post_only=True)
@require_POST
def read_all(request):
    marked = notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": marked})
    return redirect("notifications:inbox")


@access_rule(allow=EVERYONE)
@never_cache
@require_GET
def unread(request):
    """{"unread": n, "urgent": m}, polled by the header badge."""
    return JsonResponse(selectors.unread_counts(request.user))


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_GET
def deliveries(request):
    if not scopes.can_watch_deliveries(request.user):
        raise PermissionDenied
    form = DeliveryFilterForm(request.GET)
    if not form.is_valid():
        raise Http404
    status = form.cleaned_data["status"]
    rows = selectors.deliveries_watched_by(request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/deliveries.html", {
        "form": form, "page": page, "status_counts": selectors.delivery_status_counts(request.user),
        "query_string": f"status={status}" if status else "",
    })
