from django.urls import path

from xinshao.sentinel import views

app_name = "sentinel"
urlpatterns = [
    path("report/", views.committee_report, name="report"),
    path("report/thanks/", views.committee_report_thanks, name="report_thanks"),
    path("checkin/", views.self_checkin, name="checkin"),
    path("checkin/thanks/", views.self_checkin_thanks, name="checkin_thanks"),
    path("self-help/", views.self_help, name="self_help"),
    path("records/", views.record_list, name="records"),
    path("records/school/", views.school_record_list, name="school_records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:record_id>/", views.record_detail, name="record_detail"),
    path("refer/", views.teacher_referral, name="refer"),
    path("attention/", views.attention, name="attention"),
    path("concern/", views.guardian_concern, name="concern"),
    path("concern/thanks/", views.guardian_concern_thanks, name="concern_thanks"),
]
