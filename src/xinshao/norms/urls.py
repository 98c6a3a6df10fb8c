from django.urls import path

from xinshao.norms import views

app_name = "norms"
urlpatterns = [
    path("", views.norm_table_list, name="list"),
    path("<int:norm_table_id>/", views.norm_table_detail, name="detail"),
]
