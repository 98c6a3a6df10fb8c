"""Intervention routes, included into the "cases" namespace at /cases/ by cases/urls.py."""
from django.urls import path

from xinshao.cases.intervention import views

urlpatterns = [
    path("<int:case_id>/sessions/new/", views.session_new, name="session_new"),
    path("<int:case_id>/sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("<int:case_id>/safety-plan/", views.safety_plan, name="safety_plan"),
    path("<int:case_id>/safety-plan/new/", views.safety_plan_new, name="safety_plan_new"),
    path("<int:case_id>/guardian-contacts/new/", views.guardian_contact_new, name="guardian_contact_new"),
    path("<int:case_id>/actions/new/", views.action_new, name="action_new"),
    path("<int:case_id>/actions/<int:action_id>/done/", views.action_done, name="action_done"),
]
