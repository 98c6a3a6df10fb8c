"""Follow-up routes, included into the "cases" namespace at /cases/ by cases/urls.py."""
from django.urls import path

from xinshao.cases.followups import views

urlpatterns = [
    path("<int:case_id>/follow-ups/new/", views.followup_new, name="followup_new"),
    path("<int:case_id>/follow-ups/<int:followup_id>/done/", views.followup_done, name="followup_done"),
    path("<int:case_id>/follow-ups/<int:followup_id>/waive/", views.followup_waive, name="followup_waive"),
    path("overdue/", views.overdue, name="overdue_follow_ups"),
]
