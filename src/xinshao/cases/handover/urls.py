"""The transfer route, included into the "cases" namespace at /cases/ by cases/urls.py."""
from django.urls import path

from xinshao.cases.handover import views

urlpatterns = [
    path("transfer/<int:student_id>/", views.transfer, name="transfer"),
]
