"""The "cases" namespace at /cases/: the case's own pages here, each sub-domain's from its package."""
from django.urls import include, path

from xinshao.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="create"),
    path("from-alert/<int:alert_id>/", views.case_from_alert, name="from_alert"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/change/", views.case_change, name="change"),
    path("", include("xinshao.cases.intervention.urls")),
    path("", include("xinshao.cases.referrals.urls")),
    path("", include("xinshao.cases.followups.urls")),
    path("", include("xinshao.cases.timeline.urls")),
    path("", include("xinshao.cases.handover.urls")),
]
