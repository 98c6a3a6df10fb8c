from django.urls import path

from xinshao.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("unread.json", views.unread, name="unread"),
    path("deliveries/", views.deliveries, name="deliveries"),
]
