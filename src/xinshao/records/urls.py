from django.urls import path

from xinshao.records import views

app_name = "records"
urlpatterns = [
    path("students/<int:student_id>/", views.student_record, name="student"),
]
