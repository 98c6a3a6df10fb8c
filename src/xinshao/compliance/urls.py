from django.urls import path

from xinshao.compliance import views

app_name = "compliance"
urlpatterns = [
    path("access/pending/", views.pending, name="pending"),
    path("access/new/", views.request_new, name="request_new"),
    path("access/<int:access_request_id>/", views.request_detail, name="request"),
    path("access/<int:access_request_id>/approve/", views.request_approve, name="request_approve"),
    path("access/<int:access_request_id>/refuse/", views.request_refuse, name="request_refuse"),
    path("access/<int:access_request_id>/revoke/", views.request_revoke, name="request_revoke"),
    path("access/people/<int:person_id>/", views.person_history, name="person_history"),
    path("access/schools/<int:school_id>/", views.school_history, name="school_history"),
    path("report/", views.report, name="report"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<int:incident_id>/", views.incident, name="incident"),
    path("locked/", views.locked, name="locked"),
    path("locked/<int:person_id>/unlock/", views.unlock, name="unlock"),
]
