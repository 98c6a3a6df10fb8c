from django.urls import path

from xinshao.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("school/", views.my_school, name="my_school"),
    path("schools/<int:school_id>/", views.school, name="school"),
    path("schools/<int:school_id>/staff/new/", views.staff_new, name="staff_new"),
    path("schools/<int:school_id>/staff/from-logins/", views.staff_from_logins, name="staff_from_logins"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff"),
    path("staff/<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/certificates/", views.certificate_add, name="certificate_add"),
    path("certification/", views.certification, name="certification"),
    path("targets/", views.targets, name="targets"),
    path("certificate-kinds/new/", views.kind_new, name="kind_new"),
    path("certificate-kinds/<int:kind_id>/", views.kind_edit, name="kind_edit"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:training_id>/", views.training, name="training"),
    path("trainings/<int:training_id>/enrol/", views.training_enrol, name="training_enrol"),
    path("trainings/<int:training_id>/import/", views.training_import, name="training_import"),
    path("trainings/<int:training_id>/template.xlsx", views.training_template_download, name="training_template"),
    path("enrolments/<int:enrolment_id>/", views.enrolment_update, name="enrolment_update"),
    path("designations/", views.designations, name="designations"),
    path("designations/new/", views.designation_new, name="designation_new"),
]
