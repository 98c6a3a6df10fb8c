from django.urls import path

from xinshao.instruments import views

app_name = "instruments"
urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("<slug:instrument_id>/<str:version>/", views.definition_detail, name="definition"),
]
