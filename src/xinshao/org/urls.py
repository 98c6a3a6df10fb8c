from django.urls import path

from xinshao.org import views

app_name = "org"
urlpatterns = [
    path("schools/", views.school_list_view, name="school_list"),
    path("schools/<int:school_id>/", views.school_detail, name="school_detail"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("my-classes/", views.my_classes, name="my_classes"),
]
