from django.urls import path

from xinshao.records import views

app_name = "records"
urlpatterns = [
    path("students/<int:student_id>/", views.student_record, name="student"),
    path("students/<int:student_id>/plan/", views.plan_edit, name="plan_edit"),
    path("students/<int:student_id>/pdf/", views.record_pdf, name="pdf"),
    path("plans/<int:plan_id>/versions/<int:version_number>/", views.plan_version, name="plan_version"),
    path("plans/<int:plan_id>/close/", views.plan_close, name="plan_close"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:handover_id>/acknowledge/", views.handover_acknowledge, name="handover_acknowledge"),
]
