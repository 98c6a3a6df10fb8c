from django.urls import path

from xinshao.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("city/", views.city, name="city"),
    path("school/", views.my_school, name="my_school"),
    path("schools/<int:school_id>/", views.school, name="school"),
    path("class/", views.my_class, name="my_class"),
    path("classes/<int:class_id>/", views.school_class, name="school_class"),
]
