from django.urls import path

from xinshao.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("system/", views.system_status, name="system_status"),
]
