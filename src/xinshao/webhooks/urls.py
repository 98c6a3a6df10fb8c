from django.urls import path

from xinshao.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:endpoint_id>/", views.endpoint, name="endpoint"),
    path("<int:endpoint_id>/active/", views.endpoint_active, name="endpoint_active"),
    path("<int:endpoint_id>/test/", views.endpoint_test, name="endpoint_test"),
]
