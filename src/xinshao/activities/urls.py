from django.urls import path

from xinshao.activities import views

app_name = "activities"
urlpatterns = [
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:application_id>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:application_id>/materials/", views.application_material, name="application_material"),
    path("applications/<int:application_id>/review/", views.application_review, name="application_review"),
    path("materials/<int:material_id>/", views.material_file, name="material_file"),
    path("register/", views.register, name="register"),
    path("refusals/", views.refusal_list, name="refusals"),
    path("refusals/new/", views.refusal_new, name="refusal_new"),
    path("refusals/<int:refusal_id>/", views.refusal_detail, name="refusal_detail"),
    path("load/", views.teacher_load, name="teacher_load"),
]
