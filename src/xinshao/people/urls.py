from django.urls import path

from xinshao.people import views

app_name = "people"
urlpatterns = [
    path("", views.student_list, name="student_list"),
    path("me/", views.me, name="me"),
    path("<int:student_id>/", views.student_detail, name="student_detail"),
    path("<int:student_id>/edit/", views.student_edit, name="student_edit"),
    path("<int:student_id>/leave/", views.student_leave, name="student_leave"),
]
