from django.urls import path

from xinshao.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_id>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:call_id>/follow-up/", views.call_follow_up, name="call_follow_up"),
    path("calls/<int:call_id>/callback/", views.callback, name="callback"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/follow-up/", views.visit_follow_up, name="visit_follow_up"),
    path("statistics/", views.statistics, name="statistics"),
    path("topics/", views.topics, name="topics"),
]
