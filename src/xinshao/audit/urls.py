from django.urls import path

from xinshao.audit import views

app_name = "audit"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("unusual/", views.unusual, name="unusual"),
]
