from django.urls import path

from xinshao.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.policy_list, name="policies"),
    path("policy/<str:data_kind>/", views.policy_edit, name="policy_edit"),
    path("runs/", views.run_list, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("copies/", views.copy_requests, name="copies"),
]
