from django.urls import path

from xinshao.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("rows/", views.inbox_rows, name="inbox_rows"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
    path("<int:alert_id>/act/", views.alert_act, name="act"),
    path("rules/", views.city_rules, name="rules"),
    path("rules/school/<int:school_id>/", views.school_rules, name="school_rules"),
]
