from django.urls import path

from xinshao.cases import views
from xinshao.cases.followup_urls import urlpatterns as followup_urls
from xinshao.cases.intervention_urls import urlpatterns as intervention_urls
from xinshao.cases.referral_urls import urlpatterns as referral_urls

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="create"),
    path("from-alert/<int:alert_id>/", views.case_from_alert, name="from_alert"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/change/", views.case_change, name="change"),
    *intervention_urls,
    *referral_urls,
    *followup_urls,
]
