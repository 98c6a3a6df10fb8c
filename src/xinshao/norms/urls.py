from django.urls import path

from xinshao.norms import views

app_name = "norms"
urlpatterns = [
    path("", views.norm_table_list, name="list"),
    path("<int:norm_table_id>/", views.norm_table_detail, name="detail"),
    path("<int:norm_table_id>/adopt/", views.norm_table_adopt, name="adopt"),
    path("<int:norm_table_id>/retire/", views.norm_table_retire, name="retire"),
]
