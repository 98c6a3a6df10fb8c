from django.urls import path

from xinshao.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.choose_school, name="import"),
    path("<str:code>/", views.school_import, name="school_import"),
    path("<str:code>/template.xlsx", views.template_download, name="template"),
    path("<str:code>/runs/<int:run_id>/", views.run_detail, name="run"),
]
