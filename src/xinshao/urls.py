from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from xinshao.access.routes import EVERYONE, access_rule
from xinshao.api.api import api_urls

urlpatterns = [
    # First: the screening's submissions, hundreds a second in a spring screening, match without trying the rest.
    path("take/", include("xinshao.campaigns.respond_urls")),
    path("", include("xinshao.core.urls")),
    path("accounts/", include("xinshao.accounts.urls")),
    path("org/", include("xinshao.org.urls")),
    path("students/", include("xinshao.people.urls")),
    path("rosters/", include("xinshao.rosters.urls")),
    path("instruments/", include("xinshao.instruments.urls")),
    path("campaigns/", include("xinshao.campaigns.urls")),
    path("alerts/", include("xinshao.alerts.urls")),
    path("notifications/", include("xinshao.notifications.urls")),
    path("care/", include("xinshao.sentinel.urls")),
    path("cases/", include("xinshao.cases.urls")),
    path("agency/", include("xinshao.cases.portal.urls")),
    path("counseling/", include("xinshao.counseling.urls")),
    path("governance/", include("xinshao.governance.urls")),
    path("norms/", include("xinshao.norms.urls")),
    path("records/", include("xinshao.records.urls")),
    path("partners/", include("xinshao.partners.urls")),
    path("activities/", include("xinshao.activities.urls")),
    path("hotline/", include("xinshao.hotline.urls")),
    path("workforce/", include("xinshao.workforce.urls")),
    path("api/", include("xinshao.api.urls")),
    path("api/v1/", api_urls()),
    path("webhooks/", include("xinshao.webhooks.urls")),
    path("exports/", include("xinshao.exports.urls")),
    path("dashboards/", include("xinshao.dashboards.urls")),
    path("audit/", include("xinshao.audit.urls")),
    path("compliance/", include("xinshao.compliance.urls")),
    path("retention/", include("xinshao.retention.urls")),
    path("consent/", include("xinshao.consent.urls")),
    # The sign-in page offers the language switch, so it must work before sign-in.
    path("i18n/setlang/", access_rule(allow=EVERYONE, public=True, anonymous=302)(login_not_required(set_language)),
         name="set_language"),
    path("admin/", admin.site.urls),
    # /health/ and /ready/ for load balancers and service managers (operations/views.py).
    path("", include("xinshao.operations.urls")),
]

handler404 = "xinshao.core.views.page_not_found"
handler403 = "xinshao.core.views.permission_denied"
handler500 = "xinshao.core.views.server_error"
